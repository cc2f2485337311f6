"""Attendance notes: the cadre's side (start, fill, autosave, confirm, submit, attachments) and the office's
(review list, a note's page and decision, the escalation queue).

A note, an attachment or a visit outside a user's reach is a 404 (assignments.notes.selectors); only the
note's author writes, so staff and leadership who can read a note get a 403 on these pages and review it
on assignments:note_detail instead.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms.utils import ErrorDict
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assignments.cadres.selectors import cadre_of
from assignments.models import AttendanceNote, Escalation, NoteRound
from assignments.notes import selectors as note_selectors
from assignments.notes import services as notes
from assignments.notes.filters import EscalationFilter, NoteReviewFilter
from assignments.notes.forms import (
    ACCEPT,
    AttachmentForm,
    DirectForm,
    NoteForm,
    ResolveForm,
    ReviewForm,
    UnplannedNoteForm,
    has_note_fields,
    note_display_rows,
)
from assignments.notes.review_display import note_fields, round_rows
from assignments.notes.selectors import (
    OPEN_ESCALATIONS,
    WAITING_FOR_REVIEW,
    escalation_queue,
    is_overdue,
    notes_for_review,
    notes_visible_to,
)
from assignments.notes.tables import EscalationTable, NoteReviewTable
from assignments.visits.selectors import visits_visible_to
from cells.access.roles import OFFICE, STAFF, Role, holds_role, is_staff, role_required
from core.forms import add_service_errors
from core.history import audit_rows
from core.listing import render_list

STATUS_TEMPLATE = "assignments/notes/_form_status.html"


def _authored_note(request: HttpRequest, pk: int) -> AttendanceNote:
    """The note if the user may see it (else 404) and wrote it (else 403)."""
    note = get_object_or_404(note_selectors.notes_visible_to(request.user).select_related("author"), pk=pk)
    if note.author.user_id != request.user.pk:
        raise PermissionDenied
    return note


# --- Starting a note -------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@login_required
def note_start(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(
        visits_visible_to(request.user).select_related("cadre", "cell", "meeting"), pk=pk
    )
    if visit.cadre.user_id != request.user.pk:
        raise PermissionDenied
    if request.method == "GET" and not hasattr(visit, "note"):
        return render(request, "assignments/notes/form_start.html", {"visit": visit})
    try:
        note = notes.note_start(visit=visit, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(visit)
    return redirect("assignments:note_edit", pk=note.pk)


@require_http_methods(["GET", "POST"])
@role_required(Role.CADRE)
def note_unplanned(request: HttpRequest) -> HttpResponse:
    cadre = cadre_of(request.user)
    if cadre is None:
        raise PermissionDenied
    today = timezone.localdate()
    form = UnplannedNoteForm(request.POST or None, cadre=cadre, today=today, state=request.GET)
    if request.method == "POST" and form.is_valid():
        try:
            note = notes.note_record_unplanned(cadre=cadre, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The attendance was recorded; fill in the note."))
            return redirect("assignments:note_edit", pk=note.pk)
    return render(request, "assignments/notes/form_unplanned.html", {"form": form})


# --- The note form ---------------------------------------------------------------------------------------
@require_http_methods(["GET"])
@login_required
def note_edit(request: HttpRequest, pk: int) -> HttpResponse:
    note = _authored_note(request, pk)
    return _render_edit(request, note, NoteForm(note=note))


def _render_edit(
    request: HttpRequest, note: AttendanceNote, form: NoteForm, status: int = 200
) -> HttpResponse:
    context = {
        "note": note,
        "form": form,
        "locked": note.is_locked_for_author,
        "rows": note_display_rows(note) if note.is_locked_for_author else None,
        "returned_round": _returned_round(note),
        "attachments": list(note.attachments.all()),
        "attachment_form": AttachmentForm(),
    }
    return render(request, "assignments/notes/form.html", context, status=status)


def _returned_round(note: AttendanceNote):
    if note.status != AttendanceNote.Status.RETURNED:
        return None
    return note.rounds.select_related("reviewed_by").order_by("-number").first()


@login_required
@require_POST
def note_autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """The htmx autosave: a small status partial plus the new version swapped in out of band."""
    note = _authored_note(request, pk)
    form = NoteForm(request.POST, note=note)
    if not form.is_valid():
        return _status(request, note, state="invalid", form=form, status=422)
    try:
        note = notes.note_save(
            note=note, data=form.note_data(), version=form.cleaned_data["version"], by=request.user
        )
    except notes.NoteConflict as conflict:
        current = conflict.current
        rows = note_display_rows(current)
        return _status(request, note, state="conflict", current=current, current_rows=rows, status=409)
    except ValidationError as error:
        add_service_errors(form, error)
        return _status(request, note, state="invalid", form=form, status=422)
    return _status(request, note, state="saved")


def _status(
    request: HttpRequest, note: AttendanceNote, *, state: str, status: int = 200, **extra
) -> HttpResponse:
    context = {"note": note, "state": state, **extra}
    return render(request, STATUS_TEMPLATE, context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def note_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask before submitting. The POST saves the form's last edits and leads to the GET, which shows what
    will be sent (or, when something required is missing, the form with its errors): a reload of this
    address after a failed POST answers with the page again, never a 405."""
    note = _authored_note(request, pk)
    if note.is_locked_for_author:
        return redirect("assignments:note_edit", pk=note.pk)
    if request.method == "POST":
        return _confirm_post(request, note)
    try:
        notes.note_check_complete(note=note)
    except ValidationError as error:
        return _render_edit(request, note, _form_with_errors(note, error))
    context = {"note": note, "rows": note_display_rows(note), "attachments": list(note.attachments.all())}
    return render(request, "assignments/notes/confirm.html", context)


def _confirm_post(request: HttpRequest, note: AttendanceNote) -> HttpResponse:
    saved = _save_posted_form(request, note)
    if isinstance(saved, HttpResponse):
        return saved
    return redirect("assignments:note_confirm", pk=saved.pk)


def _save_posted_form(request: HttpRequest, note: AttendanceNote) -> AttendanceNote | HttpResponse:
    """Save the whole posted form; the saved note, or the page that says why it was not saved."""
    form = NoteForm(request.POST, note=note)
    if not form.is_valid():
        return _render_edit(request, note, form, status=422)
    try:
        return notes.note_save(
            note=note, data=form.note_data(), version=form.cleaned_data["version"], by=request.user
        )
    except notes.NoteConflict:
        return _conflict(request, note)
    except ValidationError as error:
        add_service_errors(form, error)
        return _render_edit(request, note, form, status=422)


def _form_with_errors(note: AttendanceNote, error: ValidationError) -> NoteForm:
    """The note's saved values with what submitting would refuse marked on its fields."""
    form = NoteForm(note=note)
    # An unbound form takes errors once it has an (empty) error list and cleaned data.
    form._errors, form.cleaned_data = ErrorDict(), {}
    add_service_errors(form, error)
    return form


@require_http_methods(["GET", "POST"])
@login_required
def note_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit the note: the confirmation page's button sends only the version it showed; a POST of the
    whole form saves its last edits first. Once the edits are saved, whatever still stops the submission
    is shown on the confirmation address, which answers a reload. A form refused before its edits are
    saved is shown on this URL, so a GET here (a reload of that page) goes back to the note form."""
    note = _authored_note(request, pk)
    if request.method == "GET":
        return redirect("assignments:note_edit", pk=note.pk)
    if not has_note_fields(request.POST):
        return _submit(request, note, _posted_version(request))
    saved = _save_posted_form(request, note)
    if isinstance(saved, HttpResponse):
        return saved
    return _submit(request, saved, saved.version)


def _posted_version(request: HttpRequest) -> int:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else 0


def _submit(request: HttpRequest, note: AttendanceNote, version: int) -> HttpResponse:
    try:
        notes.note_submit(note=note, version=version, by=request.user)
    except notes.NoteConflict:
        return _conflict(request, note)
    except ValidationError:
        return redirect("assignments:note_confirm", pk=note.pk)  # it shows what is still missing
    messages.success(request, _("The note was submitted for review; it is locked until it is reviewed."))
    return redirect("assignments:note_edit", pk=note.pk)


def _conflict(request: HttpRequest, note: AttendanceNote) -> HttpResponse:
    messages.error(request, _("Someone saved this note after you opened it; nothing was submitted."))
    return redirect("assignments:note_edit", pk=note.pk)


# --- Attachments -----------------------------------------------------------------------------------------
@login_required
@require_POST
def note_attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    note = _authored_note(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            notes.attachment_add(note=note, upload=form.cleaned_data["upload"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The file was attached."))
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("assignments:note_edit", pk=note.pk)


@require_http_methods(["GET"])
@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Streams the file after the permission check; never served from a public URL."""
    attachment = get_object_or_404(note_selectors.attachments_visible_to(request.user), pk=pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(
        note_selectors.attachments_visible_to(request.user).select_related("note__author"), pk=pk
    )
    if attachment.note.author.user_id != request.user.pk:
        raise PermissionDenied
    try:
        notes.attachment_delete(attachment=attachment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The file was removed."))
    return redirect("assignments:note_edit", pk=attachment.note_id)


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
        template="assignments/notes/review_list.html",
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
    return render(request, "assignments/notes/detail.html", context, status=status)


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
@require_GET
@role_required(*OFFICE)
def escalation_list(request: HttpRequest) -> HttpResponse:
    return render_list(
        request,
        queryset=escalation_queue(request.user),
        table_class=EscalationTable,
        filterset_class=EscalationFilter,
        template="assignments/notes/escalation_list.html",
        export_name="escalations",
        default_filters=OPEN_ESCALATIONS,
        context={"is_leader": holds_role(request.user, LEADERSHIP)},
    )


@require_http_methods(["GET", "POST"])
@role_required(*OFFICE)
def escalation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = get_object_or_404(escalation_queue(request.user).select_related("note__visit__cell"), pk=pk)
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
    return render(request, "assignments/notes/escalation_detail.html", context, status=400 if action else 200)


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
