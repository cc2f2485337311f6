"""Template context of assignments: the unread notification count for the navigation badge."""

from __future__ import annotations

from functools import cache

from assignments.notifications.selectors import notifications_of


def notifications(request) -> dict:
    """``unread_notifications``: counted only when a template uses it (one query, once per request)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}

    @cache
    def unread() -> int:
        return notifications_of(user).filter(read_at__isnull=True).count()

    return {"unread_notifications": unread}
