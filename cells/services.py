"""Writes to the hierarchy. Each service validates, saves and keeps the materialized paths right."""

from __future__ import annotations

from datetime import date, time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from simple_history.utils import bulk_create_with_history

from . import hooks
from .models import Meeting, MeetingSchedule, Member, Organization, UserProfile
from .roles import Role, role_group

ORGANIZATION_FIELDS = [
    "code",
    "name",
    "kind",
    "parent",
    "cell_type",
    "place_name",
    "valid_from",
    "valid_to",
    "successor",
]


@transaction.atomic
def organization_create(**fields) -> Organization:
    organization = Organization(**fields)
    organization.full_clean(exclude=["path", "depth"])
    organization.save()
    organization.build_path()
    organization.save(update_fields=["path", "depth"])
    return organization


@transaction.atomic
def organization_update(organization: Organization, **fields) -> Organization:
    old_path = organization.path
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.full_clean(exclude=["path", "depth"])
    organization.build_path()
    organization.save()
    if organization.path != old_path:
        subtree_move(old_path, organization.path)
    if organization.is_committee and "name" in fields:
        organization_children_relabel(committees=[organization])
    return organization


def organization_children_relabel(*, committees: list[Organization]) -> int:
    """A renamed committee's cells read with its new name ("Chi bộ Ấp 4 – Đảng bộ xã Tân Xuân")."""
    if not committees:
        return 0
    by_pk = {committee.pk: committee for committee in committees}
    cells = list(
        Organization.objects.filter(parent__in=list(by_pk), kind=Organization.Kind.CELL).only(
            "pk", "code", "name", "kind", "parent_id"
        )
    )
    for cell in cells:
        cell.refresh_texts(parent_name=by_pk[cell.parent_id].name)
    Organization.objects.bulk_update(cells, list(Organization.TEXT_FIELDS), batch_size=1000)
    return len(cells)


def subtree_move(old_path: str, new_path: str) -> int:
    """Rewrite the path prefix of every descendant in one UPDATE (no walk in Python)."""
    depth_change = new_path.count("/") - old_path.count("/")
    return (
        Organization.objects.filter(path__startswith=old_path)
        .exclude(path=new_path)
        .update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + depth_change,
        )
    )


def rebuild_paths(organizations: list[Organization]) -> None:
    """Set path/depth for saved organizations whose parents are known (parents before children)."""
    by_id = {org.pk: org for org in organizations}
    done: set[int] = set()

    def visit(org: Organization) -> None:
        if org.pk in done:
            return
        parent = by_id.get(org.parent_id) if org.parent_id else None
        if parent is not None:
            visit(parent)
            org.parent = parent
        org.build_path()
        done.add(org.pk)

    for org in organizations:
        visit(org)


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
    taken_months = set(
        Meeting.objects.filter(cell=schedule.cell, kind=Meeting.Kind.REGULAR, date__year=year).values_list(
            "date__month", flat=True
        )
    )
    new = [
        Meeting(
            cell=schedule.cell,
            date=day,
            start_time=schedule.start_time,
            place=schedule.place,
            kind=Meeting.Kind.REGULAR,
        )
        for day in schedule.dates_in_year(year)
        if day.month not in taken_months and (from_day is None or day >= from_day)
    ]
    # With history rows, so generated meetings show who created them (the request's user).
    bulk_create_with_history(new, Meeting)
    return len(new)


def meeting_create(**fields) -> Meeting:
    meeting = Meeting(**fields)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_move(*, meeting: Meeting, day: date, start_time: time, place: str, by=None) -> Meeting:
    """Move a meeting; listeners (cells.hooks) carry planned visits along and tell the assigned cadres."""
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
def user_create(*, username: str, password: str, role: Role, scope: Organization, full_name: str = ""):
    """A login with one role inside one subtree."""
    User = get_user_model()
    first, _sep, last = full_name.rpartition(" ")
    user = User.objects.create_user(username=username, password=password, first_name=first, last_name=last)
    user.groups.add(role_group(role))
    UserProfile.objects.create(user=user, scope=scope)
    return user


def member_create(**fields) -> Member:
    member = Member(**fields)
    member.full_clean()
    member.save()
    return member


def member_update(member: Member, **fields) -> Member:
    for name, value in fields.items():
        setattr(member, name, value)
    member.full_clean()
    member.save(update_fields=list(fields))
    return member


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
def schedules_generate_year(*, schedules: list[MeetingSchedule], year: int, user=None) -> int:
    """schedule_generate_year for many cells at once (the demo, imports): one read, bulk inserts."""
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
        if (schedule.cell_id, day.month) not in taken
    ]
    bulk_create_with_history(new, Meeting, batch_size=1000, default_user=user)
    return len(new)
