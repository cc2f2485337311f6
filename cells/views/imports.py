"""Views: see the urls.py beside this package. PLACEHOLDERS: replace each with the real view."""

from django.http import Http404


def import_upload(request, *args, **kwargs):  # placeholder
    raise Http404


def import_preview(request, *args, **kwargs):  # placeholder
    raise Http404
