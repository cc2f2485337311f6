"""The notification preferences form: the language, and the e-mail choices that apply to the user."""

from __future__ import annotations

from django import forms

from assignments.models import NotificationPreference
from assignments.notifications.preferences import CADRE_CHOICES, STAFF_CHOICES


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["language", *CADRE_CHOICES, *STAFF_CHOICES]

    def __init__(self, *args, choices: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in [*CADRE_CHOICES, *STAFF_CHOICES]:
            if name not in choices:
                del self.fields[name]
