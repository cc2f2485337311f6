"""Reads of notices, always those of the reading login's own cadre record or of the login itself."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, Q, QuerySet

from assignments.models import Notification
from cells.access.roles import Role


def notifications_of(user) -> QuerySet[Notification]:
    """The user's own notices and those of the cadre record linked to their login, including the ones
    written before the login existed. A grassroots login never reads a cadre's notices (they may speak
    of a planned visit), and a deactivated one reads nothing."""
    if not user.is_authenticated or not user.is_active:
        return Notification.objects.none()
    # In the same query (the unread badge counts it on every page): not for a grassroots login.
    grassroots = get_user_model().groups.through.objects.filter(
        user_id=user.pk, group__name=Role.GRASSROOTS_STAFF
    )
    # A cadre's notice belongs to the cadre record, whichever login it named when written: a login no longer
    # linked to the cadre (or turned into a grassroots one) stops reading it.
    own = Q(recipient=user, cadre__isnull=True)
    return Notification.objects.filter(own | (Q(cadre__user=user) & ~Exists(grassroots)))


def notifications_for_list(user) -> QuerySet[Notification]:
    return notifications_of(user).order_by("-created_at", "-pk")
