"""A user's notification preferences: the language of their notices, which optional kinds also come by
e-mail. Which kinds a user can choose depends on what they can receive at all."""

from __future__ import annotations

from django.db import transaction

from assignments.models import Cadre, NotificationPreference
from cells.access.roles import Role, user_role

# Kinds a cadre receives, and those organization staff receive; grassroots users receive none.
CADRE_CHOICES = ["email_meeting_changes", "email_nudge", "email_note_overdue"]
STAFF_CHOICES = ["email_staff_behind", "email_quarterly_report"]


def receives_cadre_notices(user) -> bool:
    return user_role(user) != Role.GRASSROOTS_STAFF and Cadre.objects.filter(user=user).exists()


def email_choices(user) -> list[str]:
    """The preference fields that matter for ``user``."""
    role = user_role(user)
    if role == Role.GRASSROOTS_STAFF:
        return []
    choices = list(CADRE_CHOICES) if receives_cadre_notices(user) else []
    if role == Role.ORGANIZATION_STAFF:
        choices += STAFF_CHOICES
    return choices


def preference_of(user) -> NotificationPreference:
    """The user's saved preferences, or unsaved defaults."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)


@transaction.atomic
def notification_preference_save(*, user, **fields) -> NotificationPreference:
    preference = NotificationPreference.objects.select_for_update().filter(user=user).first()
    preference = preference or NotificationPreference(user=user)
    for name, value in fields.items():
        setattr(preference, name, value)
    preference.full_clean()
    preference.save()
    return preference
