"""Notification preferences (every login) and the operations page of the reminder jobs (staff)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assignments.cadres.filters import UNREACHABLE
from assignments.models import Notification
from assignments.notifications import events as notifications
from assignments.notifications import operations, preferences, reminders, schedule
from assignments.notifications.forms import NotificationPreferenceForm
from assignments.notifications.tables import NotificationTable
from assignments.visits import selectors as visit_selectors
from assignments.visits.forms import (
    NotificationFilter,
)
from cells.access.roles import STAFF, role_required
from core.forms import add_service_errors
from core.listing import render_list


# --- Preferences ----------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    choices = preferences.email_choices(request.user)
    preference = preferences.preference_of(request.user)
    if preference.pk is None:
        preference.language = request.LANGUAGE_CODE  # start from the language the user reads the site in
    form = NotificationPreferenceForm(request.POST or None, instance=preference, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            preferences.notification_preference_save(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your notification preferences were saved."))
            return redirect("assignments:notification_preferences")
    context = {
        "form": form,
        "receives_cadre_notices": preferences.receives_cadre_notices(request.user),
        "receives_nothing": not choices,
    }
    return render(request, "assignments/notifications/preferences.html", context)


# --- Operations ----------------------------------------------------------------------------------------
@require_GET
@role_required(*STAFF)
def operations_page(request: HttpRequest) -> HttpResponse:
    context = {
        "jobs": operations.job_statuses(),
        "events": operations.event_counts(),
        "failures": operations.failures_visible_to(request.user)[: operations.FAILURES_SHOWN],
        "schedule": operations.schedule_rows(),
        "beat": operations.beat_state(),
        "in_process": operations.scheduler_in_process(),
        "unreachable": operations.unreachable_cadres(request.user),
        "unreachable_url": f"{reverse('assignments:cadre_list')}?email={UNREACHABLE}",
        "statuses": Notification.Status,
        "event_days": operations.EVENT_DAYS,
    }
    return render(request, "assignments/notifications/operations.html", context)


@login_required
@require_POST
@role_required(*STAFF)
def operations_reconcile(request: HttpRequest) -> HttpResponse:
    """Run the reconcile now, through the workers (in-process when there is no broker)."""
    reminders.reconcile_request(by=request.user)
    messages.success(request, _("The reconcile was requested; its run is listed below."))
    return redirect("assignments:operations")


@login_required
@require_POST
@role_required(*STAFF)
def operations_schedule_pause(request: HttpRequest, key: str) -> HttpResponse:
    return _schedule_set(request, key, enabled=False)


@login_required
@require_POST
@role_required(*STAFF)
def operations_schedule_resume(request: HttpRequest, key: str) -> HttpResponse:
    return _schedule_set(request, key, enabled=True)


def _schedule_set(request: HttpRequest, key: str, *, enabled: bool) -> HttpResponse:
    """Pause or resume one scheduled job; the page shows the new state and who set it."""
    entry = schedule.entry_of(key)
    if entry is None:
        raise Http404
    try:
        schedule.schedule_entry_pause(entry=entry, enabled=enabled, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        done = _("%(job)s resumed.") if enabled else _("%(job)s paused: it will not run until resumed.")
        messages.success(request, done % {"job": entry.label})
    return redirect("assignments:operations")


# --- Notifications ------------------------------------------------------------------------------------
@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    return render_list(
        request,
        queryset=visit_selectors.notifications_for_list(request.user),
        table_class=NotificationTable,
        filterset_class=NotificationFilter,
        template="assignments/notifications/list.html",
        export_name="notifications",
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(visit_selectors.notifications_for_list(request.user), pk=pk)
    notifications.notification_mark_read(notification=notification)
    target = notification.url if request.POST.get("open") else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect("assignments:notification_list")
