"""Reads for the cadre's own pages and calendar feed: built on the scoped selectors, never beside them.

A cadre sees their own assignments in issued plans (assignments_visible_to), the meetings of those cells
(meetings_visible_to) and their own visits (visits_visible_to). Nothing here widens what those allow.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.db.models import Exists, F, OuterRef, QuerySet, Window
from django.db.models.functions import ExtractMonth, RowNumber

from cells.models import Meeting
from cells.selectors import meetings_visible_to

from .models import Assignment, Cadre, CalendarFeed, Visit
from .selectors import assignments_visible_to, visits_visible_to

UPCOMING_PER_CELL = 3


# --- My cells and their meetings -----------------------------------------------------------------------
def my_assignments(user, year: int) -> QuerySet[Assignment]:
    """The user's own assignments in the issued plan of ``year``, with what the page shows of the cell."""
    return (
        assignments_visible_to(user)
        .filter(plan__year=year)
        .select_related("cell__parent", "cell__cell_type", "cell__schedule")
        .order_by("cell__code_key", "cell__code")
    )


def upcoming_meetings_by_cell(user, cell_ids: list[int], today: date) -> dict[int, list[Meeting]]:
    """The next UPCOMING_PER_CELL meetings of each cell (cancelled ones included, to be marked): one query."""
    rank = Window(RowNumber(), partition_by=[F("cell_id")], order_by=[F("date").asc(), F("start_time").asc()])
    meetings = (
        meetings_visible_to(user)
        .filter(cell_id__in=cell_ids, date__gte=today)
        .annotate(rank=rank)
        .filter(rank__lte=UPCOMING_PER_CELL)
        .order_by("date", "start_time")
    )
    by_cell: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        by_cell[meeting.cell_id].append(meeting)
    return by_cell


# --- My visits --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OpenVisits:
    upcoming: list[Visit]  # planned, meeting today or later, soonest first
    awaiting_result: list[Visit]  # planned, meeting already past, not yet recorded; latest first
    needs_date: list[Visit]  # the meeting was cancelled: a new one must be chosen

    @property
    def meeting_ids(self) -> set[int]:
        return {visit.meeting_id for visit in self.upcoming}


def my_open_visits(user, today: date) -> OpenVisits:
    """The user's planned visits and those needing a new date: one query, split here."""
    visits = (
        visits_visible_to(user)
        .filter(status__in=[Visit.Status.PLANNED, Visit.Status.NEEDS_DATE])
        .select_related("cell", "meeting")
        .order_by("meeting__date", "meeting__start_time", "pk")
    )
    upcoming, past, needs_date = [], [], []
    for visit in visits:
        if visit.status == Visit.Status.NEEDS_DATE or visit.meeting is None:
            needs_date.append(visit)
        elif visit.meeting.date >= today:
            upcoming.append(visit)
        else:
            past.append(visit)
    return OpenVisits(upcoming=upcoming, awaiting_result=past[::-1], needs_date=needs_date)


# --- The rule: at least one attended meeting a month ------------------------------------------------------
class MonthStatus(StrEnum):
    ATTENDED = "attended"
    PLANNED = "planned"
    MISSED = "missed"
    NONE = "none"


# The best thing that happened in a month decides its status.
_PRECEDENCE = (
    (Visit.Status.ATTENDED, MonthStatus.ATTENDED),
    (Visit.Status.PLANNED, MonthStatus.PLANNED),
    (Visit.Status.MISSED, MonthStatus.MISSED),
)


@dataclass(frozen=True)
class MonthGlance:
    month: int
    status: MonthStatus
    is_past: bool
    is_current: bool

    @property
    def falls_short(self) -> bool:
        """A month that is over with nothing attended breaks the one-a-month rule."""
        return self.is_past and self.status != MonthStatus.ATTENDED


def visit_statuses_by_month(user, year: int) -> dict[int, set[str]]:
    """Month -> the statuses of the user's dated visits in that month of ``year``: one grouped query."""
    rows = (
        visits_visible_to(user)
        .filter(meeting__date__year=year)
        .exclude(status=Visit.Status.CANCELLED)
        .annotate(month=ExtractMonth("meeting__date"))
        .order_by()
        .values_list("month", "status")
        .distinct()
    )
    statuses: dict[int, set[str]] = defaultdict(set)
    for month, status in rows:
        statuses[month].add(status)
    return statuses


def month_status(statuses: set[str]) -> MonthStatus:
    for visit_status, status in _PRECEDENCE:
        if visit_status in statuses:
            return status
    return MonthStatus.NONE


def year_glance(statuses_by_month: dict[int, set[str]], today: date) -> list[MonthGlance]:
    """The twelve months of today's year, each with its status."""
    return [
        MonthGlance(
            month=month,
            status=month_status(statuses_by_month.get(month, set())),
            is_past=month < today.month,
            is_current=month == today.month,
        )
        for month in range(1, 13)
    ]


# --- The calendar feed -------------------------------------------------------------------------------------
def active_feed_of(cadre: Cadre) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(cadre=cadre, revoked_at__isnull=True).first()


def cadre_for_feed_token(token: str) -> Cadre | None:
    """The cadre behind an active feed token, if their login still exists, is active and is a cadre's."""
    feed = (
        CalendarFeed.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("cadre__user")
        .first()
    )
    if feed is None or feed.cadre.user is None or not feed.cadre.user.is_active:
        return None
    return feed.cadre


def feed_visits(user, cadre: Cadre, since: date) -> QuerySet[Visit]:
    """The cadre's planned visits whose meeting is on or after ``since``."""
    return (
        visits_visible_to(user)
        .planned()
        .filter(cadre=cadre, meeting__isnull=False, meeting__date__gte=since)
        .select_related("cell", "meeting__cell")
        .order_by("meeting__date", "meeting__start_time", "pk")
    )


def feed_meetings(user, since: date) -> QuerySet[Meeting]:
    """Meetings from ``since`` on of the cells the user is assigned to in that meeting's year's issued plan."""
    assigned = assignments_visible_to(user).filter(cell=OuterRef("cell"), plan__year=OuterRef("date__year"))
    return (
        meetings_visible_to(user)
        .filter(date__gte=since)
        .filter(Exists(assigned))
        .select_related("cell")
        .order_by("date", "start_time", "pk")
    )
