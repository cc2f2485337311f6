"""Writes of meetings and schedules: set a cell's schedule, generate a year of meetings, move or cancel one
(which tells the apps to the right through cells.meetings.hooks)."""

from __future__ import annotations

from datetime import date, time

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from cells.meetings import hooks
from cells.models import Meeting, MeetingSchedule, Organization


@transaction.atomic
def schedule_set(*, cell: Organization, **fields) -> MeetingSchedule:
    schedule = MeetingSchedule.objects.filter(cell=cell).first() or MeetingSchedule(cell=cell)
    for name, value in fields.items():
        setattr(schedule, name, value)
    schedule.full_clean()
    schedule.save()
    return schedule


@transaction.atomic
def schedule_generate_year(*, schedule: MeetingSchedule, year: int, from_day: date | None = None) -> int:
    """Create the year's regular meetings from the rule; months that already have one are kept."""
    return schedules_generate_year(schedules=[schedule], year=year, from_day=from_day)


def meeting_create(**fields) -> Meeting:
    meeting = Meeting(**fields)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_move(*, meeting: Meeting, day: date, start_time: time, place: str, by=None) -> Meeting:
    """Move a meeting; listeners (cells.meetings.hooks) carry planned visits along and tell the assigned cadres."""
    meeting.date, meeting.start_time, meeting.place = day, start_time, place
    meeting.status = Meeting.Status.CHANGED
    meeting.full_clean()
    meeting.save(update_fields=["date", "start_time", "place", "status"])
    hooks.meeting_changed(meeting=meeting, change=hooks.MeetingChange.MOVED, by=by)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by=None) -> Meeting:
    if meeting.status == Meeting.Status.CANCELLED:
        return meeting  # cancelling twice tells nobody anything new
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status"])
    hooks.meeting_changed(meeting=meeting, change=hooks.MeetingChange.CANCELLED, by=by)
    return meeting


@transaction.atomic
def schedule_save(
    *, cell: Organization, generate_year: int | None = None, today: date | None = None, **fields
) -> tuple[MeetingSchedule, int]:
    """Set a cell's rule and, when asked, create the year's regular meetings from it.

    For the current year only the days from ``today`` on are generated: past months stay as recorded.
    """
    schedule = schedule_set(cell=cell, **fields)
    if generate_year is None:
        return schedule, 0
    from_day = today if today is not None and today.year == generate_year else None
    return schedule, schedule_generate_year(schedule=schedule, year=generate_year, from_day=from_day)


@transaction.atomic
def schedules_generate_year(
    *, schedules: list[MeetingSchedule], year: int, user=None, from_day: date | None = None
) -> int:
    """The year's regular meetings of many cells at once (the demo, imports): one read, bulk inserts.

    Months that already have a regular meeting are kept; with ``from_day``, earlier days are skipped.
    History rows record ``user``, or else the request's user.
    """
    taken = set(
        Meeting.objects.filter(
            cell__in=[schedule.cell_id for schedule in schedules], kind=Meeting.Kind.REGULAR, date__year=year
        ).values_list("cell_id", "date__month")
    )
    new = [
        Meeting(
            cell_id=schedule.cell_id,
            date=day,
            start_time=schedule.start_time,
            place=schedule.place,
            kind=Meeting.Kind.REGULAR,
        )
        for schedule in schedules
        for day in schedule.dates_in_year(year)
        if (schedule.cell_id, day.month) not in taken and (from_day is None or day >= from_day)
    ]
    bulk_create_with_history(new, Meeting, batch_size=1000, default_user=user)
    return len(new)
