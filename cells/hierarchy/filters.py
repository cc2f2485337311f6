"""Filters of the hierarchy lists; every choice list comes from a selector scoped to the request's user."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cells.hierarchy import selectors as hierarchy_selectors
from cells.meetings import selectors as meetings_selectors
from cells.models import Organization
from core import names


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


def _cell_types(request):
    return hierarchy_selectors.cell_types()


def _cell_type_groups(request):
    return hierarchy_selectors.cell_type_groups()


class CellFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("Code or name"), method="search")
    cell_type = filters.ModelChoiceFilter(label=_("Cell type"), queryset=_cell_types)
    group = filters.ModelChoiceFilter(
        label=_("Group"), field_name="cell_type__group", queryset=_cell_type_groups
    )
    parent = filters.ModelChoiceFilter(label=_("Parent committee"), queryset=_visible_committees)
    active = filters.BooleanFilter(
        label=_("Active today"),
        method="filter_active",
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )

    schedule = filters.ChoiceFilter(
        label=_("Meeting schedule"),
        choices=[("missing", _("No meeting schedule")), ("set", _("Schedule set"))],
        method="filter_schedule",
    )

    class Meta:
        model = Organization
        fields = ["q", "cell_type", "group", "parent", "active", "schedule"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return names.search(queryset, value)

    def filter_schedule(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "missing":
            return meetings_selectors.cells_without_schedule(queryset)
        return queryset.filter(schedule__isnull=False) if value == "set" else queryset

    def filter_active(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        active = queryset.active_on(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=active) if value else queryset.exclude(pk__in=active)
