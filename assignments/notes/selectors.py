"""Reads of attendance notes, their attachments and escalations, always scoped to a user.

Notes are confidential: the author cadre sees their own; organization staff and leadership see the notes
of cells in their subtree; grassroots staff and everyone else get nothing, not even a count.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import BooleanField, Case, QuerySet, Value, When
from django.utils import timezone

from assignments.models import NOTE_DUE_DAYS, AttendanceNote, Escalation, NoteAttachment
from cells.access.roles import OFFICE, Role
from cells.access.scope import scope_of

# A note still with its author: these are the statuses that can become overdue.
UNSUBMITTED = (AttendanceNote.Status.DRAFT, AttendanceNote.Status.RETURNED)
# Where the office lists open (their default filters, and the home page's links to them): the notes
# waiting for a decision, the escalated items waiting for direction.
WAITING_FOR_REVIEW = {"status": AttendanceNote.Status.SUBMITTED.value}
OPEN_ESCALATIONS = {"status": Escalation.Status.OPEN.value}


def notes_visible_to(user) -> QuerySet[AttendanceNote]:
    """Author cadre: own notes. Staff and leadership: notes of cells in scope. Everyone else: none."""
    scope = scope_of(user)
    if scope.everything or scope.is_office:
        return scope.filter(AttendanceNote.objects.all(), "visit__cell__path")
    if scope.role == Role.CADRE:
        return AttendanceNote.objects.filter(author__user=user)
    return AttendanceNote.objects.none()


def attachments_visible_to(user) -> QuerySet[NoteAttachment]:
    """Attachments of the notes the user can see."""
    scope = scope_of(user)
    if scope.everything or scope.is_office:
        return scope.filter(NoteAttachment.objects.all(), "note__visit__cell__path")
    if scope.role == Role.CADRE:
        return NoteAttachment.objects.filter(note__author__user=user)
    return NoteAttachment.objects.none()


def escalations_visible_to(user) -> QuerySet[Escalation]:
    """Staff and leadership: escalations of cells in scope. Nobody else (not the cadre either)."""
    scope = scope_of(user)
    if not scope.holds(OFFICE):
        return Escalation.objects.none()
    return scope.filter(Escalation.objects.all(), "cell__path")


def escalation_queue(user) -> QuerySet[Escalation]:
    """Leadership's queue: unresolved items from every quarter first, oldest first; the resolved after them."""
    resolved_last = Case(When(status=Escalation.Status.RESOLVED, then=Value(1)), default=Value(0))
    return (
        escalations_visible_to(user)
        .select_related("cell", "note__author")
        .annotate(resolved_last=resolved_last)
        .order_by("resolved_last", "created_at", "pk")
    )


def with_overdue(notes: QuerySet[AttendanceNote], today: date | None = None) -> QuerySet[AttendanceNote]:
    """Annotate ``overdue`` in SQL: not yet submitted and more than NOTE_DUE_DAYS after the meeting."""
    today = today or timezone.localdate()
    return notes.annotate(
        overdue=Case(
            When(
                status__in=UNSUBMITTED,
                meeting_date__lt=today - timedelta(days=NOTE_DUE_DAYS),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def notes_for_review(user, today: date | None = None) -> QuerySet[AttendanceNote]:
    """The staff and leadership review list: visible notes with what a row shows, annotated ``overdue``.
    A cadre's own notes are not a review list: they get none here."""
    if not scope_of(user).holds(OFFICE):
        return AttendanceNote.objects.none()
    notes = notes_visible_to(user).select_related("author", "visit__cell", "visit__meeting")
    return with_overdue(notes, today)


def is_overdue(note: AttendanceNote, today: date | None = None) -> bool:
    """The same rule as ``with_overdue``, for one note in hand."""
    today = today or timezone.localdate()
    return note.status in UNSUBMITTED and today > note.due_on
