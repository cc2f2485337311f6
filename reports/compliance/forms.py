"""Forms of the compliance pages: the grid's and the sheet's filters, and exempting a month."""

from __future__ import annotations

from datetime import date

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from assignments.cadres.selectors import cadres_visible_to
from assignments.models import CadreExemption
from core import names

FIRST_YEAR, LAST_YEAR = 2000, 2100
MONTH_CHOICES = [(number, name) for number, name in MONTHS.items()]


class SheetFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)
    q = forms.CharField(label=_("Cadre name or code"), required=False, max_length=100)

    def year_or(self, today: date) -> int:
        """The year asked for; this year when none (or a wrong one) was given."""
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return today.year

    def search(self) -> str:
        return self.cleaned_data.get("q", "") if self.is_valid() else ""


class ComplianceFilterForm(SheetFilterForm):
    behind = forms.BooleanField(label=_("Only cadres behind"), required=False)

    def behind_only(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("behind"))


class ExemptionForm(forms.Form):
    cadre = forms.ModelChoiceField(label=_("Cadre"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    month = forms.TypedChoiceField(label=_("Month"), choices=MONTH_CHOICES, coerce=int)
    reason = forms.ChoiceField(label=_("Reason"), choices=CadreExemption.Reason.choices)
    detail = forms.CharField(
        label=_("Details"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the leave or illness was, and who approved it."),
    )

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadres_visible_to(user).order_by("sort_key", "code")

    def clean_detail(self) -> str:
        detail = self.cleaned_data["detail"].strip()
        if not detail:
            raise forms.ValidationError(_("Say why the month is exempt."))
        return detail


class ExemptionFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    q = django_filters.CharFilter(label=_("Cadre name or code"), method="search")
    reason = django_filters.ChoiceFilter(label=_("Reason"), choices=CadreExemption.Reason.choices)

    class Meta:
        model = CadreExemption
        fields = ["year", "q", "reason"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return names.search(queryset, value, "cadre__search_text")
