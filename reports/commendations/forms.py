"""Forms of the commendation list: the year shown, and staff's change of one cadre's place on the list."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 2000, 2100
REASON_MISSING = _("Give the reason for changing the commendation list.")


class CommendationYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)

    def year_or(self, today: date) -> int:
        """The year asked for; this year when none (or a wrong one) was given."""
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return today.year


class AdjustForm(forms.Form):
    proposed = forms.TypedChoiceField(
        label=_("Commendation"),
        choices=[("true", _("Propose for commendation")), ("false", _("Do not propose"))],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the list differs from the criteria; it is printed with the annual summary."),
        error_messages={"required": REASON_MISSING},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(REASON_MISSING)
        return reason
