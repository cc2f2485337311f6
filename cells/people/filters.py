"""Filters of the member list; every choice list comes from a selector scoped to the request's user."""

from __future__ import annotations

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cells.access.filters import ChosenByLinkFilter, _visible_committees, visible_cells
from cells.models import Member, Organization
from core import names


class MemberFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("Card number or name"), method="search")
    cell_q = filters.CharFilter(label=_("Cell"), method="search_cell")
    cell = ChosenByLinkFilter(label=_("Cell"), queryset=visible_cells)
    committee = filters.ModelChoiceFilter(
        label=_("Committee (whole subtree)"), queryset=_visible_committees, method="in_subtree"
    )
    status = filters.ChoiceFilter(label=_("Status"), choices=Member.Status.choices)

    class Meta:
        model = Member
        fields = ["q", "cell_q", "cell", "committee", "status"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return names.search(queryset, value)

    def search_cell(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Members of the cells whose name or committee holds every word, diacritics or not."""
        return names.search(queryset, value, "cell__search_text")

    def in_subtree(self, queryset: QuerySet, name: str, value: Organization | None) -> QuerySet:
        return queryset.filter(cell__path__startswith=value.path) if value else queryset
