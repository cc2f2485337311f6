"""Views: see assignments/urls.py. PLACEHOLDERS: replace each with the real view."""

from django.http import Http404


def visit_list(request, *args, **kwargs):  # placeholder
    raise Http404


def visit_create(request, *args, **kwargs):  # placeholder
    raise Http404


def visit_detail(request, *args, **kwargs):  # placeholder
    raise Http404


def visit_edit(request, *args, **kwargs):  # placeholder
    raise Http404


def visit_propose(request, *args, **kwargs):  # placeholder
    raise Http404


def visit_access_log(request, *args, **kwargs):  # placeholder
    raise Http404


def notification_list(request, *args, **kwargs):  # placeholder
    raise Http404


def notification_read(request, *args, **kwargs):  # placeholder
    raise Http404
