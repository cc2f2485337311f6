"""{{ value|percent_text }}, {{ row|fraction_text }} and {{ n|count_text }}: figures as people read them."""

from django import template

from reports.coverage import formatting

register = template.Library()

register.filter("percent_text", formatting.percent_text)
register.filter("fraction_text", formatting.fraction_text)
register.filter("count_text", formatting.count_text)
