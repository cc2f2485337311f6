"""Views: see assignments/urls.py. PLACEHOLDERS: replace each with the real view."""

from django.http import Http404


def note_review_list(request, *args, **kwargs):  # placeholder
    raise Http404


def note_detail(request, *args, **kwargs):  # placeholder
    raise Http404


def note_review(request, *args, **kwargs):  # placeholder
    raise Http404


def escalation_list(request, *args, **kwargs):  # placeholder
    raise Http404


def escalation_detail(request, *args, **kwargs):  # placeholder
    raise Http404
