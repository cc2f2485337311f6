"""Meeting schedules and meetings: every role reads the meetings of its subtree; organization and
grassroots staff (MEETING_EDITORS) keep them. Objects outside the user's subtree are 404."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cells.access.roles import MEETING_EDITORS, Role, holds_role, role_required, user_role
from cells.access.scope import cells_visible_to
from cells.meetings import services
from cells.meetings.forms import MeetingFilter, MeetingForm, MeetingMoveForm, ScheduleForm
from cells.meetings.hooks import meeting_audience
from cells.meetings.selectors import meetings_visible_to, schedules_visible_to
from cells.meetings.tables import MeetingTable
from cells.models import Meeting, MeetingSchedule, Organization
from core.forms import save_or_show_errors
from core.history import audit_rows
from core.listing import render_list

ALL_ROLES = tuple(Role)
# What a reader of the meeting page follows in its history.
HISTORY_FIELDS = ("date", "start_time", "place", "kind", "topic", "status")


# --- Reading -----------------------------------------------------------------------------------------
@require_GET
@role_required(*ALL_ROLES)
def meeting_list(request: HttpRequest) -> HttpResponse:
    if user_role(request.user) == Role.CADRE:
        # A cadre's meeting list is their own cells' meetings, next first (the cadre's pages own it).
        return redirect("assignments:my_meetings")
    return render_list(
        request,
        queryset=_upcoming_first(
            meetings_visible_to(request.user).select_related("cell"), timezone.localdate()
        ),
        table_class=MeetingTable,
        filterset_class=MeetingFilter,
        template="cells/meetings/list.html",
        export_name="meetings",
        context={"can_edit": _can_edit(request.user)},
    )


@require_GET
@role_required(*ALL_ROLES)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(meetings_visible_to(request.user).select_related("cell__parent"), pk=pk)
    can_edit = _can_edit(request.user)
    context = {
        "meeting": meeting,
        "schedule": _schedule_of(request.user, meeting.cell),
        "history": audit_rows((meeting.history.all(), None), fields=HISTORY_FIELDS),
        "can_edit": can_edit,
        "audience": meeting_audience(meeting=meeting) if can_edit else None,
    }
    return render(request, "cells/meetings/detail.html", context)


# --- Editing -----------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@role_required(*MEETING_EDITORS)
def meeting_create(request: HttpRequest, code: str) -> HttpResponse:
    cell = get_object_or_404(cells_visible_to(request.user), code=code)
    form = MeetingForm(
        request.POST or None, instance=Meeting(cell=cell), initial=_defaults_from_schedule(request.user, cell)
    )
    if request.method == "POST" and form.is_valid():
        meeting = save_or_show_errors(form, lambda: services.meeting_create(cell=cell, **form.cleaned_data))
        if meeting is not None:
            messages.success(request, _("The meeting was added."))
            return redirect(meeting)
    return render(request, "cells/meetings/form.html", {"form": form, "cell": cell, "meeting": None})


@require_http_methods(["GET", "POST"])
@role_required(*MEETING_EDITORS)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(meetings_visible_to(request.user).select_related("cell"), pk=pk)
    form = MeetingMoveForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        moved = save_or_show_errors(
            form,
            lambda: services.meeting_move(
                meeting=meeting,
                day=data["date"],
                start_time=data["start_time"],
                place=data["place"],
                by=request.user,
            ),
        )
        if moved is not None:
            messages.success(request, _("The meeting was moved; it is now marked as changed."))
            return redirect(moved)
    context = {
        "form": form,
        "cell": meeting.cell,
        "meeting": meeting,
        "audience": meeting_audience(meeting=meeting),
    }
    return render(request, "cells/meetings/form.html", context)


@require_http_methods(["GET", "POST"])
@role_required(*MEETING_EDITORS)
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(meetings_visible_to(request.user).select_related("cell"), pk=pk)
    if request.method == "POST":
        services.meeting_cancel(meeting=meeting, by=request.user)
        messages.success(request, _("The meeting was cancelled."))
        return redirect(meeting)
    context = {"meeting": meeting, "audience": meeting_audience(meeting=meeting)}
    return render(request, "cells/meetings/cancel.html", context)


@require_http_methods(["GET", "POST"])
@role_required(*MEETING_EDITORS)
def schedule_edit(request: HttpRequest, code: str) -> HttpResponse:
    cell = get_object_or_404(cells_visible_to(request.user), code=code)
    today = timezone.localdate()
    instance = _schedule_of(request.user, cell) or MeetingSchedule(cell=cell)
    form = ScheduleForm(request.POST or None, instance=instance, today=today)
    if request.method == "POST" and form.is_valid():
        saved = save_or_show_errors(
            form,
            lambda: services.schedule_save(
                cell=cell, generate_year=form.generate_year(), today=today, **form.schedule_fields()
            ),
        )
        if saved is not None:
            _schedule, created = saved
            messages.success(
                request,
                _("The schedule was saved; %(count)s regular meetings were created.") % {"count": created},
            )
            return redirect(_cell_meetings_url(cell))
    return render(request, "cells/meetings/schedule_form.html", {"form": form, "cell": cell})


# --- Helpers -----------------------------------------------------------------------------------------
def _can_edit(user) -> bool:
    return holds_role(user, MEETING_EDITORS)


def _upcoming_first(meetings: QuerySet[Meeting], today: date) -> QuerySet[Meeting]:
    """Upcoming meetings soonest first, then past ones latest first."""
    return meetings.annotate(
        is_past=Case(When(date__lt=today, then=Value(1)), default=Value(0), output_field=IntegerField()),
        upcoming_date=Case(When(date__gte=today, then=F("date"))),
    ).order_by("is_past", "upcoming_date", "-date", "start_time", "cell__code")


def _schedule_of(user, cell: Organization) -> MeetingSchedule | None:
    return schedules_visible_to(user).filter(cell=cell).first()


def _defaults_from_schedule(user, cell: Organization) -> dict:
    """A new meeting starts from the cell's usual time and place."""
    schedule = _schedule_of(user, cell)
    return {"start_time": schedule.start_time, "place": schedule.place} if schedule else {}


def _cell_meetings_url(cell: Organization) -> str:
    return f"{reverse('cells:meeting_list')}?cell={cell.pk}"
