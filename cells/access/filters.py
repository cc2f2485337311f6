"""Filters every list shares: the visible cells and committees a filter accepts, and a cell or cadre chosen
by a link rather than from a list of every one."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import QuerySet

from cells.access import scope as hierarchy_selectors
from cells.models import Organization


def _visible_committees(request) -> QuerySet[Organization]:
    if request is None:
        return Organization.objects.none()
    return hierarchy_selectors.committees_visible_to(request.user).only("code", "name", "label", "path")


def visible_cells(request) -> QuerySet[Organization]:
    """The cells a list filter accepts: those of the request's user."""
    if request is None:
        return Organization.objects.none()
    return hierarchy_selectors.cells_visible_to(request.user).only("code", "name", "label")


class ChosenByLinkFilter(filters.ModelChoiceFilter):
    """A cell or a cadre chosen by a link (``?cell=<pk>`` from a cell's or a meeting's page, ``?cadre=<pk>``
    from a compliance month), never picked from a list of every one: a province holds 10,000 cells and
    2,500 cadres. The form carries it as a hidden field, the page names the choice
    (core/lists/_chosen.html), and the list's text search finds the others without diacritics."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(**kwargs)
