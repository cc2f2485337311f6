"""Views: see the urls.py beside this package. PLACEHOLDERS: replace each with the real view."""

from django.http import Http404


def tree(request, *args, **kwargs):  # placeholder
    raise Http404


def tree_children(request, *args, **kwargs):  # placeholder
    raise Http404


def cell_list(request, *args, **kwargs):  # placeholder
    raise Http404


def organization_create(request, *args, **kwargs):  # placeholder
    raise Http404


def organization_detail(request, *args, **kwargs):  # placeholder
    raise Http404


def organization_edit(request, *args, **kwargs):  # placeholder
    raise Http404


def member_list(request, *args, **kwargs):  # placeholder
    raise Http404


def member_create(request, *args, **kwargs):  # placeholder
    raise Http404


def member_edit(request, *args, **kwargs):  # placeholder
    raise Http404
