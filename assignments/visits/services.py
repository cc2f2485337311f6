"""Writes of visits: plan one, move it, record how it went, propose a month (or quarter) of them, and
carry planned visits along when a cell's meeting moves or is cancelled.

Visits are confidential: nothing here may change what grassroots staff see or are told (see
visit_meeting_changed below: the cadres' notices go to every assigned cadre, visit or not).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.models import Assignment, AssignmentPlan, Cadre, Visit, VisitListAccess
from assignments.notifications import events as notifications
from cells.meetings.hooks import MeetingChange
from cells.models import Meeting, Organization
from core.dates import month_first, month_last, quarter_months

# The statuses that keep a meeting "taken" by a cadre (a cancelled visit frees it).
ACTIVE_AT_MEETING = (Visit.Status.PLANNED, Visit.Status.ATTENDED, Visit.Status.MISSED)
# A month already covered for a cadre: a visit planned or held in it.
COVERS_MONTH = (Visit.Status.PLANNED, Visit.Status.ATTENDED)
MARKS = (Visit.Status.ATTENDED, Visit.Status.MISSED, Visit.Status.CANCELLED)
MOVABLE = (Visit.Status.PLANNED, Visit.Status.NEEDS_DATE)

# Weights against repeating last time's cell and week of the month: a cell cannot predict its visitor.
SAME_CELL_WEIGHT = 0.25
SAME_WEEK_WEIGHT = 0.35
# How far back "last time" is looked for.
HISTORY_WINDOW = timedelta(days=180)


# --- One visit -----------------------------------------------------------------------------------------
@transaction.atomic
def visit_plan(
    *, cadre: Cadre, meeting: Meeting, by, together_allowed: bool = False, today: date | None = None
) -> Visit:
    """Plan ``cadre``'s visit to ``meeting``: a meeting of one of their cells in that year's issued plan,
    not cancelled, not past, and not already taken by another cadre unless ``together_allowed``."""
    meeting = _locked(meeting)
    _check_meeting(cadre=cadre, meeting=meeting, together_allowed=together_allowed, today=today)
    visit = Visit(
        cadre=cadre,
        cell=meeting.cell,
        meeting=meeting,
        together_allowed=together_allowed,
        planned_by=by,
    )
    visit.full_clean()
    visit.save()
    return visit


@transaction.atomic
def visit_reschedule(
    *,
    visit: Visit,
    meeting: Meeting,
    by,
    together_allowed: bool | None = None,
    today: date | None = None,
) -> Visit:
    """Move a planned visit (or one waiting for a new date) to another meeting, under the same rules."""
    if visit.status not in MOVABLE:
        raise ValidationError(_("Only a planned visit or one that needs a new date can be moved."))
    meeting = _locked(meeting)
    allowed = visit.together_allowed if together_allowed is None else together_allowed
    _check_meeting(
        cadre=visit.cadre, meeting=meeting, together_allowed=allowed, today=today, visit_pk=visit.pk
    )
    visit.meeting, visit.cell, visit.together_allowed = meeting, meeting.cell, allowed
    visit.status = Visit.Status.PLANNED
    visit.full_clean()
    visit.save(update_fields=["meeting", "cell", "together_allowed", "status"])
    return visit


def visit_mark(*, visit: Visit, status: str, by=None, today: date | None = None) -> Visit:
    """Record how a visit went (attended, missed) or call it off (cancelled)."""
    if status not in MARKS:
        raise ValidationError({"status": _("Choose attended, missed or cancelled.")})
    if status == Visit.Status.CANCELLED:
        _check_cancellable(visit)
    else:
        _check_markable(visit, today or timezone.localdate())
    visit.status = status
    visit.full_clean()
    visit.save(update_fields=["status"])
    return visit


def _check_cancellable(visit: Visit) -> None:
    if visit.status not in MOVABLE:
        raise ValidationError({"status": _("Only a planned visit can be cancelled.")})


def _check_markable(visit: Visit, today: date) -> None:
    if visit.status not in ACTIVE_AT_MEETING or visit.meeting is None:
        raise ValidationError({"status": _("This visit has no meeting to record.")})
    if visit.meeting.date > today:
        raise ValidationError({"status": _("The meeting has not taken place yet.")})


def _locked(meeting: Meeting) -> Meeting:
    """The meeting row, locked: two staff planning the same meeting at once cannot both book it."""
    return Meeting.objects.select_for_update().select_related("cell").get(pk=meeting.pk)


def _check_meeting(
    *, cadre: Cadre, meeting: Meeting, together_allowed: bool, today: date | None, visit_pk: int | None = None
) -> None:
    today = today or timezone.localdate()
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError({"meeting": _("This meeting is cancelled.")})
    if meeting.date < today:
        raise ValidationError({"meeting": _("This meeting has already taken place.")})
    if not is_assigned(cadre=cadre, cell=meeting.cell, year=meeting.date.year):
        raise ValidationError(
            {
                "meeting": _("%(cadre)s is not assigned to cell %(cell)s in the issued plan of %(year)s.")
                % {"cadre": cadre.full_name, "cell": meeting.cell.label, "year": meeting.date.year}
            }
        )
    others = Visit.objects.filter(meeting=meeting, status__in=ACTIVE_AT_MEETING).exclude(pk=visit_pk)
    if others.filter(cadre=cadre).exists():
        raise ValidationError({"meeting": _("This cadre already plans to attend this meeting.")})
    if not together_allowed and others.exists():
        raise ValidationError({"meeting": _("Another cadre already plans to attend this meeting.")})


def is_assigned(*, cadre: Cadre, cell: Organization, year: int) -> bool:
    return Assignment.objects.filter(
        cadre=cadre, cell=cell, plan__status=AssignmentPlan.Status.ISSUED, plan__year=year
    ).exists()


# --- Proposing a month (or a quarter) --------------------------------------------------------------------
@dataclass(frozen=True)
class ProposedVisit:
    cadre: Cadre
    meeting: Meeting

    @property
    def token(self) -> str:
        """How the proposal page posts the row back for acceptance."""
        return f"{self.cadre.pk}:{self.meeting.pk}"


@dataclass(frozen=True)
class Unplaced:
    cadre: Cadre
    month: int


@dataclass
class Proposal:
    plan: AssignmentPlan
    months: list[int]
    rows: list[ProposedVisit] = field(default_factory=list)
    # Cadres left without a visit in a month: no free meeting of their cells (or all already taken).
    unplaced: list[Unplaced] = field(default_factory=list)


@dataclass(frozen=True)
class LastVisit:
    cell_id: int
    week: int


def week_of_month(day: date) -> int:
    """1 for days 1–7, 2 for 8–14 … 5 for 29–31."""
    return (day.day - 1) // 7 + 1


def visit_propose(
    *,
    root: Organization,
    year: int,
    month: int | None = None,
    quarter: int | None = None,
    seed: int | None = None,
    today: date | None = None,
) -> Proposal:
    """One visit per cadre per month, picked at random among the upcoming meetings of their cells in the
    issued plan, never two cadres at one meeting, weighted against last time's cell and week. Not saved."""
    data = proposal_input(root=root, year=year, month=month, quarter=quarter, today=today)
    return proposal_draw(data, seed)


@dataclass(frozen=True)
class ProposalInput:
    """Everything a draw needs, read from the database once (so many draws cost no queries)."""

    plan: AssignmentPlan
    months: list[int]
    cadres: dict[int, Cadre]
    cells_of: dict[int, set[int]]
    meetings: list[Meeting]  # open meetings of the plan's cells in the period, not taken by anyone
    covered: set[tuple[int, int]]  # (cadre, month) that already have a visit planned or held
    last: dict[int, LastVisit]  # each cadre's latest visit before the period


def proposal_input(
    *,
    root: Organization,
    year: int,
    month: int | None = None,
    quarter: int | None = None,
    today: date | None = None,
) -> ProposalInput:
    months = _months(month, quarter)
    plan = issued_plan(root=root, year=year)
    cadres = {a.cadre_id: a.cadre for a in plan.assignments.select_related("cadre")}
    cells_of = _cells_by_cadre(plan)
    start, end = month_first(year, months[0]), month_last(year, months[-1])
    meetings = _open_meetings(cells_of, max(start, today or timezone.localdate()), end)
    taken = _taken_meeting_ids(meetings)
    return ProposalInput(
        plan=plan,
        months=months,
        cadres=cadres,
        cells_of=cells_of,
        meetings=[meeting for meeting in meetings if meeting.pk not in taken],
        covered=_covered_months(cadres, start, end),
        last=_last_visits(cadres, start),
    )


def proposal_draw(data: ProposalInput, seed: int | None = None) -> Proposal:
    """One random draw over ``data``; the same seed gives the same proposal."""
    rng = random.Random(seed)  # noqa: S311 - unpredictability for a cell, not cryptography
    last = dict(data.last)
    proposal = Proposal(plan=data.plan, months=data.months)
    for month in data.months:
        in_month = [m for m in data.meetings if m.date.month == month]
        candidates = {
            cadre_id: [m for m in in_month if m.cell_id in cells]
            for cadre_id, cells in data.cells_of.items()
            if (cadre_id, month) not in data.covered
        }
        picks = allocate(candidates, last, rng)
        for cadre_id in sorted(candidates, key=lambda pk: data.cadres[pk].full_name):
            cadre = data.cadres[cadre_id]
            if cadre_id not in picks:
                proposal.unplaced.append(Unplaced(cadre=cadre, month=month))
                continue
            meeting = picks[cadre_id]
            proposal.rows.append(ProposedVisit(cadre=cadre, meeting=meeting))
            last[cadre_id] = LastVisit(cell_id=meeting.cell_id, week=week_of_month(meeting.date))
    proposal.rows.sort(key=lambda row: (row.meeting.date, row.cadre.full_name))
    return proposal


def issued_plan(*, root: Organization, year: int) -> AssignmentPlan:
    plan = AssignmentPlan.objects.filter(root=root, year=year, status=AssignmentPlan.Status.ISSUED).first()
    if plan is None:
        raise ValidationError(_("There is no issued assignment plan for %(year)s.") % {"year": year})
    return plan


def _months(month: int | None, quarter: int | None) -> list[int]:
    if (month is None) == (quarter is None):
        raise ValidationError(_("Choose either a month or a quarter."))
    if month is not None:
        if not 1 <= month <= 12:
            raise ValidationError(_("A month is between 1 and 12."))
        return [month]
    if not 1 <= quarter <= 4:
        raise ValidationError(_("A quarter is between 1 and 4."))
    return quarter_months(quarter)


def _cells_by_cadre(plan: AssignmentPlan) -> dict[int, set[int]]:
    cells: dict[int, set[int]] = defaultdict(set)
    for cadre_id, cell_id in plan.assignments.values_list("cadre_id", "cell_id"):
        cells[cadre_id].add(cell_id)
    return dict(cells)


def _open_meetings(cells_of: dict[int, set[int]], first_day: date, end: date) -> list[Meeting]:
    """Meetings of the plan's cells in the period that can still be visited (not past, not cancelled)."""
    cell_ids = set().union(*cells_of.values()) if cells_of else set()
    return list(
        Meeting.objects.filter(cell_id__in=cell_ids, date__gte=first_day, date__lte=end)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("cell")
        .order_by("date", "start_time", "pk")
    )


def _taken_meeting_ids(meetings: list[Meeting]) -> set[int]:
    return set(
        Visit.objects.filter(meeting__in=meetings, status__in=ACTIVE_AT_MEETING).values_list(
            "meeting_id", flat=True
        )
    )


def _covered_months(cadres: dict[int, Cadre], start: date, end: date) -> set[tuple[int, int]]:
    """(cadre, month) pairs that already have a visit planned or held: the proposal skips them."""
    rows = Visit.objects.filter(
        cadre_id__in=cadres, status__in=COVERS_MONTH, meeting__date__gte=start, meeting__date__lte=end
    ).values_list("cadre_id", "meeting__date")
    return {(cadre_id, day.month) for cadre_id, day in rows}


def _last_visits(cadres: dict[int, Cadre], before: date) -> dict[int, LastVisit]:
    """Each cadre's latest visit before the period: the cell and week the next pick weighs against."""
    rows = (
        Visit.objects.filter(
            cadre_id__in=cadres,
            status__in=ACTIVE_AT_MEETING,
            meeting__date__lt=before,
            meeting__date__gte=before - HISTORY_WINDOW,
        )
        .order_by("cadre_id", "-meeting__date")
        .values_list("cadre_id", "cell_id", "meeting__date")
    )
    last: dict[int, LastVisit] = {}
    for cadre_id, cell_id, day in rows:
        last.setdefault(cadre_id, LastVisit(cell_id=cell_id, week=week_of_month(day)))
    return last


def allocate(
    candidates: dict[int, list[Meeting]], last: dict[int, LastVisit], rng: random.Random
) -> dict[int, Meeting]:
    """Give each cadre one meeting of their candidates, no meeting twice.

    Cadres with the fewest options choose first (ties in random order), each by a weighted draw; a cadre
    whose options are all taken gets one by moving earlier cadres to other free options (an augmenting
    path), so everyone who can have a visit gets one."""
    owner: dict[int, int] = {}
    picks: dict[int, Meeting] = {}
    for cadre_id in sorted(candidates, key=lambda pk: (len(candidates[pk]), rng.random())):
        free = [m for m in candidates[cadre_id] if m.pk not in owner]
        if free:
            meeting = weighted_choice(free, last.get(cadre_id), rng)
            owner[meeting.pk], picks[cadre_id] = cadre_id, meeting
        else:
            _augment(cadre_id, candidates, owner, picks, rng, set())
    return picks


def _augment(
    cadre_id: int,
    candidates: dict[int, list[Meeting]],
    owner: dict[int, int],
    picks: dict[int, Meeting],
    rng: random.Random,
    seen: set[int],
) -> bool:
    options = list(candidates[cadre_id])
    rng.shuffle(options)
    for meeting in options:
        if meeting.pk in seen:
            continue
        seen.add(meeting.pk)
        holder = owner.get(meeting.pk)
        if holder is None or _augment(holder, candidates, owner, picks, rng, seen):
            owner[meeting.pk], picks[cadre_id] = cadre_id, meeting
            return True
    return False


def weighted_choice(meetings: list[Meeting], last: LastVisit | None, rng: random.Random) -> Meeting:
    return rng.choices(meetings, weights=[meeting_weight(m, last) for m in meetings])[0]


def meeting_weight(meeting: Meeting, last: LastVisit | None) -> float:
    weight = 1.0
    if last is not None and meeting.cell_id == last.cell_id:
        weight *= SAME_CELL_WEIGHT
    if last is not None and week_of_month(meeting.date) == last.week:
        weight *= SAME_WEEK_WEIGHT
    return weight


@transaction.atomic
def visit_proposal_accept(
    *, rows: Iterable[tuple[Cadre, Meeting]], by, today: date | None = None
) -> list[Visit]:
    """Save the accepted rows of a proposal, all or nothing: each is checked again as visit_plan does."""
    visits, errors = [], []
    for cadre, meeting in rows:
        try:
            visits.append(visit_plan(cadre=cadre, meeting=meeting, by=by, today=today))
        except ValidationError as error:
            errors.extend(
                _("%(cadre)s, %(cell)s %(date)s: %(error)s")
                % {
                    "cadre": cadre.full_name,
                    "cell": meeting.cell.label,
                    "date": meeting.date.strftime("%d/%m/%Y"),
                    "error": message,
                }
                for message in error.messages
            )
    if errors:
        raise ValidationError(errors)
    return visits


# --- When a meeting moves or is cancelled (cells.meetings.hooks) ---------------------------------------------
def visit_meeting_changed(*, meeting: Meeting, change: MeetingChange, by=None) -> None:
    """Moved: planned visits point at the meeting, so they follow it; every assigned cadre is told the
    new date, time and place. Cancelled: its planned visits wait for a new date (their cadres are told to
    pick one) and every other assigned cadre is told of the cancellation. Runs inside the caller's
    transaction; the same notices go out whether or not a visit was planned."""
    if change == MeetingChange.MOVED:
        meeting.visits.exclude(meeting_date=meeting.date).update(meeting_date=meeting.date)
        notifications.meeting_moved_notify(meeting=meeting)
    elif change == MeetingChange.CANCELLED and not _was_already_cancelled(meeting):
        waiting = visits_release(meeting=meeting)
        notifications.meeting_cancelled_notify(meeting=meeting, waiting=waiting)


def visits_release(*, meeting: Meeting) -> list[Visit]:
    """The meeting's planned visits, set to "needs a new date" and detached from it (with history)."""
    visits = list(meeting.visits.filter(status=Visit.Status.PLANNED).select_related("cadre__user", "cell"))
    for visit in visits:
        visit.status, visit.meeting = Visit.Status.NEEDS_DATE, None
        visit.save(update_fields=["status", "meeting"])
    return visits


def _was_already_cancelled(meeting: Meeting) -> bool:
    """A second "cancel" of a cancelled meeting tells nobody anything new."""
    records = list(meeting.history.order_by("-history_date", "-history_id")[:2])
    return len(records) == 2 and records[1].status == Meeting.Status.CANCELLED


# --- Who looked at the visit list ------------------------------------------------------------------
def visit_list_access_record(*, user, root: Organization, path: str) -> VisitListAccess:
    """Every look at the confidential visit list is kept: who, when, which page (filters included)."""
    max_length = VisitListAccess._meta.get_field("path").max_length
    return VisitListAccess.objects.create(user=user, root=root, path=path[:max_length])
