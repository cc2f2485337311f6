"""Forms of the meeting pages: one meeting, a cell's schedule rule, and the meeting list's filters."""

from __future__ import annotations

from datetime import date

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cells.access.filters import ChosenByLinkFilter, visible_cells
from cells.access.scope import organizations_visible_to
from cells.models import Meeting, MeetingSchedule, Organization
from core import names

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MeetingForm(forms.ModelForm):
    """A single meeting of a cell: regular, or thematic with its topic."""

    class Meta:
        model = Meeting
        fields = ["date", "start_time", "place", "kind", "topic"]
        widgets = {"date": DATE_WIDGET, "start_time": TIME_WIDGET}
        labels = {"kind": _("Kind of meeting")}
        help_texts = {"topic": _("Required for a thematic meeting.")}


class MeetingMoveForm(forms.ModelForm):
    """A new date, time or place; the meeting is then marked as changed."""

    class Meta:
        model = Meeting
        fields = ["date", "start_time", "place"]
        widgets = {"date": DATE_WIDGET, "start_time": TIME_WIDGET}


def generation_years(today: date) -> list[tuple[int, str]]:
    return [(year, str(year)) for year in (today.year, today.year + 1)]


class ScheduleForm(forms.ModelForm):
    """The rule of a cell's regular meetings, and optionally the year of meetings to create from it."""

    day = forms.IntegerField(label=_("Day of month"), min_value=1, max_value=31, required=False)
    generate = forms.BooleanField(
        label=_("Generate the regular meetings for the year"),
        required=False,
        help_text=_(
            "Months that already have a regular meeting are left alone; in the current year only "
            "the days from today on are created."
        ),
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=[])

    class Meta:
        model = MeetingSchedule
        fields = ["rule", "day", "ordinal", "weekday", "start_time", "place"]
        widgets = {"start_time": TIME_WIDGET}

    def __init__(self, *args, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = generation_years(today)
        self.fields["year"].initial = today.year

    def clean(self) -> dict:
        """Keep only the fields of the chosen rule, so a switched rule leaves no stale day or weekday."""
        data = super().clean()
        if data.get("rule") == MeetingSchedule.Rule.DAY_OF_MONTH:
            data["weekday"] = data["ordinal"] = None
        elif data.get("rule") == MeetingSchedule.Rule.WEEKDAY_OF_MONTH:
            data["day"] = None
        return data

    def schedule_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def generate_year(self) -> int | None:
        return self.cleaned_data["year"] if self.cleaned_data.get("generate") else None


def _visible_committees(request) -> QuerySet[Organization]:
    if request is None:
        return Organization.objects.none()
    return organizations_visible_to(request.user).committees().order_by("path")


class MeetingFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("From"), widget=DATE_WIDGET
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("To"), widget=DATE_WIDGET
    )
    committee = django_filters.ModelChoiceFilter(
        label=_("Committee"), queryset=_visible_committees, method="filter_committee"
    )
    q = django_filters.CharFilter(label=_("Search cells"), method="search")
    cell = ChosenByLinkFilter(label=_("Cell"), queryset=visible_cells)
    kind = django_filters.ChoiceFilter(label=_("Kind of meeting"), choices=Meeting.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Meeting.Status.choices)

    class Meta:
        model = Meeting
        fields = ["date_from", "date_to", "committee", "q", "cell", "kind", "status"]

    def search(self, queryset: QuerySet[Meeting], name: str, value: str) -> QuerySet[Meeting]:
        """Meetings of the cells whose name, code or committee holds every word, diacritics or not."""
        return names.search(queryset, value, "cell__search_text")

    def filter_committee(self, queryset: QuerySet[Meeting], name: str, value: Organization):
        """Meetings of every cell under the committee, at any depth."""
        return queryset.filter(cell__path__startswith=value.path)
