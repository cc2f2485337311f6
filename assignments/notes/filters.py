"""Filters of the note review list and the escalation queue."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from assignments.models import AttendanceNote, Escalation, Rating
from cells.access.scope import organizations_visible_to
from cells.models import Organization

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _visible_organizations(request) -> QuerySet[Organization]:
    if request is None:
        return Organization.objects.none()
    return organizations_visible_to(request.user).order_by("path")


def _yes_no(queryset: QuerySet, condition: Q, value: str) -> QuerySet:
    if value == "yes":
        return queryset.filter(condition)
    if value == "no":
        return queryset.exclude(condition)
    return queryset


class NoteReviewFilter(filters.FilterSet):
    date_from = filters.DateFilter(
        field_name="meeting_date", lookup_expr="gte", label=_("From"), widget=DATE_WIDGET
    )
    date_to = filters.DateFilter(
        field_name="meeting_date", lookup_expr="lte", label=_("To"), widget=DATE_WIDGET
    )
    organization = filters.ModelChoiceFilter(
        label=_("Committee or cell (whole subtree)"), queryset=_visible_organizations, method="in_subtree"
    )
    overall_rating = filters.ChoiceFilter(label=_("Overall rating"), choices=Rating.choices)
    flagged = filters.ChoiceFilter(label=_("Flagged to escalate"), choices=YES_NO, method="filter_flagged")
    overdue = filters.ChoiceFilter(label=_("Overdue"), choices=YES_NO, method="filter_overdue")
    status = filters.ChoiceFilter(label=_("Status"), choices=AttendanceNote.Status.choices)

    class Meta:
        model = AttendanceNote
        fields = ["date_from", "date_to", "organization", "overall_rating", "flagged", "overdue", "status"]

    def in_subtree(self, queryset: QuerySet, name: str, value: Organization | None) -> QuerySet:
        return queryset.filter(visit__cell__path__startswith=value.path) if value else queryset

    def filter_flagged(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _yes_no(queryset, Q(petitions_escalate=True) | Q(difficulties_escalate=True), value)

    def filter_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _yes_no(queryset, Q(overdue=True), value)


class EscalationFilter(filters.FilterSet):
    status = filters.ChoiceFilter(label=_("Status"), choices=Escalation.Status.choices)
    source = filters.ChoiceFilter(label=_("Source"), choices=Escalation.Source.choices)
    organization = filters.ModelChoiceFilter(
        label=_("Committee or cell (whole subtree)"), queryset=_visible_organizations, method="in_subtree"
    )

    class Meta:
        model = Escalation
        fields = ["status", "source", "organization"]

    def in_subtree(self, queryset: QuerySet, name: str, value: Organization | None) -> QuerySet:
        return queryset.filter(cell__path__startswith=value.path) if value else queryset
