"""Views: see the urls.py beside this package. PLACEHOLDERS: replace each with the real view."""

from django.http import Http404


def cadre_list(request, *args, **kwargs):  # placeholder
    raise Http404


def cadre_create(request, *args, **kwargs):  # placeholder
    raise Http404


def cadre_detail(request, *args, **kwargs):  # placeholder
    raise Http404


def cadre_edit(request, *args, **kwargs):  # placeholder
    raise Http404
