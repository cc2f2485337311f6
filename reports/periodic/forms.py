"""Forms and the list filter of the report pages."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assignments.plans.services import FIRST_YEAR, LAST_YEAR
from core.dates import quarter_of
from reports.models import Report
from reports.periodic.services import EDITABLE_FIELDS

# Formatted when shown, not at import, so each reader gets their own language.
_quarter = lazy(lambda number: gettext("Quarter %(quarter)s") % {"quarter": number}, str)
QUARTERS = [("", "—"), *((q, _quarter(q)) for q in range(1, 5))]


class ReportCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of report"), choices=Report.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=QUARTERS,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("For a quarterly report; an annual summary covers the whole year."),
    )

    def __init__(self, *args, **kwargs):
        today = timezone.localdate()
        kwargs.setdefault("initial", {"kind": Report.Kind.QUARTERLY, "year": today.year,
                                      "quarter": quarter_of(today)})  # fmt: skip
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == Report.Kind.QUARTERLY and not data.get("quarter"):
            self.add_error("quarter", _("Choose the quarter (1 to 4)."))
        if data.get("kind") == Report.Kind.ANNUAL:
            data["quarter"] = None
        return data


class ReportEditForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 8}),
            "proposals": forms.Textarea(attrs={"rows": 6}),
            "recipients": forms.Textarea(attrs={"rows": 4}),
        }

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


class ReportFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(label=_("Kind of report"), choices=Report.Kind.choices)
    year = filters.NumberFilter(label=_("Year"))
    status = filters.ChoiceFilter(label=_("Status"), choices=Report.Status.choices)

    class Meta:
        model = Report
        fields = ["kind", "year", "status"]
