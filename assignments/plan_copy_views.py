"""Starting a year's draft from an earlier plan, and the page that says what the copy did.

Staff only (403 for other roles); a plan outside the user's reach is a 404. Decisions on the result page
(assign the successor, skip) are plain form posts that come back to the result page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cells.access import STAFF, role_required
from cells.forms import save_or_show_errors

from . import plan_copy, plan_selectors
from .forms_plans import PlanStartForm
from .models import AssignmentPlan
from .plan_views import issued_twin_url
from .rules import plan_findings

# The copied pairs the result page lists by name; beyond that it gives their number.
COPIED_SHOWN = 50


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def plan_start(request: HttpRequest) -> HttpResponse:
    form = PlanStartForm(request.user, request.POST or None)
    amend_url = None
    if request.method == "POST" and form.is_valid():
        source, year = form.cleaned_data["source"], form.cleaned_data["year"]
        plan = save_or_show_errors(
            form, lambda: plan_copy.plan_copy(source=source, year=year, created_by=request.user)
        )
        if plan is not None:
            messages.success(request, _("Draft plan for %(year)s created.") % {"year": plan.year})
            return redirect("assignments:plan_copy_result", pk=plan.pk)
        amend_url = issued_twin_url(request.user, source.root, year)
    context = {"form": form, "amend_url": amend_url}
    return render(request, "assignments/plan_start.html", context)


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def plan_copy_result(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(plan_selectors.plan_for(request.user).select_related("copied_from"), pk=pk)
    if plan.copied_from_id is None:
        raise Http404
    if request.method == "POST":
        return _decide(request, plan)
    outcome = plan_copy.plan_copy_outcome(plan)
    context = {
        "plan": plan,
        "outcome": outcome,
        "copied_shown": outcome.copied[:COPIED_SHOWN],
        "copied_more": max(len(outcome.copied) - COPIED_SHOWN, 0),
        "findings": plan_findings(plan),
    }
    return render(request, "assignments/plan_copy_result.html", context)


def _decide(request: HttpRequest, plan: AssignmentPlan) -> HttpResponse:
    """Assign the successor instead of a vanished cell, or skip the pair; then back to the result page."""
    if plan.is_issued:
        raise PermissionDenied
    cadre, cell = _source_pair(request, plan)
    action = request.POST.get("action")
    write = {"successor": plan_copy.plan_copy_take_successor, "skip": plan_copy.plan_copy_skip}.get(action)
    if write is None:
        raise Http404
    try:
        write(plan=plan, cadre=cadre, cell=cell)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("assignments:plan_copy_result", args=[plan.pk]))


def _source_pair(request: HttpRequest, plan: AssignmentPlan):
    """The (cadre, cell) of a pair of the source plan, as the user sees it; anything else is a 404."""
    cadre_id, cell_id = request.POST.get("cadre", ""), request.POST.get("cell", "")
    if not (cadre_id.isdigit() and cell_id.isdigit()):
        raise Http404
    assignment = get_object_or_404(
        plan_selectors.plan_assignments(request.user, plan.copied_from).select_related("cell__successor"),
        cadre_id=int(cadre_id),
        cell_id=int(cell_id),
    )
    return assignment.cadre, assignment.cell
