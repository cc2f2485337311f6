"""Writes of attendance notes: the cadre drafts, autosaves and submits; organization staff accept or
return; accepted flagged sections become escalations that leadership directs and resolves.

Every write checks the person, then the version it started from (optimistic lock), then the status, so
a stale second save or review is told "someone changed this" (NoteConflict) rather than a status error.
Every audited save carries ``_history_user`` so simple_history records who made the change.
"""

from __future__ import annotations

import os
import uuid
from datetime import date, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.cadres.selectors import cadre_of
from assignments.models import (
    Assignment,
    AssignmentPlan,
    AttendanceNote,
    Cadre,
    Escalation,
    NoteAttachment,
    NoteRound,
    Visit,
)
from assignments.notifications import events as notifications
from cells.access.roles import Role
from cells.access.scope import scope_of, sees_everything
from cells.models import Meeting, Member, Organization

# What the author may change (note_save's whitelist and the snapshot of a round).
EDITABLE_FIELDS = (
    "meeting_kind",
    "topic",
    "held",
    "not_held_reason",
    "members_total",
    "members_present",
    "absent_with_reason",
    "absent_without_reason",
    "started_on_time",
    "committee_prepared",
    "chaired_by",
    "rating_preparation",
    "rating_content",
    "rating_criticism",
    "rating_participation",
    "rating_resolution",
    "overall_rating",
    "summary",
    "conveyed",
    "good_practices",
    "shortcomings",
    "petitions",
    "petitions_escalate",
    "difficulties",
    "difficulties_escalate",
    "proposals",
)
# Model fields the author may never set through note_save: naming one is refused, not ignored.
PROTECTED_FIELDS = frozenset(
    f.name for f in AttendanceNote._meta.concrete_fields if f.name not in EDITABLE_FIELDS
) | {"visit_id", "author_id"}
EDITABLE_STATUSES = (AttendanceNote.Status.DRAFT, AttendanceNote.Status.RETURNED)
STARTABLE_VISITS = (Visit.Status.PLANNED, Visit.Status.ATTENDED)
ESCALATED_SECTIONS = (
    (Escalation.Source.PETITIONS, "petitions", "petitions_escalate"),
    (Escalation.Source.DIFFICULTIES, "difficulties", "difficulties_escalate"),
)
MAX_ATTACHMENTS = 10
# Magic numbers of the allowed uploads; the declared type and the file name are never trusted.
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG", "image/png"),
    (b"%PDF", "application/pdf"),
)


class NoteConflict(Exception):
    """Someone saved the note (or reviewed the round) since the caller loaded it."""

    def __init__(self, current: AttendanceNote | NoteRound) -> None:
        super().__init__(_("Someone else changed this in the meantime."))
        self.current = current


# --- Helpers -----------------------------------------------------------------------------------------
def _save(obj, by, **kwargs) -> None:
    """Save with the acting user recorded in the audit history (if the model keeps one)."""
    obj._history_user = by
    obj.save(**kwargs)


def _locked_note(note: AttendanceNote) -> AttendanceNote:
    return (
        AttendanceNote.objects.select_for_update(of=("self",)).select_related("visit__cell").get(pk=note.pk)
    )


def _require_cadre(by, cadre: Cadre) -> None:
    if sees_everything(by):
        return
    own = cadre_of(by)
    if own is None or own.pk != cadre.pk:
        raise PermissionDenied(_("Only the cadre who attended can do this."))


def _require_office(by, cell: Organization, *roles: Role) -> None:
    scope = scope_of(by)
    if not (scope.holds(roles) and scope.contains(cell)):
        raise PermissionDenied(_("You may not do this."))


def _check_editable(note: AttendanceNote) -> None:
    if note.status not in EDITABLE_STATUSES:
        raise ValidationError(_("This note has been submitted and can no longer be changed."))


def _prefill(note: AttendanceNote, meeting: Meeting) -> None:
    note.meeting_date = meeting.date
    note.meeting_kind = meeting.kind
    note.topic = meeting.topic
    note.members_total = Member.objects.filter(cell_id=meeting.cell_id).count()


# --- The cadre's side --------------------------------------------------------------------------------
@transaction.atomic
def note_start(*, visit: Visit, by, today: date | None = None) -> AttendanceNote:
    """Open the visit's note: create the draft (prefilled from the meeting) or return the existing one."""
    visit = Visit.objects.select_for_update(of=("self",)).select_related("meeting", "cadre").get(pk=visit.pk)
    _require_cadre(by, visit.cadre)
    existing = AttendanceNote.objects.filter(visit=visit).first()
    if existing is not None:
        return existing
    today = today or timezone.localdate()
    if visit.status not in STARTABLE_VISITS or visit.meeting is None:
        raise ValidationError(_("A note can only be written for a planned or attended visit."))
    if visit.meeting.date > today:
        raise ValidationError(_("A note can only be written on or after the day of the meeting."))
    note = AttendanceNote(visit=visit, author=visit.cadre)
    _prefill(note, visit.meeting)
    note.full_clean()
    _save(note, by)
    return note


@transaction.atomic
def note_record_unplanned(
    *,
    cadre: Cadre,
    cell: Organization,
    meeting_date: date,
    meeting_kind: str,
    topic: str = "",
    by,
    today: date | None = None,
) -> AttendanceNote:
    """Record a meeting the cadre attended without a planned visit: one of their cells in that year's
    issued plan, not in the future. Uses the cell's meeting that day (or records one as held), creates
    the visit as attended and returns the draft note."""
    _require_cadre(by, cadre)
    today = today or timezone.localdate()
    if meeting_date > today:
        raise ValidationError({"meeting_date": _("A meeting in the future cannot be recorded.")})
    if not _assigned(cadre, cell, meeting_date.year):
        raise ValidationError(
            {"cell": _("This cell is not assigned to you in the issued plan of that year.")}
        )
    meeting = _meeting_on(cell, meeting_date, meeting_kind, topic)
    visit = Visit.objects.filter(cadre=cadre, meeting=meeting).exclude(status=Visit.Status.CANCELLED).first()
    if visit is None:
        visit = Visit(cadre=cadre, cell=cell, meeting=meeting, status=Visit.Status.ATTENDED, planned_by=by)
        visit.full_clean()
        _save(visit, by)
    return note_start(visit=visit, by=by, today=today)


def _assigned(cadre: Cadre, cell: Organization, year: int) -> bool:
    return Assignment.objects.filter(
        cadre=cadre, cell=cell, plan__year=year, plan__status=AssignmentPlan.Status.ISSUED
    ).exists()


def _meeting_on(cell: Organization, day: date, kind: str, topic: str) -> Meeting:
    """The cell's (not cancelled) meeting that day, or a new one recorded as held."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .filter(cell=cell, date=day)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("start_time")
        .first()
    )
    if meeting is not None:
        return meeting
    schedule = getattr(cell, "schedule", None)
    meeting = Meeting(
        cell=cell,
        date=day,
        # The real start time is unknown; the schedule's is the best guess.
        start_time=schedule.start_time if schedule else time(0, 0),
        place=schedule.place if schedule else "—",
        kind=kind,
        topic=topic,
        status=Meeting.Status.HELD,
    )
    meeting.full_clean()
    meeting.save()
    return meeting


# What an htmx or JSON autosave posts for a yes/no answer.
BOOLEAN_WORDS = {"true": True, "on": True, "yes": True, "false": False, "off": False, "no": False}


def _clean_value(field, value: Any) -> Any:
    if value in ("", None):
        return None if field.null else ""
    if (
        isinstance(value, str)
        and value.lower() in BOOLEAN_WORDS
        and field.get_internal_type() == "BooleanField"
    ):
        return BOOLEAN_WORDS[value.lower()]
    return field.to_python(value)


def _apply(note: AttendanceNote, data: dict) -> list[str]:
    """Set the editable fields named in ``data``; a value of the wrong type is an error of its field."""
    changed = [name for name in EDITABLE_FIELDS if name in data]
    errors = {}
    for name in changed:
        try:
            setattr(note, name, _clean_value(AttendanceNote._meta.get_field(name), data[name]))
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    return changed


def _check_figures(note: AttendanceNote) -> None:
    """The database refuses it too; here it becomes an error of the field the cadre typed."""
    total, present = note.members_total, note.members_present
    if total is not None and present is not None and present > total:
        raise ValidationError({"members_present": _("More members present than the cell has.")})


@transaction.atomic
def note_save(*, note: AttendanceNote, data: dict, version: int, by) -> AttendanceNote:
    """Partial update by the author of a draft or returned note that is still at ``version``.

    Keys outside EDITABLE_FIELDS that name a model field are refused; other keys (a form's csrf token,
    the version itself) are ignored."""
    note = _locked_note(note)
    _require_cadre(by, note.author)
    if note.version != version:
        raise NoteConflict(note)
    _check_editable(note)
    forbidden = sorted(set(data) & PROTECTED_FIELDS - {"version"})
    if forbidden:
        raise ValidationError(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(forbidden)}
        )
    changed = _apply(note, data)
    _check_figures(note)
    note.full_clean()
    note.version += 1
    _save(note, by, update_fields=[*changed, "version", "updated_at"])
    return note


@transaction.atomic
def note_submit(*, note: AttendanceNote, version: int, by) -> AttendanceNote:
    """Hand the note to organization staff: a new round with the note as submitted; the visit is attended."""
    note = _locked_note(note)
    _require_cadre(by, note.author)
    if note.version != version:
        raise NoteConflict(note)
    _check_editable(note)
    _check_complete(note)
    now = timezone.now()
    NoteRound.objects.create(
        note=note, number=note.rounds.count() + 1, snapshot=note_snapshot(note), submitted_at=now
    )
    note.status, note.submitted_at = AttendanceNote.Status.SUBMITTED, now
    note.version += 1
    _save(note, by, update_fields=["status", "submitted_at", "version", "updated_at"])
    visit = note.visit
    if visit.status != Visit.Status.ATTENDED:
        visit.status = Visit.Status.ATTENDED
        _save(visit, by, update_fields=["status"])
    return note


def note_check_complete(*, note: AttendanceNote) -> None:
    """Raise the ValidationError ``note_submit`` would raise for what the note still lacks (the confirmation
    step asks before submitting, and shows the missing fields instead when there are any)."""
    _check_complete(note)


def _check_complete(note: AttendanceNote) -> None:
    """What a submitted note must say; a meeting that was not held needs a reason instead of figures."""
    required = ["held", "summary"]
    if note.held != AttendanceNote.Held.NOT_HELD:
        required += ["overall_rating", "members_present", "members_total"]
    if note.held in (AttendanceNote.Held.MOVED, AttendanceNote.Held.NOT_HELD):
        required.append("not_held_reason")
    missing = {
        name: _("This field is required to submit the note.") for name in required if _blank(note, name)
    }
    if missing:
        raise ValidationError(missing)


def _blank(note: AttendanceNote, name: str) -> bool:
    value = getattr(note, name)
    return value is None or (isinstance(value, str) and not value.strip())


def note_snapshot(note: AttendanceNote) -> dict[str, Any]:
    """The note's content as JSON: what a round keeps of the note as it was submitted."""
    snapshot = {name: getattr(note, name) for name in EDITABLE_FIELDS}
    snapshot["meeting_date"] = note.meeting_date.isoformat()
    return snapshot


# --- Review by organization staff ------------------------------------------------------------------------
def _locked_round(note: AttendanceNote, round_version: int, by) -> tuple[AttendanceNote, NoteRound]:
    note = _locked_note(note)
    _require_office(by, note.visit.cell, Role.ORGANIZATION_STAFF)
    current = NoteRound.objects.select_for_update(of=("self",)).filter(note=note).order_by("-number").first()
    if current is None and note.status == AttendanceNote.Status.SUBMITTED:
        current = _first_round(note)  # a note marked submitted outside note_submit (data import)
    if current is not None and current.version != round_version:
        raise NoteConflict(current)
    if current is None or note.status != AttendanceNote.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted note can be reviewed."))
    return note, current


def _first_round(note: AttendanceNote) -> NoteRound:
    return NoteRound.objects.create(
        note=note, number=1, snapshot=note_snapshot(note), submitted_at=note.submitted_at or timezone.now()
    )


def _decide(note: AttendanceNote, current: NoteRound, decision: str, status: str, comment: str, by) -> None:
    now = timezone.now()
    current.decision, current.comment, current.reviewed_by, current.reviewed_at = decision, comment, by, now
    current.version += 1
    current.save(update_fields=["decision", "comment", "reviewed_by", "reviewed_at", "version"])
    note.status = status
    note.version += 1
    _save(note, by, update_fields=["status", "version", "updated_at"])


@transaction.atomic
def note_accept(*, note: AttendanceNote, round_version: int, by, comment: str = "") -> AttendanceNote:
    """Accept the pending round; each flagged, non-empty section goes to leadership as an escalation."""
    note, current = _locked_round(note, round_version, by)
    _decide(note, current, NoteRound.Decision.ACCEPTED, AttendanceNote.Status.ACCEPTED, comment.strip(), by)
    for source, text_field, flag_field in ESCALATED_SECTIONS:
        text = getattr(note, text_field).strip()
        if getattr(note, flag_field) and text:
            escalation = Escalation(note=note, cell=note.visit.cell, source=source, text=text)
            _save(escalation, by)
    return note


@transaction.atomic
def note_return(*, note: AttendanceNote, round_version: int, by, comment: str) -> AttendanceNote:
    """Send the note back to its author with a comment saying what to change."""
    note, current = _locked_round(note, round_version, by)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what the cadre should change.")})
    _decide(note, current, NoteRound.Decision.RETURNED, AttendanceNote.Status.RETURNED, comment.strip(), by)
    # The author is told in the app and by e-mail, once for this round (its e-mail leaves on commit).
    notifications.note_returned_notify(note=note, round=current)
    return note


# --- Attachments -------------------------------------------------------------------------------------------
def sniff_type(upload) -> str | None:
    """The content type from the file's first bytes (None when it is none of the allowed ones)."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    return next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)


@transaction.atomic
def attachment_add(*, note: AttendanceNote, upload, by) -> NoteAttachment:
    """Attach a photo or PDF to an editable note; nothing is stored unless every check passes."""
    note = _locked_note(note)
    _require_cadre(by, note.author)
    _check_editable(note)
    content_type = sniff_type(upload)
    if content_type not in NoteAttachment.ALLOWED_TYPES:
        raise ValidationError({"file": _("Only JPEG or PNG photos and PDF files can be attached.")})
    if upload.size > NoteAttachment.MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)s MB.")
                % {"mb": NoteAttachment.MAX_BYTES // (1024 * 1024)}
            }
        )
    if note.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            {"file": _("A note can have at most %(n)s attachments.") % {"n": MAX_ATTACHMENTS}}
        )
    attachment = NoteAttachment(
        note=note,
        original_name=os.path.basename(upload.name or "")[:255] or "upload",
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    # A random stored name: the original name (and its extension) is only ever shown, never used.
    attachment.file.save(
        f"{uuid.uuid4().hex}.{NoteAttachment.ALLOWED_TYPES[content_type]}", upload, save=False
    )
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: NoteAttachment, by) -> None:
    """The author removes an attachment of a note that is still editable; the file goes after commit."""
    note = _locked_note(attachment.note)
    _require_cadre(by, note.author)
    _check_editable(note)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- Escalations ---------------------------------------------------------------------------------------------
def _locked_escalation(escalation: Escalation) -> Escalation:
    return Escalation.objects.select_for_update(of=("self",)).select_related("cell").get(pk=escalation.pk)


@transaction.atomic
def escalation_direct(*, escalation: Escalation, direction: str, by) -> Escalation:
    """Leadership gives its direction on an open item."""
    escalation = _locked_escalation(escalation)
    _require_office(by, escalation.cell, Role.LEADERSHIP)
    if escalation.status != Escalation.Status.OPEN:
        raise ValidationError(_("Only an open item can be directed."))
    if not direction.strip():
        raise ValidationError({"direction": _("Write the direction.")})
    escalation.status, escalation.direction = Escalation.Status.DIRECTED, direction.strip()
    escalation.directed_by, escalation.directed_at = by, timezone.now()
    _save(escalation, by, update_fields=["status", "direction", "directed_by", "directed_at"])
    return escalation


@transaction.atomic
def escalation_resolve(*, escalation: Escalation, resolution: str, by) -> Escalation:
    """Leadership or staff close an open or directed item, saying how it was resolved."""
    escalation = _locked_escalation(escalation)
    _require_office(by, escalation.cell, Role.LEADERSHIP, Role.ORGANIZATION_STAFF)
    if escalation.status == Escalation.Status.RESOLVED:
        raise ValidationError(_("This item is already resolved."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Write how it was resolved.")})
    escalation.status, escalation.resolution = Escalation.Status.RESOLVED, resolution.strip()
    escalation.resolved_at = timezone.now()
    _save(escalation, by, update_fields=["status", "resolution", "resolved_at"])
    return escalation
