"""Reads for the cadre's own pages and calendar feed: built on the scoped selectors, never beside them.

A cadre sees their own assignments in issued plans (assignments_visible_to), the meetings of those cells
(meetings_visible_to) and their own visits (visits_visible_to). Nothing here widens what those allow.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber

from assignments.models import Assignment, AttendanceNote, Cadre, CalendarFeed, NoteRound, Visit
from assignments.notes.selectors import notes_visible_to
from assignments.plans.selectors import assignments_visible_to
from assignments.visits.selectors import visits_visible_to
from cells.meetings.selectors import meetings_visible_to
from cells.models import Meeting

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


# --- My notes by state ------------------------------------------------------------------------------------
NOTES_PER_STATE = 3
# The order the cadre's page lists them in: what still needs the cadre's hand first.
NOTE_STATES = (
    AttendanceNote.Status.DRAFT,
    AttendanceNote.Status.RETURNED,
    AttendanceNote.Status.SUBMITTED,
    AttendanceNote.Status.ACCEPTED,
)


def my_notes(user) -> QuerySet[AttendanceNote]:
    """The user's own notes (a cadre reads only those), latest meeting first, with the latest return's
    comment as ``review_comment`` (for returned notes)."""
    comment = (
        NoteRound.objects.filter(note=OuterRef("pk"), decision=NoteRound.Decision.RETURNED)
        .order_by("-number")
        .values("comment")[:1]
    )
    return (
        notes_visible_to(user)
        .filter(author__user=user)
        .select_related("visit__cell")
        .annotate(review_comment=Subquery(comment))
        .order_by("-meeting_date", "-pk")
    )


@dataclass(frozen=True)
class NoteGroup:
    status: str
    label: str
    notes: list[AttendanceNote]
    total: int


def my_latest_notes(user) -> list[NoteGroup]:
    """The latest NOTES_PER_STATE notes of each state, and how many there are of each: one query."""
    rank = Window(
        RowNumber(), partition_by=[F("status")], order_by=[F("meeting_date").desc(), F("pk").desc()]
    )
    total = Window(Count("pk"), partition_by=[F("status")])
    rows = my_notes(user).annotate(rank=rank, state_total=total).filter(rank__lte=NOTES_PER_STATE)
    by_state: dict[str, list[AttendanceNote]] = defaultdict(list)
    for note in rows:
        by_state[note.status].append(note)
    labels = dict(AttendanceNote.Status.choices)
    return [
        NoteGroup(
            status=status,
            label=str(labels[status]),
            notes=by_state[status],
            total=by_state[status][0].state_total if by_state[status] else 0,
        )
        for status in NOTE_STATES
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
