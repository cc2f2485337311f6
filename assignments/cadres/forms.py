"""Forms of the cadre pages. Choice lists come from selectors scoped to the editing user."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assignments.models import Cadre
from cells.access import scope as hierarchy_selectors
from cells.logins import selectors as logins_selectors
from cells.people import selectors as people_selectors


class LoginChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        full_name = obj.get_full_name()
        return f"{obj.get_username()} ({full_name})" if full_name else obj.get_username()


class CadreForm(forms.ModelForm):
    # Their own party member record, found by the card number typed in (only visible members match).
    member = forms.ModelChoiceField(
        label=_("Own party member card number"),
        queryset=None,
        to_field_name="card_number",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Optional: the card number of the cadre's own party member record."),
        error_messages={"invalid_choice": _("No party member with this card number in your organizations.")},
    )

    class Meta:
        model = Cadre
        fields = ["code", "full_name", "position", "email", "organization", "user", "member"]
        field_classes = {"user": LoginChoiceField}

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = hierarchy_selectors.committees_visible_to(user)
        self.fields["user"].queryset = logins_selectors.users_visible_to(user).order_by("username")
        self.fields["user"].help_text = _("Optional: the login this cadre signs in with.")
        self.fields["member"].queryset = people_selectors.members_visible_to(user)
        if self.instance.member_id and not self.is_bound:
            self.initial["member"] = self.instance.member.card_number
