"""Reads of the visit pages, built on the scoped selectors in assignments.cadres.selectors and cells.hierarchy.selectors."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import ExtractYear

from assignments.models import Assignment, AssignmentPlan, Cadre, Visit, VisitListAccess
from assignments.visits.services import ACTIVE_AT_MEETING
from cells.access.roles import Role
from cells.access.scope import scope_of
from cells.meetings.selectors import meetings_visible_to
from cells.models import Meeting, Organization
from core.dates import DateRange


def visits_for_list(user) -> QuerySet[Visit]:
    """Visible visits with everything a row shows: one query per page."""
    return visits_visible_to(user).select_related("cadre", "cell", "meeting", "planned_by")


def visit_for_page(user) -> QuerySet[Visit]:
    return visits_visible_to(user).select_related(
        "cadre__user", "cell__parent", "meeting", "planned_by", "note"
    )


def visit_accesses_visible_to(user) -> QuerySet[VisitListAccess]:
    """Who opened the visit list of a root in the user's subtree, newest first."""
    return scope_of(user).filter(VisitListAccess.objects.all(), "root__path").select_related("user", "root")


def bookable_meetings(user, *, today: date, cadre: Cadre | None = None) -> QuerySet[Meeting]:
    """Upcoming meetings the user can see of cells assigned (to ``cadre``, or to anyone) in the issued
    plan of the meeting's year: the choices of the visit forms. visit_plan checks each choice again."""
    assigned = Assignment.objects.filter(
        cell_id=OuterRef("cell_id"),
        plan__status=AssignmentPlan.Status.ISSUED,
        plan__year=ExtractYear(OuterRef("date")),
    )
    if cadre is not None:
        assigned = assigned.filter(cadre=cadre)
    return (
        meetings_visible_to(user)
        .upcoming(today)
        .filter(Exists(assigned))
        .select_related("cell")
        .order_by("date", "start_time", "cell__code")
    )


def this_month_filters(today: date) -> dict[str, str]:
    """The visit list's filter for the month of ``today``: where staff plan and follow visits."""
    month = DateRange.month_of(today)
    return {"date_from": month.start.isoformat(), "date_to": month.end.isoformat()}


# --- The choices of the visit form --------------------------------------------------------------------
MEETING_CHOICES_LIMIT = 60


def offered_meetings(user, *, cadre: Cadre, today: date, together_allowed: bool) -> list[Meeting]:
    """The meetings the form offers for ``cadre``: the bookable ones (bookable_meetings) that the save
    would also accept, i.e. not one the cadre already attends and, unless two cadres may go together,
    not one another cadre has taken. Upcoming first, at most MEETING_CHOICES_LIMIT."""
    taken = Visit.objects.filter(meeting=OuterRef("pk"), status__in=ACTIVE_AT_MEETING)
    meetings = bookable_meetings(user, today=today, cadre=cadre).exclude(Exists(taken.filter(cadre=cadre)))
    if not together_allowed:
        meetings = meetings.exclude(Exists(taken))
    return list(meetings.select_related("cell")[:MEETING_CHOICES_LIMIT])


def by_cell(meetings: list[Meeting]) -> list[tuple[Organization, list[Meeting]]]:
    """The meetings grouped by cell, the cell with the soonest meeting first (the order is kept)."""
    groups: dict[int, tuple[Organization, list[Meeting]]] = {}
    for meeting in meetings:
        groups.setdefault(meeting.cell_id, (meeting.cell, []))[1].append(meeting)
    return list(groups.values())


def visits_visible_to(user) -> QuerySet[Visit]:
    """Staff and leadership: visits to cells of their subtree. A cadre: their own. Nobody else: none."""
    scope = scope_of(user)
    if scope.everything or scope.is_office:
        return scope.filter(Visit.objects.all(), "cell__path")
    if scope.top is not None and scope.role == Role.CADRE:
        return Visit.objects.filter(cadre__user=user)
    return Visit.objects.none()
