"""Visit pages: the list, plan one, its page, move or record it, propose a month, and the access log.

Visits are confidential: only organization staff and leadership of the subtree and the visiting cadre
get a visit (assignments.visits.selectors.visits_visible_to). A visit outside a user's reach is a 404 for every
role, so a grassroots user cannot even learn that a visit id exists; the list, the planning pages and the
access log are refused by role (403) to those who may never use them.
"""

from __future__ import annotations

import random
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assignments.cadres.selectors import cadre_of, cadres_matching, cadres_visible_to
from assignments.models import Visit
from assignments.visits import selectors as visit_selectors
from assignments.visits import services as visits
from assignments.visits.forms import (
    ProposalAcceptForm,
    ProposalForm,
    VisitCreateForm,
    VisitFilter,
    VisitMarkForm,
    VisitMoveForm,
)
from assignments.visits.tables import VisitAccessTable, VisitTable
from cells.access.roles import OFFICE, STAFF, Role, is_staff, role_required, user_role
from cells.access.scope import user_root
from cells.models import Meeting
from core.forms import save_or_show_errors
from core.history import audit_rows
from core.listing import render_list

PLANNERS = (Role.ORGANIZATION_STAFF, Role.CADRE)


# --- The list and who looked at it ---------------------------------------------------------------------
@require_GET
@role_required(*OFFICE)
def visit_list(request: HttpRequest) -> HttpResponse:
    root = user_root(request.user)
    if root is not None:
        visits.visit_list_access_record(user=request.user, root=root, path=request.get_full_path())
    return render_list(
        request,
        queryset=visit_selectors.visits_for_list(request.user),
        table_class=VisitTable,
        filterset_class=VisitFilter,
        template="assignments/visits/list.html",
        export_name="visits",
        context={"can_plan": is_staff(request.user)},
        default_filters=visit_selectors.this_month_filters(timezone.localdate()),
    )


@require_GET
@role_required(*STAFF)
def visit_access_log(request: HttpRequest) -> HttpResponse:
    return render_list(
        request,
        queryset=visit_selectors.visit_accesses_visible_to(request.user),
        table_class=VisitAccessTable,
        filterset_class=None,
        template="assignments/visits/access_log.html",
        export_name="visit-list-access",
    )


# --- One visit -------------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@role_required(*PLANNERS)
def visit_create(request: HttpRequest) -> HttpResponse:
    """Plan a visit. Staff find the cadre by typing part of a name; the meetings offered are those of the
    chosen cadre's cells in the plan of the meeting's year. htmx swaps the choices as the staff type and
    pick; without JavaScript the "Show" button posts the form back and it returns with the choices."""
    staff = is_staff(request.user)
    own = None if staff else cadre_of(request.user)
    if not staff and own is None:
        return render(request, "assignments/visits/form.html", {"form": None, "no_cadre": True})
    state = request.POST if request.method == "POST" else request.GET
    cadre = _chosen_cadre(request.user, state.get("cadre")) if staff else own
    together = staff and bool(state.get("together_allowed"))
    saving = request.method == "POST" and "show" not in request.POST  # "show" only refreshes the choices
    form = VisitCreateForm(
        request.POST if saving else None,
        initial=_create_initial(request, cadre),
        cadres=cadres_visible_to(request.user) if staff else None,
        meetings=visit_selectors.bookable_meetings(request.user, today=timezone.localdate(), cadre=cadre)
        if cadre is not None
        else Meeting.objects.none(),
    )
    if saving and form.is_valid():
        visit = save_or_show_errors(form, lambda: _plan_visit(request, form.cleaned_data, own))
        if visit is not None:
            messages.success(request, _("The visit was planned."))
            return redirect(visit)
    context = _create_context(request, form, staff, cadre, together, state)
    template = "assignments/visits/_form_body.html" if request.htmx else "assignments/visits/form.html"
    return render(request, template, context)


def _plan_visit(request: HttpRequest, data: dict, own) -> Visit:
    return visits.visit_plan(
        cadre=data.get("cadre") or own,
        meeting=data["meeting"],
        by=request.user,
        together_allowed=data.get("together_allowed", False),
    )


def _create_context(request: HttpRequest, form, staff: bool, cadre, together: bool, state) -> dict:
    query = (state.get("cadre_q") or "").strip()
    matches = (
        list(cadres_matching(cadres_visible_to(request.user).select_related("organization"), query))
        if staff
        else []
    )
    if cadre is not None and cadre not in matches:
        matches.insert(0, cadre)  # the chosen cadre stays choosable while the search changes
    meetings = (
        visit_selectors.offered_meetings(
            request.user, cadre=cadre, today=timezone.localdate(), together_allowed=together
        )
        if cadre is not None
        else []
    )
    chosen_meeting = state.get("meeting") or form.initial.get("meeting")
    return {
        "form": form,
        "staff": staff,
        "cadre": cadre,
        "query": query,
        "cadre_options": matches,
        "meeting_groups": visit_selectors.by_cell(meetings),
        "chosen_meeting": str(chosen_meeting or ""),
        "together": together,
    }


def _chosen_cadre(user, value: str | None):
    """The cadre picked in the form (its id) or named in a link (its code), if the user sees it."""
    if not value:
        return None
    cadres = cadres_visible_to(user)
    found = cadres.filter(pk=int(value)).first() if value.isdigit() else None
    return found or cadres.filter(code=value).first()


def _create_initial(request: HttpRequest, cadre) -> dict:
    """``?meeting=<pk>&cadre=<code>`` preselect the form (links from the meeting and cadre pages)."""
    initial = {}
    if request.GET.get("meeting", "").isdigit():
        initial["meeting"] = int(request.GET["meeting"])
    if cadre is not None:
        initial["cadre"] = cadre
    return initial


@require_GET
@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(visit_selectors.visit_for_page(request.user), pk=pk)
    context = {
        "visit": visit,
        "can_edit": _can_edit(request.user, visit),
        "note_url": _note_url(request.user, visit),
        "history": audit_rows((visit.history.filter(id=visit.pk), None)) if is_staff(request.user) else None,
    }
    return render(request, "assignments/visits/detail.html", context)


def _note_url(user, visit: Visit) -> str | None:
    """The visiting cadre writes the note once the meeting day has come; office roles read it."""
    note = getattr(visit, "note", None)
    if visit.cadre.user_id == user.pk:
        meeting_came = visit.meeting is not None and visit.meeting.date <= timezone.localdate()
        if note is not None or (
            meeting_came and visit.status in (Visit.Status.PLANNED, Visit.Status.ATTENDED)
        ):
            return reverse("assignments:note_start", args=[visit.pk])
        return None
    return note.get_absolute_url() if note is not None else None


@require_http_methods(["GET", "POST"])
@login_required
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(visit_selectors.visit_for_page(request.user), pk=pk)
    if not _can_edit(request.user, visit):
        raise PermissionDenied
    action = request.POST.get("action") if request.method == "POST" else None
    staff = is_staff(request.user)
    meetings = visit_selectors.bookable_meetings(request.user, today=timezone.localdate(), cadre=visit.cadre)
    move_form = VisitMoveForm(
        request.POST if action == "move" else None,
        meetings=meetings,
        staff=staff,
        initial={"together_allowed": visit.together_allowed},
    )
    mark_form = VisitMarkForm(request.POST if action == "mark" else None)
    done = None
    if action == "move" and move_form.is_valid():
        done = save_or_show_errors(move_form, lambda: _move(request, visit, move_form.cleaned_data))
    elif action == "mark" and mark_form.is_valid():
        status = mark_form.cleaned_data["status"]
        done = save_or_show_errors(
            mark_form, lambda: visits.visit_mark(visit=visit, status=status, by=request.user)
        )
    if done is not None:
        messages.success(request, _("The visit was saved."))
        return redirect(done)
    context = {"visit": visit, "move_form": move_form, "mark_form": mark_form, "staff": staff}
    return render(request, "assignments/visits/edit.html", context)


def _move(request: HttpRequest, visit: Visit, data: dict) -> Visit:
    return visits.visit_reschedule(
        visit=visit, meeting=data["meeting"], by=request.user, together_allowed=data.get("together_allowed")
    )


def _can_edit(user, visit: Visit) -> bool:
    """Staff edit every visit they see; a cadre only his own; leadership reads."""
    return is_staff(user) or (user_role(user) == Role.CADRE and visit.cadre.user_id == user.pk)


# --- Proposing a month ----------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def visit_propose(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _accept_proposal(request)
    form = ProposalForm(request.GET or None, today=timezone.localdate())
    context = {"form": form, "proposal": None}
    if form.is_bound and form.is_valid():
        params = _draw_params(form)
        context["proposal"] = _proposal(request, form, params["seed"])
        context["query"] = urlencode(params)
        context["redraw_url"] = _propose_url({**params, "seed": _new_seed()})
    return render(request, "assignments/visits/propose.html", context)


def _draw_params(form: ProposalForm) -> dict:
    """The period and the seed of this draw: the same seed draws the same proposal again."""
    data = form.cleaned_data
    return {"year": data["year"], "period": data["period"], "seed": data.get("seed") or _new_seed()}


def _new_seed() -> int:
    return random.SystemRandom().randrange(1, 2**31)


def _propose_url(params: dict) -> str:
    return f"{reverse('assignments:visit_propose')}?{urlencode(params)}"


def _proposal(request: HttpRequest, form: ProposalForm, seed: int) -> visits.Proposal | None:
    root = user_root(request.user)
    if root is None:
        form.add_error(None, _("Your login works in no committee."))
        return None
    return save_or_show_errors(
        form,
        lambda: visits.visit_propose(
            root=root, year=form.cleaned_data["year"], seed=seed, **form.month_or_quarter()
        ),
    )


def _accept_proposal(request: HttpRequest) -> HttpResponse:
    form = ProposalAcceptForm(request.POST, user=request.user)
    back = f"{reverse('assignments:visit_propose')}?{request.POST.get('query', '')}"
    if not form.is_valid():
        for error in form.errors.get("row", []):
            messages.error(request, error)
        return HttpResponseRedirect(back)
    try:
        saved = visits.visit_proposal_accept(rows=form.cleaned_data["row"], by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return HttpResponseRedirect(back)
    messages.success(request, _("%(count)s visits were planned.") % {"count": len(saved)})
    return redirect("assignments:visit_list")
