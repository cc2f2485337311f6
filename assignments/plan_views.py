"""Views: see assignments/urls.py. PLACEHOLDERS: replace each with the real view."""

from django.http import Http404


def plan_list(request, *args, **kwargs):  # placeholder
    raise Http404


def plan_create(request, *args, **kwargs):  # placeholder
    raise Http404


def plan_detail(request, *args, **kwargs):  # placeholder
    raise Http404


def plan_edit(request, *args, **kwargs):  # placeholder
    raise Http404


def plan_assign(request, *args, **kwargs):  # placeholder
    raise Http404


def plan_unassign(request, *args, **kwargs):  # placeholder
    raise Http404


def plan_cell_search(request, *args, **kwargs):  # placeholder
    raise Http404


def plan_checks(request, *args, **kwargs):  # placeholder
    raise Http404


def plan_issue(request, *args, **kwargs):  # placeholder
    raise Http404


def plan_amend(request, *args, **kwargs):  # placeholder
    raise Http404


def assigned_cadres(request, *args, **kwargs):  # placeholder
    raise Http404
