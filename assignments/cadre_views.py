"""Views: see assignments/urls.py. PLACEHOLDERS: replace each with the real view."""

from django.http import Http404


def my_visits(request, *args, **kwargs):  # placeholder
    raise Http404


def my_calendar(request, *args, **kwargs):  # placeholder
    raise Http404


def calendar_feed(request, *args, **kwargs):  # placeholder
    raise Http404
