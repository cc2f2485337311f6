"""The pickers of the dashboard and of the lists behind its figures: which period, which basis, which row.

They are GET forms: every figure is a plain link carrying these parameters, so a figure's list opens
the same with or without JavaScript. Bad values are form errors (shown on the page), never a 500.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.db.models import Q, QuerySet
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cells.models import CellTypeGroup, Organization
from core.numbers import DIRECT_TIER, SUBORDINATE_TIER
from reports.coverage.selectors import Basis, Period

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Formatted when shown, not at import: "Quarter 3" in English, "Quý 3" in Vietnamese.
_quarter = lazy(lambda number: gettext("Quarter %(number)s") % {"number": number}, str)
_month = lazy(lambda number: gettext("Month %(number)s") % {"number": number}, str)
QUARTERS = [("", _("Whole year"))] + [(str(q), _quarter(q)) for q in range(1, 5)]
MONTHS = [("", _("Every month"))] + [(str(m), _month(m)) for m in range(1, 13)]
TIERS = [("", _("Both tiers")), ("direct", DIRECT_TIER), ("subordinate", SUBORDINATE_TIER)]
COVERED = [("", _("Covered or not")), ("yes", _("Covered")), ("no", _("Not covered"))]
# The names the pickers read; the dashboard's links carry only these.
PERIOD_FIELDS = ("year", "quarter", "month", "date_from", "date_to", "basis")


class PeriodForm(forms.Form):
    """A year (whole, one quarter or one month) or any from–to range, and the basis of coverage.

    ``from``/``to`` win over the year when both are given; a quarter and a month together, or half a
    range, are errors. An empty form means the whole current year, attended."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=QUARTERS, coerce=int, required=False, empty_value=None
    )
    month = forms.TypedChoiceField(
        label=_("Month"), choices=MONTHS, coerce=int, required=False, empty_value=None
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)
    basis = forms.ChoiceField(label=_("Basis"), choices=Basis.CHOICES, required=False)

    def __init__(self, data=None, *, today: date, **kwargs) -> None:
        self.today = today
        super().__init__(data if data is not None else {}, **kwargs)
        self.fields["year"].widget.attrs["placeholder"] = str(today.year)

    def clean(self) -> dict:
        data = super().clean()
        if any(name in self.errors for name in PERIOD_FIELDS):
            return data
        data["basis"] = data.get("basis") or Basis.ATTENDED
        try:
            data["period"] = self._period(data)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        return data

    def _period(self, data: dict) -> Period:
        start, end = data.get("date_from"), data.get("date_to")
        if start or end:
            if not (start and end):
                raise ValueError(_("Give both ends of the range: from and to."))
            return Period(start, end)
        year = data.get("year") or self.today.year
        return Period.of_year(year, quarter=data.get("quarter"), month=data.get("month"))

    # After is_valid():
    @property
    def picked_period(self) -> Period:
        return self.cleaned_data["period"]

    @property
    def picked_basis(self) -> str:
        return self.cleaned_data["basis"]

    @property
    def year_shown(self) -> int:
        """The year of the yearly figures (visits per month, cells never visited): the period's last."""
        return self.picked_period.end.year

    def query(self) -> dict[str, str]:
        """The picked period and basis as link parameters (empty ones left out)."""
        return {name: self.data[name] for name in PERIOD_FIELDS if self.data.get(name)}


class CoverageCellsForm(PeriodForm):
    """The period and basis of a figure, plus the row and column it stands in."""

    tier = forms.ChoiceField(label=_("Tier"), choices=TIERS, required=False)
    group = forms.CharField(label=_("Cell type group"), required=False, max_length=50)
    committee = forms.CharField(label=_("Grassroots committee"), required=False, max_length=50)
    covered = forms.ChoiceField(label=_("Coverage"), choices=COVERED, required=False)

    def __init__(self, data=None, *, root: Organization, **kwargs) -> None:
        self.root = root
        super().__init__(data, **kwargs)
        self.fields["group"].help_text = _("Code of the group")
        self.fields["committee"].help_text = _("Code of the committee")

    def clean_group(self) -> CellTypeGroup | None:
        value = self.cleaned_data["group"].strip()
        return _by_code_or_pk(CellTypeGroup.objects.all(), value, _("There is no cell type group %(value)s."))

    def clean_committee(self) -> Organization | None:
        # Only committees right under the root: any other code is unknown here, whether it exists or not.
        committees = Organization.objects.committees().filter(parent=self.root)
        value = self.cleaned_data["committee"].strip()
        return _by_code_or_pk(committees, value, _("There is no grassroots committee %(value)s here."))

    def selection(self) -> dict:
        """The keyword arguments of coverage.cells_by_coverage for this figure."""
        data = self.cleaned_data
        return {
            "covered": {"yes": True, "no": False}.get(data["covered"]),
            "direct": {"direct": True, "subordinate": False}.get(data["tier"]),
            "group": data["group"].pk if data["group"] else None,
            "committee": data["committee"].pk if data["committee"] else None,
        }


def _by_code_or_pk(queryset: QuerySet, value: str, message: str):
    """The row whose code is ``value`` (or, for digits, whose pk is), else a form error."""
    if not value:
        return None
    match = Q(code=value) | (Q(pk=int(value)) if value.isdigit() else Q(pk__in=[]))
    found = sorted(queryset.filter(match)[:2], key=lambda row: row.code != value)
    if not found:
        raise forms.ValidationError(message % {"value": value})
    return found[0]
