"""Reads of meetings and schedules, always scoped to a user.

A user sees the subtree of their profile's scope; superusers see everything; a login without a
scope sees nothing. Views never query these models except through here.
"""

from __future__ import annotations

from django.db.models import (
    QuerySet,
)
from django.utils import timezone

from cells.hierarchy.selectors import user_scope
from cells.models import Meeting, MeetingSchedule, Organization


def cells_without_schedule(cells: QuerySet[Organization]) -> QuerySet[Organization]:
    """Cells with no meeting schedule: no meetings are generated for them, so nobody can plan a visit
    and the grassroots office has a schedule to enter."""
    return cells.filter(schedule__isnull=True)


def meetings_visible_to(user) -> QuerySet[Meeting]:
    if getattr(user, "is_superuser", False):
        return Meeting.objects.all()
    scope = user_scope(user)
    if scope is None:
        return Meeting.objects.none()
    return Meeting.objects.filter(cell__path__startswith=scope.path)


def schedules_visible_to(user) -> QuerySet[MeetingSchedule]:
    if getattr(user, "is_superuser", False):
        return MeetingSchedule.objects.all()
    scope = user_scope(user)
    if scope is None:
        return MeetingSchedule.objects.none()
    return MeetingSchedule.objects.filter(cell__path__startswith=scope.path)


def upcoming_meetings_of(user, cell: Organization, *, limit: int = 5) -> QuerySet[Meeting]:
    return meetings_visible_to(user).filter(cell=cell).upcoming(timezone.localdate())[:limit]


def schedule_of(user, cell: Organization) -> MeetingSchedule | None:
    return schedules_visible_to(user).filter(cell=cell).first()
