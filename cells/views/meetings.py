"""Views: see the urls.py beside this package. PLACEHOLDERS: replace each with the real view."""

from django.http import Http404


def meeting_list(request, *args, **kwargs):  # placeholder
    raise Http404


def meeting_detail(request, *args, **kwargs):  # placeholder
    raise Http404


def meeting_edit(request, *args, **kwargs):  # placeholder
    raise Http404


def meeting_cancel(request, *args, **kwargs):  # placeholder
    raise Http404


def schedule_edit(request, *args, **kwargs):  # placeholder
    raise Http404


def meeting_create(request, *args, **kwargs):  # placeholder
    raise Http404
