"""Reads of meetings and schedules, always scoped to a user.

A user sees the subtree of their profile's scope; superusers see everything; a login without a
scope sees nothing. Views never query these models except through here.
"""

from __future__ import annotations

from django.db.models import (
    QuerySet,
)
from django.utils import timezone

from cells.access.scope import scope_of
from cells.models import Meeting, MeetingSchedule, Organization


def cells_without_schedule(cells: QuerySet[Organization]) -> QuerySet[Organization]:
    """Cells with no meeting schedule: no meetings are generated for them, so nobody can plan a visit
    and the grassroots office has a schedule to enter."""
    return cells.filter(schedule__isnull=True)


def meetings_visible_to(user) -> QuerySet[Meeting]:
    return scope_of(user).filter(Meeting.objects.all(), "cell__path")


def schedules_visible_to(user) -> QuerySet[MeetingSchedule]:
    return scope_of(user).filter(MeetingSchedule.objects.all(), "cell__path")


def upcoming_meetings_of(user, cell: Organization, *, limit: int = 5) -> QuerySet[Meeting]:
    return meetings_visible_to(user).filter(cell=cell).upcoming(timezone.localdate())[:limit]


def schedule_of(user, cell: Organization) -> MeetingSchedule | None:
    return schedules_visible_to(user).filter(cell=cell).first()
