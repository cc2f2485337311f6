"""Forms of the visit pages: plan one, move or record one, propose a month, and the list's filters.
Choice lists come from selectors scoped to the user; the services check every choice again."""

from __future__ import annotations

from datetime import date

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assignments.cadres.selectors import cadres_visible_to
from assignments.models import Cadre, Visit
from cells.access.filters import ChosenByLinkFilter, visible_cells
from cells.meetings.selectors import meetings_visible_to
from cells.models import Meeting
from core.names import search_words

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        return f"{obj.date:%d/%m/%Y} {obj.start_time:%H:%M} · {obj.cell.label} · {obj.place}"


class CadreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Cadre) -> str:
        return f"{obj.full_name} ({obj.code})"


TOGETHER_HELP = _("Leave unticked unless two cadres are meant to attend the same meeting.")


class VisitCreateForm(forms.Form):
    """Staff choose the cadre; a cadre plans for himself (the field is left out).

    The page renders the cadre as a search (``cadre_q``) with the matching cadres as choices, and the
    meetings of the chosen cadre's cells grouped by cell (templates/assignments/visit_form_body.html):
    the querysets here only validate what was posted."""

    cadre_q = forms.CharField(label=_("Find a cadre"), required=False)
    cadre = CadreChoiceField(label=_("Cadre"), queryset=Cadre.objects.none())
    meeting = MeetingChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.none(),
        help_text=_("Upcoming meetings of cells assigned in the issued plan."),
    )
    together_allowed = forms.BooleanField(
        label=_("Another cadre may attend the same meeting"), required=False, help_text=TOGETHER_HELP
    )

    def __init__(self, *args, cadres: QuerySet[Cadre] | None, meetings: QuerySet[Meeting], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        if cadres is None:
            del self.fields["cadre"], self.fields["together_allowed"], self.fields["cadre_q"]
        else:
            self.fields["cadre"].queryset = cadres


class VisitMoveForm(forms.Form):
    meeting = MeetingChoiceField(label=_("New meeting"), queryset=Meeting.objects.none())
    together_allowed = forms.BooleanField(
        label=_("Another cadre may attend the same meeting"), required=False, help_text=TOGETHER_HELP
    )

    def __init__(self, *args, meetings: QuerySet[Meeting], staff: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        if not staff:
            del self.fields["together_allowed"]


class VisitMarkForm(forms.Form):
    status = forms.ChoiceField(
        label=_("How did it go?"),
        choices=[
            (status.value, status.label)
            for status in (Visit.Status.ATTENDED, Visit.Status.MISSED, Visit.Status.CANCELLED)
        ],
        widget=forms.RadioSelect,
    )


def period_choices() -> list[tuple[str, str]]:
    months = [(f"m{month}", _("Month %(month)s") % {"month": month}) for month in range(1, 13)]
    quarters = [(f"q{quarter}", _("Quarter %(quarter)s") % {"quarter": quarter}) for quarter in range(1, 5)]
    return [(_("Month"), months), (pgettext_lazy("period", "Quarter"), quarters)]


class ProposalForm(forms.Form):
    """Which month (or quarter) of which year to propose visits for."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    period = forms.ChoiceField(label=_("Period"), choices=())
    seed = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in (today.year, today.year + 1)]
        self.fields["year"].initial = today.year
        self.fields["period"].choices = period_choices()
        self.fields["period"].initial = f"m{today.month}"

    def month_or_quarter(self) -> dict[str, int]:
        period = self.cleaned_data["period"]
        return {"month" if period.startswith("m") else "quarter": int(period[1:])}


class ProposalAcceptForm(forms.Form):
    """The rows of a proposal the staff kept, as "cadre:meeting" pairs, resolved within their reach."""

    row = forms.MultipleChoiceField(label=_("Proposed visits"), required=True)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["row"].choices = (
            [(value, value) for value in self.data.getlist("row")] if self.data else []
        )
        self.fields["row"].error_messages["required"] = _("Tick at least one proposed visit.")

    def clean_row(self) -> list[tuple[Cadre, Meeting]]:
        pairs = [_parse(token) for token in self.cleaned_data["row"]]
        cadres = cadres_visible_to(self.user).in_bulk({cadre_id for cadre_id, _m in pairs})
        meetings = meetings_visible_to(self.user).select_related("cell").in_bulk({m for _c, m in pairs})
        if any(cadre_id not in cadres or meeting_id not in meetings for cadre_id, meeting_id in pairs):
            raise ValidationError(_("The proposal is out of date; draw it again."))
        return [(cadres[cadre_id], meetings[meeting_id]) for cadre_id, meeting_id in pairs]


def _parse(token: str) -> tuple[int, int]:
    cadre_id, _sep, meeting_id = token.partition(":")
    if not (cadre_id.isdigit() and meeting_id.isdigit()):
        raise ValidationError(_("The proposal is out of date; draw it again."))
    return int(cadre_id), int(meeting_id)


# --- Filters --------------------------------------------------------------------------------------------
def _visible_cadres(request) -> QuerySet[Cadre]:
    return cadres_visible_to(request.user).order_by("sort_key", "code") if request else Cadre.objects.none()


class VisitFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        field_name="meeting__date", lookup_expr="gte", label=_("From"), widget=DATE_WIDGET
    )
    date_to = django_filters.DateFilter(
        field_name="meeting__date", lookup_expr="lte", label=_("To"), widget=DATE_WIDGET
    )
    q = django_filters.CharFilter(label=_("Cadre or cell"), method="search")
    cadre = ChosenByLinkFilter(label=_("Cadre"), queryset=_visible_cadres)
    cell = ChosenByLinkFilter(label=_("Cell"), queryset=visible_cells)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Visit.Status.choices)

    class Meta:
        model = Visit
        fields = ["date_from", "date_to", "q", "cadre", "cell", "status"]

    def search(self, queryset: QuerySet[Visit], name: str, value: str) -> QuerySet[Visit]:
        """Visits whose cadre or cell holds each word of the query, case and diacritics ignored."""
        for word in search_words(value):
            queryset = queryset.filter(
                Q(cadre__search_text__contains=word) | Q(cell__search_text__contains=word)
            )
        return queryset
