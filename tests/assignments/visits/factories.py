"""Builders for the visit tests: an issued plan with its assignments, and meetings on given days."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone

from assignments.models import Assignment, AssignmentPlan, Cadre
from cells.models import Organization
from tests.factories import MeetingFactory

_numbers = iter(range(1, 10_000))


def next_year() -> int:
    """A year whose every meeting is still ahead: visits can be planned at any of them."""
    return timezone.localdate().year + 1


def issued_plan(
    root: Organization, year: int, pairs: Iterable[tuple[Cadre, Organization]], *, status: str = "issued"
) -> AssignmentPlan:
    """A plan of ``root`` for ``year`` with one assignment per (cadre, cell) pair."""
    issued = status == AssignmentPlan.Status.ISSUED
    plan = AssignmentPlan.objects.create(
        root=root,
        year=year,
        status=status,
        number=next(_numbers) if issued else None,
        issued_on=datetime.date(year, 1, 5) if issued else None,
        issuer_abbreviation="HU",
    )
    Assignment.objects.bulk_create(Assignment(plan=plan, cadre=cadre, cell=cell) for cadre, cell in pairs)
    return plan


def meeting_on(cell: Organization, day: datetime.date, **fields):
    return MeetingFactory(cell=cell, date=day, **fields)
