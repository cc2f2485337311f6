"""Views: see assignments/urls.py. PLACEHOLDERS: replace each with the real view."""

from django.http import Http404


def note_start(request, *args, **kwargs):  # placeholder
    raise Http404


def note_unplanned(request, *args, **kwargs):  # placeholder
    raise Http404


def note_edit(request, *args, **kwargs):  # placeholder
    raise Http404


def note_autosave(request, *args, **kwargs):  # placeholder
    raise Http404


def note_submit(request, *args, **kwargs):  # placeholder
    raise Http404


def note_attachment_upload(request, *args, **kwargs):  # placeholder
    raise Http404


def attachment_download(request, *args, **kwargs):  # placeholder
    raise Http404


def attachment_delete(request, *args, **kwargs):  # placeholder
    raise Http404
