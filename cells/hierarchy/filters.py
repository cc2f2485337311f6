"""Filters of the hierarchy lists; every choice list comes from a selector scoped to the request's user."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cells.access.filters import _visible_committees
from cells.hierarchy import selectors as hierarchy_selectors
from cells.meetings import selectors as meetings_selectors
from cells.models import Organization
from core import names


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
