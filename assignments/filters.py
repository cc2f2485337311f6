"""Filters of the cadre list."""

from __future__ import annotations

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cells import names

from .models import Cadre


class CadreFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("Code, name or e-mail"), method="search")
    position = filters.ChoiceFilter(label=_("Position"), choices=Cadre.Position.choices)

    class Meta:
        model = Cadre
        fields = ["q", "position"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return names.search(queryset, value)
