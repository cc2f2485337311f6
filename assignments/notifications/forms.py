"""Forms of notifications: the preferences form (the language, and the e-mail choices that apply to the
user) and the filter of the notification list."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from assignments.models import Notification, NotificationPreference
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


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        label=_("Unread only"), method="filter_unread", widget=forms.CheckboxInput
    )

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(self, queryset: QuerySet[Notification], name: str, value: bool):
        return queryset.filter(read_at__isnull=True) if value else queryset
