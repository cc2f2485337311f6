"""Past years' attendance records: cadre_code,cell_code,date [,meeting_kind,overall_rating,summary].

Each row brings one attendance of the paper years in: the cell's meeting of that day (created, held,
when the cell has none), the cadre's visit (attended) and an accepted note with one accepted review
round marked "Nhập từ hồ sơ cũ". A row already imported that way is left unchanged, so the same file
can be imported again.

All or nothing like every importer. A cadre must be assigned to the cell in that year's plan (the
issued one, else the latest draft) unless the import allows unassigned attendances. Registered into
the cells import registry from AssignmentsConfig.ready(). Rows are written directly, in bulk, inside
the import's transaction (the note workflow services act on one note a person is editing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from assignments.cadres.imports import cadre_of_row
from assignments.models import Assignment, AssignmentPlan, AttendanceNote, Cadre, NoteRound, Rating, Visit
from cells.imports.base import (
    BATCH_SIZE,
    CREATED,
    UNCHANGED,
    ImportContext,
    Importer,
    Plan,
    PlanRow,
    batches,
    fetch_by,
)
from cells.imports.parsing import Row
from cells.imports.values import RowChecker, label_key, parse_date
from cells.models import Meeting, MeetingSchedule, Organization

IMPORT_COMMENT = "Nhập từ hồ sơ cũ"  # marks the review round of an imported note
DEFAULT_START = time(19, 30)
UNKNOWN_PLACE = "—"
KINDS = {
    "regular": Meeting.Kind.REGULAR,
    "thematic": Meeting.Kind.THEMATIC,
    label_key("Định kỳ"): Meeting.Kind.REGULAR,
    label_key("Chuyên đề"): Meeting.Kind.THEMATIC,
}
RATINGS = {
    **{choice.value: choice for choice in Rating},
    label_key("Tốt"): Rating.GOOD,
    label_key("Khá"): Rating.FAIR,
    label_key("Trung bình"): Rating.AVERAGE,
    label_key("Yếu"): Rating.WEAK,
}


@dataclass
class Attendance:
    """One checked row: who attended which cell's meeting on which day, and what the note says."""

    row: Row
    cadre: Cadre
    cell: Organization
    day: date
    kind: str  # "" when the file leaves it to the meeting (or regular)
    rating: str
    summary: str

    @property
    def meeting_key(self) -> tuple[int, date]:
        return (self.cell.pk, self.day)


@dataclass
class _Lookups:
    """What the rows refer to, fetched once for the whole file."""

    cadres: dict[str, Cadre]
    cells: dict[str, Organization]
    meetings: dict[tuple[int, date], Meeting] = field(default_factory=dict)  # (cell, day): not cancelled
    visits: dict[tuple[int, int], Visit] = field(default_factory=dict)  # (cadre, meeting): not cancelled
    imported: set[int] = field(default_factory=set)  # visits whose note came from an import
    plans: dict[tuple[int, int], AssignmentPlan] = field(default_factory=dict)  # (root, year)
    assigned: set[tuple[int, int, int]] = field(default_factory=set)  # (plan, cadre, cell)
    start_times: dict[int, time] = field(default_factory=dict)  # cell -> its schedule's start time


@dataclass
class AttendancePayload:
    new: list[Attendance] = field(default_factory=list)
    meetings: dict[tuple[int, date], Meeting] = field(default_factory=dict)
    start_times: dict[int, time] = field(default_factory=dict)


class AttendanceImporter(Importer):
    kind = "attendance"
    label = gettext_lazy("Attendance history (past years)")
    columns = ("cadre_code", "cell_code", "date")
    optional_columns = ("meeting_kind", "overall_rating", "summary")
    order = 60

    def plan(self, rows: list[Row], context: ImportContext) -> Plan:
        plan = Plan(self.kind, (*self.columns, *self.optional_columns))
        check = RowChecker()
        lookups = _first_lookups(rows, context)
        parsed = [_parse(row, lookups, context, check) for row in _unique_rows(rows, check)]
        attendances = [attendance for attendance in parsed if attendance is not None]
        _complete_lookups(lookups, attendances)
        payload = AttendancePayload(meetings=lookups.meetings, start_times=lookups.start_times)
        for attendance in attendances:
            if _already_imported(attendance, lookups, check):
                plan.rows.append(PlanRow(attendance.row.number, UNCHANGED, attendance.row.values))
            elif _may_attend(attendance, lookups, context, check):
                plan.rows.append(PlanRow(attendance.row.number, CREATED, attendance.row.values))
                payload.new.append(attendance)
        plan.errors = check.errors
        if not check.errors:
            plan.payload = payload
        return plan

    def write(self, plan: Plan, context: ImportContext) -> None:
        payload: AttendancePayload = plan.payload
        meetings = {**payload.meetings, **_create_meetings(payload, context)}
        visits = _create_visits(payload.new, meetings, context)
        notes = _create_notes(payload.new, visits, meetings, context)
        _create_rounds(notes, context)


# --- Reading the rows ------------------------------------------------------------------------------------
def _unique_rows(rows: list[Row], check: RowChecker) -> list[Row]:
    """A row naming the cadre, cell and date of an earlier row is an error."""
    first_seen: dict[tuple[str, str, date | str], int] = {}
    kept = []
    for row in rows:
        day = parse_date(row.values["date"]) or row.values["date"]
        key = (row.values["cadre_code"], row.values["cell_code"], day)
        if key in first_seen:
            message = _("Duplicate row, already on row %(row)s.") % {"row": first_seen[key]}
            check.error(row, "date", message)
            continue
        first_seen[key] = row.number
        kept.append(row)
    return kept


def _parse(row: Row, lookups: _Lookups, context: ImportContext, check: RowChecker) -> Attendance | None:
    before = len(check.errors)
    cadre = cadre_of_row(row, lookups.cadres, context, check)
    cell = _cell(row, lookups.cells, check)
    day = _day(row, check)
    kind = _choice(row, "meeting_kind", KINDS, check)
    rating = _choice(row, "overall_rating", RATINGS, check)
    if cell is not None and day is not None and not _active_on(cell, day):
        message = _("%(code)s does not exist on %(date)s.") % {"code": cell.code, "date": row.values["date"]}
        check.error(row, "cell_code", message)
    if len(check.errors) > before:
        return None
    return Attendance(row, cadre, cell, day, kind, rating, row.values["summary"])


def _cell(row: Row, cells: dict[str, Organization], check: RowChecker) -> Organization | None:
    code = row.values["cell_code"]
    if not check.required(row, "cell_code"):
        return None
    cell = cells.get(code)
    if cell is None:
        check.error(row, "cell_code", _("Unknown cell %(code)s.") % {"code": code})
    elif not cell.is_cell:
        check.error(row, "cell_code", _("%(code)s is a committee, not a cell.") % {"code": code})
    else:
        return cell
    return None


def _day(row: Row, check: RowChecker) -> date | None:
    if not check.required(row, "date"):
        return None
    day = parse_date(row.values["date"])
    if day is None:
        check.error(row, "date", _("Not a date: write it as 2019-04-01 or 01/04/2019."))
    elif day > timezone.localdate():
        check.error(row, "date", _("The date is in the future: only past attendances can be imported."))
    else:
        return day
    return None


def _choice(row: Row, column: str, choices: dict[str, str], check: RowChecker) -> str:
    text = row.values[column]
    if not text:
        return ""
    value = choices.get(label_key(text), "")
    if not value:
        if column == "meeting_kind":
            message = _("The kind must be regular or thematic (or Định kỳ, Chuyên đề).")
        else:
            message = _("The rating must be good, fair, average or weak (or Tốt, Khá, Trung bình, Yếu).")
        check.error(row, column, message)
    return value


def _active_on(cell: Organization, day: date) -> bool:
    return (cell.valid_from is None or cell.valid_from <= day) and (
        cell.valid_to is None or cell.valid_to >= day
    )


def _root_id(organization: Organization) -> int:
    ancestors = organization.ancestor_ids()
    return ancestors[0] if ancestors else organization.pk


# --- Deciding each row -------------------------------------------------------------------------------------
def _already_imported(attendance: Attendance, lookups: _Lookups, check: RowChecker) -> bool:
    """True for a row imported before with the same values; an error for any other visit there."""
    meeting = lookups.meetings.get(attendance.meeting_key)
    visit = lookups.visits.get((attendance.cadre.pk, meeting.pk)) if meeting else None
    if visit is None:
        return False
    if visit.pk not in lookups.imported:
        message = _("%(cadre)s already has a visit at the meeting of %(cell)s on %(date)s.")
    elif not _same_note(visit.note, attendance, meeting):
        message = _("%(cadre)s at %(cell)s on %(date)s was imported before with other values.")
    else:
        return True
    values = {
        "cadre": attendance.cadre.code,
        "cell": attendance.cell.code,
        "date": attendance.row.values["date"],
    }
    check.error(attendance.row, "date", message % values)
    return False


def _same_note(note: AttendanceNote, attendance: Attendance, meeting: Meeting) -> bool:
    return (note.meeting_kind, note.overall_rating, note.summary) == (
        attendance.kind or meeting.kind,
        attendance.rating,
        attendance.summary,
    )


def _may_attend(attendance: Attendance, lookups: _Lookups, context: ImportContext, check: RowChecker) -> bool:
    """The cadre belongs to the cell's root committee and, unless allowed, is assigned to the cell."""
    cadre, cell, row = attendance.cadre, attendance.cell, attendance.row
    root_id = _root_id(cell)
    if _root_id(cadre.organization) != root_id:
        message = _("%(cadre)s is not a cadre of the committee %(cell)s belongs to.")
        check.error(row, "cadre_code", message % {"cadre": cadre.code, "cell": cell.code})
        return False
    if context.allow_unassigned:
        return True
    year = attendance.day.year
    plan = lookups.plans.get((root_id, year))
    if plan is None:
        message = _("There is no assignment plan for %(year)s; allow unassigned attendances to import it.")
        check.error(row, "cell_code", message % {"year": year})
        return False
    if (plan.pk, cadre.pk, cell.pk) not in lookups.assigned:
        message = _(
            "%(cadre)s is not assigned to %(cell)s in the plan for %(year)s; "
            "allow unassigned attendances to import it."
        )
        check.error(row, "cell_code", message % {"cadre": cadre.code, "cell": cell.code, "year": year})
        return False
    return True


# --- Fetching what the rows refer to -----------------------------------------------------------------------
def _first_lookups(rows: list[Row], context: ImportContext) -> _Lookups:
    cadres = fetch_by(
        Cadre.objects.select_related("organization").only("pk", "code", "organization__path"),
        "code",
        (row.values["cadre_code"] for row in rows if row.values["cadre_code"]),
    )
    cells = fetch_by(
        context.organizations().only("pk", "code", "kind", "path", "valid_from", "valid_to"),
        "code",
        (row.values["cell_code"] for row in rows if row.values["cell_code"]),
    )
    return _Lookups(cadres=cadres, cells=cells)


def _complete_lookups(lookups: _Lookups, attendances: list[Attendance]) -> None:
    """Meetings, visits, plans and schedules of the checked rows: a few batched queries."""
    if not attendances:
        return
    cell_ids = sorted({attendance.cell.pk for attendance in attendances})
    days = [attendance.day for attendance in attendances]
    lookups.meetings = _meetings(cell_ids, min(days), max(days))
    lookups.visits, lookups.imported = _visits(
        [meeting.pk for meeting in lookups.meetings.values()],
        {attendance.cadre.pk for attendance in attendances},
    )
    lookups.plans, lookups.assigned = _plans({(_root_id(a.cell), a.day.year) for a in attendances})
    lookups.start_times = _start_times(cell_ids)


def _meetings(cell_ids: list[int], first: date, last: date) -> dict[tuple[int, date], Meeting]:
    found: dict[tuple[int, date], Meeting] = {}
    for chunk in batches(cell_ids):
        meetings = (
            Meeting.objects.filter(cell_id__in=chunk, date__range=(first, last))
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by("-date", "-start_time", "-pk")  # the day's first meeting is kept last
            .only("pk", "cell_id", "date", "kind", "topic")
        )
        found.update({(meeting.cell_id, meeting.date): meeting for meeting in meetings})
    return found


def _visits(meeting_ids: list[int], cadre_ids: set[int]) -> tuple[dict[tuple[int, int], Visit], set[int]]:
    visits: dict[tuple[int, int], Visit] = {}
    imported: set[int] = set()
    for chunk in batches(sorted(meeting_ids)):
        found = (
            Visit.objects.filter(meeting_id__in=chunk, cadre_id__in=cadre_ids)
            .exclude(status=Visit.Status.CANCELLED)
            .select_related("note")
        )
        visits.update({(visit.cadre_id, visit.meeting_id): visit for visit in found})
        imported.update(
            NoteRound.objects.filter(
                note__visit__meeting_id__in=chunk,
                note__status=AttendanceNote.Status.ACCEPTED,
                number=1,
                comment=IMPORT_COMMENT,
            ).values_list("note__visit_id", flat=True)
        )
    return visits, imported


def _plans(
    keys: set[tuple[int, int]],
) -> tuple[dict[tuple[int, int], AssignmentPlan], set[tuple[int, int, int]]]:
    """Each (root, year)'s plan: the issued one, else the latest draft."""
    roots, years = {root for root, _year in keys}, {year for _root, year in keys}
    candidates = AssignmentPlan.objects.filter(root_id__in=roots, year__in=years).order_by("pk")
    plans: dict[tuple[int, int], AssignmentPlan] = {}
    for plan in candidates.only("pk", "root_id", "year", "status"):
        current = plans.get((plan.root_id, plan.year))
        if current is None or not current.is_issued:
            plans[(plan.root_id, plan.year)] = plan
    assigned = set(
        Assignment.objects.filter(plan__in=list(plans.values())).values_list("plan_id", "cadre_id", "cell_id")
    )
    return plans, assigned


def _start_times(cell_ids: list[int]) -> dict[int, time]:
    times: dict[int, time] = {}
    for chunk in batches(cell_ids):
        times.update(MeetingSchedule.objects.filter(cell_id__in=chunk).values_list("cell_id", "start_time"))
    return times


# --- Writing -----------------------------------------------------------------------------------------------
def _create_meetings(payload: AttendancePayload, context: ImportContext) -> dict[tuple[int, date], Meeting]:
    """The held meeting of each (cell, day) that has none yet, one per cell and day."""
    new: dict[tuple[int, date], Meeting] = {}
    for attendance in payload.new:
        if attendance.meeting_key in payload.meetings or attendance.meeting_key in new:
            continue
        kind = attendance.kind or Meeting.Kind.REGULAR
        new[attendance.meeting_key] = Meeting(
            cell=attendance.cell,
            date=attendance.day,
            start_time=payload.start_times.get(attendance.cell.pk, DEFAULT_START),
            place=UNKNOWN_PLACE,
            kind=kind,
            topic=UNKNOWN_PLACE if kind == Meeting.Kind.THEMATIC else "",  # a thematic meeting needs one
            status=Meeting.Status.HELD,
        )
    bulk_create_with_history(list(new.values()), Meeting, batch_size=BATCH_SIZE, default_user=context.user)
    return new


def _create_visits(
    attendances: list[Attendance], meetings: dict[tuple[int, date], Meeting], context: ImportContext
) -> list[Visit]:
    visits = [
        Visit(
            cadre=attendance.cadre,
            cell=attendance.cell,
            meeting=meetings[attendance.meeting_key],
            meeting_date=meetings[attendance.meeting_key].date,
            status=Visit.Status.ATTENDED,
            planned_by=context.user,
        )
        for attendance in attendances
    ]
    return bulk_create_with_history(visits, Visit, batch_size=BATCH_SIZE, default_user=context.user)


def _create_notes(
    attendances: list[Attendance],
    visits: list[Visit],
    meetings: dict[tuple[int, date], Meeting],
    context: ImportContext,
) -> list[AttendanceNote]:
    notes = []
    for attendance, visit in zip(attendances, visits, strict=True):
        meeting = meetings[attendance.meeting_key]
        notes.append(
            AttendanceNote(
                visit=visit,
                author=attendance.cadre,
                status=AttendanceNote.Status.ACCEPTED,
                meeting_date=attendance.day,
                meeting_kind=attendance.kind or meeting.kind,
                topic=meeting.topic if meeting.topic != UNKNOWN_PLACE else "",
                overall_rating=attendance.rating,
                summary=attendance.summary,
                submitted_at=filed_at(attendance.day),
            )
        )
    return bulk_create_with_history(notes, AttendanceNote, batch_size=BATCH_SIZE, default_user=context.user)


def filed_at(day: date) -> datetime:
    """An imported note was filed on paper: it counts as submitted on its meeting's day (the end of it,
    local time), not on the day of the import, so the history does not read as late."""
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


def _create_rounds(notes: list[AttendanceNote], context: ImportContext) -> None:
    now = timezone.now()
    rounds = [
        NoteRound(
            note=note,
            number=1,
            snapshot=_snapshot(note),
            submitted_at=note.submitted_at,
            decision=NoteRound.Decision.ACCEPTED,
            comment=IMPORT_COMMENT,
            reviewed_by=context.user,
            reviewed_at=now,
        )
        for note in notes
    ]
    NoteRound.objects.bulk_create(rounds, batch_size=BATCH_SIZE)


def _snapshot(note: AttendanceNote) -> dict[str, str]:
    return {
        "meeting_date": note.meeting_date.isoformat(),
        "meeting_kind": note.meeting_kind,
        "topic": note.topic,
        "overall_rating": note.overall_rating,
        "summary": note.summary,
    }
