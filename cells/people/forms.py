"""The member form. Choice lists come from selectors scoped to the editing user."""

from __future__ import annotations

from django import forms

from cells.access import scope as selectors
from cells.models import Member
from core.forms import DateInput


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["card_number", "full_name", "cell", "status", "joined_on"]
        widgets = {"joined_on": DateInput()}

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cell"].queryset = selectors.cells_visible_to(user)
