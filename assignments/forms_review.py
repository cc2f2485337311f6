"""Forms of the review pages: the staff decision on a round and leadership's work on an escalation."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ACCEPT = "accept"
RETURN = "return"


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept")), (RETURN, _("Return to the cadre"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning: tell the cadre what to fix."),
    )
    round_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == RETURN and not (data.get("comment") or "").strip():
            self.add_error("comment", ValidationError(_("Say what the cadre should fix."), code="required"))
        return data


class DirectForm(forms.Form):
    direction = forms.CharField(label=_("Direction"), widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("How it was resolved"), widget=forms.Textarea(attrs={"rows": 3}))
