"""{{ value|percent_text }} and {{ row|fraction_text }}: coverage figures as people read them."""

from django import template

from reports import formatting

register = template.Library()

register.filter("percent_text", formatting.percent_text)
register.filter("fraction_text", formatting.fraction_text)
