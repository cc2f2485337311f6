"""Staff review of attendance notes and leadership's escalation queue (see assignments/urls.py).

A note is read by its author, organization staff and leadership of its cell's subtree; anyone else gets a
404. Only organization staff decide a round and see the note's audit trail. The escalation pages belong to
the office (staff and leadership); leadership directs, either of them records the resolution."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cells.access import OFFICE, STAFF, holds_role, is_staff, role_required
from cells.listing import render_list
from cells.roles import Role

from . import notes
from .audit import audit_rows
from .filters_notes import EscalationFilter, NoteReviewFilter
from .forms_review import ACCEPT, DirectForm, ResolveForm, ReviewForm
from .note_models import AttendanceNote, Escalation, NoteRound
from .note_selectors import (
    OPEN_ESCALATIONS,
    WAITING_FOR_REVIEW,
    escalations_visible_to,
    is_overdue,
    notes_for_review,
    notes_visible_to,
)
from .review_display import note_fields, round_rows
from .tables_notes import EscalationTable, NoteReviewTable

LEADERSHIP = (Role.LEADERSHIP,)


# --- The review list ------------------------------------------------------------------------------------
@require_GET
@role_required(*OFFICE)
def note_review_list(request: HttpRequest) -> HttpResponse:
    return render_list(
        request,
        queryset=notes_for_review(request.user),
        table_class=NoteReviewTable,
        filterset_class=NoteReviewFilter,
        template="assignments/note_review_list.html",
        export_name="attendance-notes",
        default_filters=WAITING_FOR_REVIEW,
        context={"is_staff": is_staff(request.user)},
    )


# --- One note and its rounds ----------------------------------------------------------------------------
def _notes_for_page(user) -> QuerySet[AttendanceNote]:
    return notes_visible_to(user).select_related("author", "visit__cell__parent", "visit__meeting")


@require_GET
@login_required
def note_detail(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(_notes_for_page(request.user), pk=pk)
    return _render_note(request, note)


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def note_review(request: HttpRequest, pk: int) -> HttpResponse:
    """POST decides a round. A refused decision is shown on this URL, so a GET here (the address bar
    after a failed POST, reloaded) goes back to the note rather than answering 405."""
    note = get_object_or_404(_notes_for_page(request.user), pk=pk)
    if request.method == "GET":
        return redirect(note)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _render_note(request, note, form=form, status=400)
    try:
        _decide(note, form.cleaned_data, request.user)
    except notes.NoteConflict as conflict:
        note = get_object_or_404(_notes_for_page(request.user), pk=pk)
        context = {"conflict": conflict.current, "unsaved": form.cleaned_data}
        return _render_note(request, note, extra=context, status=409)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(note)
    messages.success(request, _("Your decision was saved."))
    return redirect(note)


def _decide(note: AttendanceNote, data: dict, user) -> AttendanceNote:
    if data["decision"] == ACCEPT:
        return notes.note_accept(
            note=note, round_version=data["round_version"], by=user, comment=data["comment"]
        )
    return notes.note_return(note=note, round_version=data["round_version"], by=user, comment=data["comment"])


def _render_note(
    request: HttpRequest,
    note: AttendanceNote,
    *,
    form: ReviewForm | None = None,
    extra: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    staff = is_staff(request.user)
    rounds = list(note.rounds.select_related("reviewed_by"))
    pending = _pending_version(note, rounds)
    if staff and pending is not None and form is None:
        form = ReviewForm(initial={"round_version": pending})
    context = {
        "note": note,
        "fields": note_fields(note),
        "attachments": list(note.attachments.all()),
        "rounds": rounds,
        "round_rows": round_rows(rounds),
        "returned_round": rounds[-1] if note.status == AttendanceNote.Status.RETURNED and rounds else None,
        "overdue": is_overdue(note),
        "review_form": form if staff and pending is not None else None,
        "history": audit_rows((note.history.filter(id=note.pk), None)) if staff else None,
        "is_author": note.author.user_id == request.user.pk,
    }
    context.update(extra or {})
    return render(request, "assignments/note_detail.html", context, status=status)


def _pending_version(note: AttendanceNote, rounds: list[NoteRound]) -> int | None:
    """The version of the round waiting for a decision (1 for a submitted note with no round yet, e.g.
    one brought in by the history import: the service opens its first round on review)."""
    if note.status != AttendanceNote.Status.SUBMITTED:
        return None
    if not rounds:
        return 1
    last = rounds[-1]
    return last.version if last.decision == NoteRound.Decision.PENDING else None


# --- Leadership's escalation queue ----------------------------------------------------------------------
def _queue(user) -> QuerySet[Escalation]:
    """Unresolved items from every quarter first, oldest first; the resolved after them."""
    resolved_last = Case(When(status=Escalation.Status.RESOLVED, then=Value(1)), default=Value(0))
    return (
        escalations_visible_to(user)
        .select_related("cell", "note__author")
        .annotate(resolved_last=resolved_last)
        .order_by("resolved_last", "created_at", "pk")
    )


@require_GET
@role_required(*OFFICE)
def escalation_list(request: HttpRequest) -> HttpResponse:
    return render_list(
        request,
        queryset=_queue(request.user),
        table_class=EscalationTable,
        filterset_class=EscalationFilter,
        template="assignments/escalation_list.html",
        export_name="escalations",
        default_filters=OPEN_ESCALATIONS,
        context={"is_leader": holds_role(request.user, LEADERSHIP)},
    )


@require_http_methods(["GET", "POST"])
@role_required(*OFFICE)
def escalation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = get_object_or_404(_queue(request.user).select_related("note__visit__cell"), pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    direct_form = DirectForm(request.POST if action == "direct" else None)
    resolve_form = ResolveForm(request.POST if action == "resolve" else None)
    posted = {
        "direct": (direct_form, notes.escalation_direct),
        "resolve": (resolve_form, notes.escalation_resolve),
    }
    if action in posted and _apply(request, *posted[action], escalation):
        return redirect(escalation)
    context = {
        "escalation": escalation,
        "direct_form": direct_form if _can_direct(request.user, escalation) else None,
        "resolve_form": resolve_form if escalation.status != Escalation.Status.RESOLVED else None,
        "history": audit_rows((escalation.history.filter(id=escalation.pk), None))
        if is_staff(request.user)
        else None,
    }
    return render(request, "assignments/escalation_detail.html", context, status=400 if action else 200)


def _apply(request: HttpRequest, form, service, escalation: Escalation) -> bool:
    """Run the service with the form's text; a refused transition goes on the form."""
    if not form.is_valid():
        return False
    try:
        service(escalation=escalation, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    messages.success(request, _("Saved."))
    return True


def _can_direct(user, escalation: Escalation) -> bool:
    return holds_role(user, LEADERSHIP) and escalation.status == Escalation.Status.OPEN
