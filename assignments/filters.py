"""Filters of the cadre list."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Cadre
from .selectors import cadres_behind_this_month, cadres_unreachable

BEHIND, UNREACHABLE = "behind", "unreachable"


class CadreFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("Code, name or e-mail"), method="search")
    position = filters.ChoiceFilter(label=_("Position"), choices=Cadre.Position.choices)
    # The lists behind the staff home page's counts.
    attention = filters.ChoiceFilter(
        label=_("Needs attention"),
        choices=[(BEHIND, _("No meeting attended yet this month")), (UNREACHABLE, _("No e-mail address"))],
        method="filter_attention",
    )

    class Meta:
        model = Cadre
        fields = ["q", "position", "attention"]

    def filter_attention(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == BEHIND:
            return cadres_behind_this_month(queryset, timezone.localdate())
        if value == UNREACHABLE:
            return cadres_unreachable(queryset)
        return queryset

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value) | Q(full_name__icontains=value) | Q(email__icontains=value)
        )
