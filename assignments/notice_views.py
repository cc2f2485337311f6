"""Views: see assignments/urls.py. PLACEHOLDERS: replace each with the real view."""

from django.http import Http404


def plan_notice_docx(request, *args, **kwargs):  # placeholder
    raise Http404


def plan_notice_pdf(request, *args, **kwargs):  # placeholder
    raise Http404
