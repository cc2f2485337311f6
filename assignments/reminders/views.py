"""The operations page of the reminder jobs (organization staff): last runs, reconcile, pause and resume."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assignments.cadres.filters import UNREACHABLE
from assignments.models import Notification
from assignments.reminders import operations, schedule
from assignments.reminders import services as reminders
from cells.access.roles import STAFF, role_required


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
    return render(request, "assignments/reminders/operations.html", context)


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
