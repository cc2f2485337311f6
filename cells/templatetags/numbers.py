"""{{ n|count_text }} and {{ value|percent_text }}: numbers in the one form every page uses (core.numbers)."""

from django import template

from core import numbers

register = template.Library()

register.filter("count_text", numbers.count_text)
register.filter("percent_text", numbers.percent_text)
