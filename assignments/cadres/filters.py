"""Filters of the cadre list."""

from __future__ import annotations

import django_filters as filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.cadres.selectors import cadres_behind_this_month
from assignments.models import Cadre
from core import names

# The values of the e-mail filter (the operations page links to ?email=none).
UNREACHABLE, REACHABLE = "none", "yes"
# The attention filter: the list behind the staff home page's count of cadres behind this month.
BEHIND = "behind"


class CadreFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("Code, name or e-mail"), method="search")
    position = filters.ChoiceFilter(label=_("Position"), choices=Cadre.Position.choices)
    email = filters.ChoiceFilter(
        label=_("E-mail address"),
        choices=[(UNREACHABLE, _("None: no notice reaches them")), (REACHABLE, _("Has one"))],
        method="filter_email",
    )
    attention = filters.ChoiceFilter(
        label=_("Needs attention"),
        choices=[(BEHIND, _("No meeting attended yet this month"))],
        method="filter_attention",
    )

    class Meta:
        model = Cadre
        fields = ["q", "position", "email", "attention"]

    def filter_email(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == UNREACHABLE:
            return queryset.unreachable()
        return queryset.reachable_by_email() if value == REACHABLE else queryset

    def filter_attention(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == BEHIND:
            return cadres_behind_this_month(queryset, timezone.localdate())
        return queryset

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return names.search(queryset, value)
