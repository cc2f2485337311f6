"""The yearly plan: list, start (from scratch or from an earlier plan), draft editor (htmx), header form,
issue, amend, invitations, the published list of assigned cadres, and the notice as DOCX and PDF.

Reads go through the scoped selectors (another root's plan is a 404); role_required gives the 403 for a
role that may not use a page; changing an issued plan outside an amendment is a 403 on a visible plan.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assignments.cadres import logins as cadre_logins
from assignments.cadres.selectors import cadres_matching
from assignments.models import AssignmentPlan, Cadre
from assignments.plans import copy as plan_copy
from assignments.plans import selectors as plan_selectors
from assignments.plans import services as plans
from assignments.plans.coverage_preview import plan_coverage
from assignments.plans.forms import AmendForm, AssignForm, IssueForm, PlanForm, PlanStartForm
from assignments.plans.notice import Notice, notice_docx, notice_of, notice_pdf
from assignments.plans.rules import cadre_flags, plan_findings, rule_label
from assignments.plans.selectors import plans_visible_to
from assignments.plans.tables import AssignedCadresTable, PlanTable
from cells.access.roles import HIERARCHY_READERS, OFFICE, STAFF, Role, is_staff, role_required
from cells.logins.services import login_state_text
from core.documents import DOCX_TYPE, PDF_TYPE, download
from core.forms import save_or_show_errors
from core.listing import PAGE_SIZE, render_list

PLAN_CHANGED = "planChanged"  # htmx event: the checks panel reloads itself on it


def _plan(user, pk: int) -> AssignmentPlan:
    return get_object_or_404(plan_selectors.plan_for(user), pk=pk)


def _draft(user, pk: int) -> AssignmentPlan:
    """A visible plan that is still a draft; an issued one changes only through an amendment (403)."""
    plan = _plan(user, pk)
    if plan.is_issued:
        raise PermissionDenied
    return plan


# --- List and header ------------------------------------------------------------------------------------
@require_GET
@role_required(*OFFICE)
def plan_list(request: HttpRequest) -> HttpResponse:
    return render_list(
        request,
        queryset=plan_selectors.plans_for_list(request.user),
        table_class=PlanTable,
        filterset_class=None,
        template="assignments/plans/list.html",
        export_name="plans",
        context={"can_edit": is_staff(request.user)},
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def plan_create(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.user, request.POST or None, initial={"year": timezone.localdate().year})
    amend_url = None
    if request.method == "POST" and form.is_valid():
        if form.chosen_root is None:
            form.add_error(None, _("Your account is not attached to a root committee."))
        else:
            year = form.cleaned_data["year"]
            plan = save_or_show_errors(
                form,
                lambda: plans.plan_create(
                    root=form.chosen_root, created_by=request.user, **form.service_fields()
                ),
            )
            if plan is not None:
                messages.success(request, _("Draft plan for %(year)s created.") % {"year": plan.year})
                return redirect(plan)
            amend_url = issued_twin_url(request.user, form.chosen_root, year)
    context = {
        "form": form,
        "plan": None,
        "cancel_url": reverse("assignments:plan_list"),
        "amend_url": amend_url,
    }
    return render(request, "assignments/plans/form.html", context)


def issued_twin_url(user, root, year: int) -> str | None:
    """Where to amend the issued plan of ``root`` and ``year`` (creating a second one is refused)."""
    twin = plans.issued_plan_of(root, year)
    if twin is None or not plan_selectors.plan_for(user).filter(pk=twin.pk).exists():
        return None
    return reverse("assignments:plan_amend", args=[twin.pk])


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask first (a page that works without JavaScript), then delete the draft on POST."""
    plan = _draft(request.user, pk)
    if request.method == "POST":
        try:
            plans.plan_delete(plan=plan)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(plan)
        messages.success(request, _("The draft plan for %(year)s was deleted.") % {"year": plan.year})
        return redirect("assignments:plan_list")
    context = {"plan": plan, "assignment_count": plan.assignments.count()}
    return render(request, "assignments/plans/delete.html", context)


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _draft(request.user, pk)
    form = PlanForm(request.user, request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        saved = save_or_show_errors(form, lambda: plans.plan_update(plan=plan, **form.service_fields()))
        if saved is not None:
            messages.success(request, _("Plan saved."))
            return redirect(saved)
    context = {"form": form, "plan": plan, "cancel_url": plan.get_absolute_url()}
    return render(request, "assignments/plans/form.html", context)


# --- The editor -----------------------------------------------------------------------------------------
@require_GET
@role_required(*OFFICE)
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request.user, pk)
    editing = not plan.is_issued and is_staff(request.user)
    findings = plan_findings(plan)
    context = {
        "plan": plan,
        "editing": editing,
        "can_edit": is_staff(request.user),
        "rows": _flagged(plan_selectors.plan_cadre_rows(request.user, plan, editing=editing), findings),
        "findings": findings,
        "coverage": plan_coverage(plan),
    }
    if plan.is_issued:
        context["amendments"] = plan_selectors.plan_amendments(plan)
        context["overrides"] = _labelled(plan_selectors.plan_overrides(plan))
    if is_staff(request.user):
        context["history"] = plan_selectors.plan_audit(plan)
    return render(request, "assignments/plans/detail.html", context)


def _flagged(cadres, findings) -> list[Cadre]:
    """The rows, each marked with the per-cadre rules that cadre breaks."""
    flags = cadre_flags(findings)
    rows = list(cadres)
    for cadre in rows:
        cadre.rule_flags = flags.get(cadre.code, [])
    return rows


def _labelled(overrides) -> list:
    rows = list(overrides)
    for override in rows:
        override.rule_label = rule_label(override.rule)
    return rows


@require_GET
@role_required(*OFFICE)
def plan_checks(request: HttpRequest, pk: int) -> HttpResponse:
    """The live panel: coverage and rule findings (htmx reloads it after every change)."""
    plan = _plan(request.user, pk)
    context = {"plan": plan, "findings": plan_findings(plan), "coverage": plan_coverage(plan)}
    return render(request, "assignments/plans/_checks.html", context)


@require_GET
@role_required(*STAFF)
def plan_cell_search(request: HttpRequest, pk: int) -> HttpResponse:
    """Cells matching the typed code or name, each with a button assigning it to the row's cadre."""
    plan = _draft(request.user, pk)
    cadre = _cadre_param(request.user, plan, request.GET.get("cadre"))
    query = request.GET.get("q", "")
    cells = plan_selectors.plan_cells_matching(request.user, plan, query, cadre=cadre)
    context = {"plan": plan, "cadre": cadre, "cells": cells, "query": query.strip()}
    return render(request, "assignments/plans/_cell_search.html", context)


def _cadre_param(user, plan: AssignmentPlan, value: str | None) -> Cadre | None:
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return get_object_or_404(plan_selectors.plan_cadres(user, plan), pk=int(value))


@role_required(*STAFF)
@require_POST
def plan_assign(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _draft(request.user, pk)
    form = AssignForm(request.user, plan, request.POST)
    if not form.is_valid():
        return _after_change(request, plan, form.cleaned_data.get("cadre"), _form_error(form))
    cadre, cell = form.cleaned_data["cadre"], form.cleaned_data["cell"]
    try:
        plans.assignment_add(plan=plan, cadre=cadre, cell=cell)
    except ValidationError as error:
        return _after_change(request, plan, cadre, " ".join(error.messages))
    return _after_change(request, plan, cadre, None)


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def plan_unassign(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    """GET asks first (the page that works without JavaScript; htmx asks in a dialog and posts)."""
    plan = _draft(request.user, pk)
    assignment = get_object_or_404(
        plan_selectors.plan_assignments(request.user, plan).select_related("cell__parent"), pk=assignment_pk
    )
    if request.method == "GET":
        return render(request, "assignments/plans/unassign.html", {"plan": plan, "assignment": assignment})
    try:
        plans.assignment_remove(assignment=assignment)
    except ValidationError as error:
        return _after_change(request, plan, assignment.cadre, " ".join(error.messages))
    return _after_change(request, plan, assignment.cadre, None)


def _form_error(form) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


def _after_change(request: HttpRequest, plan: AssignmentPlan, cadre: Cadre | None, error: str | None):
    """htmx: the cadre's row again (with the error, if any) and a signal for the checks panel to reload.
    A plain form post: back to the editor with a message."""
    if request.htmx and cadre is None:  # a tampered form: there is no row to show again
        return HttpResponseBadRequest(error)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(plan)
    rows = plan_selectors.plan_cadre_rows(request.user, plan, editing=True, cadre_ids=[cadre.pk])
    [row] = _flagged(rows, plan_findings(plan))
    context = {"plan": plan, "editing": True, "cadre": row, "error": error}
    response = render(request, "assignments/plans/_cadre_row.html", context)
    if error is None:
        response["HX-Trigger"] = PLAN_CHANGED
    return response


# --- Issue and amend ------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def plan_issue(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _draft(request.user, pk)
    form = IssueForm(plan_findings(plan), request.POST or None)
    if request.method == "POST" and form.is_valid():
        issue = lambda: plans.plan_issue(  # noqa: E731
            plan=plan, by=request.user, overrides=form.overrides(), issued_on=form.cleaned_data["issued_on"]
        )
        issued = save_or_show_errors(form, issue)
        if issued is not None:
            messages.success(
                request, _("Plan issued as No. %(number)s.") % {"number": issued.document_number}
            )
            return redirect(issued)
    context = {
        "plan": plan,
        "form": form,
        "findings": form.findings,
        "coverage": plan_coverage(plan),
        "missing_header": _header_links(plan),
    }
    return render(request, "assignments/plans/issue.html", context)


def _header_links(plan: AssignmentPlan) -> list[tuple[str, str]]:
    """Each empty header field the notice needs, with the link to that field on the header form."""
    edit = reverse("assignments:plan_edit", args=[plan.pk])
    return [
        (capfirst(AssignmentPlan._meta.get_field(name).verbose_name), f"{edit}#id_{name}")
        for name in plans.missing_header(plan)
    ]


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def plan_amend(request: HttpRequest, pk: int) -> HttpResponse:
    """Amend an issued plan. The pair picker (find a cadre, then a cell) adds "cadre:cell" choices to the
    form: htmx swaps its parts in place; without JavaScript its buttons post the form back, which returns
    with the picker's results and the choices kept, and nothing is recorded until "Record" is pressed."""
    plan = _plan(request.user, pk)
    if not plan.is_issued:
        raise PermissionDenied
    state = request.POST if request.method == "POST" else request.GET
    # The picker's buttons only post the form back with their results: nothing is checked or recorded.
    picking = "show" in state or "add_pick" in state
    saving = request.method == "POST" and not picking
    initial = {"reason": state.get("reason", ""), "add": state.get("add", "")}
    form = AmendForm(request.user, plan, request.POST if saving else None, initial=initial)
    if saving and form.is_valid():
        amend = lambda: plans.plan_amend(  # noqa: E731
            plan=plan,
            by=request.user,
            reason=form.cleaned_data["reason"],
            add=form.cleaned_data["add"],
            remove=form.cleaned_data["remove"],
        )
        amendment = save_or_show_errors(form, amend)
        if amendment is not None:
            messages.success(request, _("Amendment %(number)s recorded.") % {"number": amendment.sequence})
            return redirect(plan)
    context = {"plan": plan, "form": form, **_amend_picker(request, plan, _with_pick(state))}
    return render(request, "assignments/plans/amend.html", context)


def _with_pick(data):
    """The posted choices with the pair just picked ("add_pick") among the pairs to add."""
    data = data.copy()
    pick = data.get("add_pick")
    if pick and pick not in data.getlist("add_pair"):
        data.appendlist("add_pair", pick)
    return data


def _amend_picker(request: HttpRequest, plan: AssignmentPlan, state) -> dict:
    """The amend page's rows (cadres with their cells, each removable) and the pair picker's state."""
    user = request.user
    cadre = _cadre_param(user, plan, state.get("pick_cadre"))
    cadre_query, cell_query = state.get("pick_q", "").strip(), state.get("pick_cell_q", "").strip()
    cadres = list(cadres_matching(plan_selectors.plan_cadres(user, plan), cadre_query))
    if cadre is not None and cadre not in cadres:
        cadres.insert(0, cadre)
    pairs, _bad = plan_selectors.plan_pairs(user, plan, state.getlist("add_pair"))
    return {
        "rows": plan_selectors.plan_cadre_rows(user, plan, editing=False),
        "removed": {int(pk) for pk in state.getlist("remove") if pk.isdigit()},
        "pick_cadre": cadre,
        "pick_q": cadre_query,
        "pick_cell_q": cell_query,
        "cadre_results": cadres,
        "cell_results": plan_selectors.plan_cells_matching(user, plan, cell_query, cadre=cadre)
        if cadre is not None
        else [],
        "pairs": [(f"{c.pk}:{cell.pk}", c, cell) for c, cell in pairs],
    }


# --- The published notice, for the cells' side ---------------------------------------------------------
@require_GET
@role_required(*HIERARCHY_READERS)
def assigned_cadres(request: HttpRequest) -> HttpResponse:
    """For each of the user's cells, the cadres the issued plan of this year assigns (names, positions)."""
    year = timezone.localdate().year
    return render_list(
        request,
        queryset=plan_selectors.cells_with_published_cadres(request.user, year),
        table_class=AssignedCadresTable,
        filterset_class=None,
        template="assignments/plans/assigned_cadres.html",
        export_name="assigned-cadres",
        context={"year": year, "notices": list(plan_selectors.published_plans(request.user, year))},
    )


# --- Logins for the plan's cadres -----------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def plan_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """A page of the plan's cadres with their login state; the ticked ones (at most a page) are invited."""
    plan = _plan(request.user, pk)
    cadres = plan_selectors.plan_cadres_with_logins(request.user, plan)
    if request.method == "POST":
        # The ticked boxes, or every row of the page (the button that works without JavaScript).
        field = "on_page" if request.POST.get("all_on_page") else "cadre"
        ids = [int(value) for value in request.POST.getlist(field) if value.isdigit()][:PAGE_SIZE]
        if not ids:
            messages.error(request, _("Tick at least one cadre to invite."))
        else:
            _report_invites(request, cadre_logins.cadres_invite(cadres=list(cadres.filter(pk__in=ids))))
        page_number = request.POST.get("page", "1")
        page_number = page_number if page_number.isdigit() else "1"
        return redirect(f"{reverse('assignments:plan_invite', args=[plan.pk])}?page={page_number}")
    page = Paginator(cadres, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "cadre": cadre,
            "state": login_state_text(cadre.user),
            "refusal": cadre_logins.cadre_login_refusal(cadre),
        }
        for cadre in page.object_list
    ]
    return render(request, "assignments/plans/invite.html", {"plan": plan, "page": page, "rows": rows})


def _report_invites(request: HttpRequest, result: cadre_logins.InviteResult) -> None:
    messages.success(request, _("Invited: %(count)s.") % {"count": len(result.invited)})
    if result.skipped:
        skipped = "; ".join(f"{cadre.full_name} ({reason})" for cadre, reason in result.skipped)
        messages.warning(
            request, _("Skipped %(count)s: %(list)s.") % {"count": len(result.skipped), "list": skipped}
        )


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
    return render(request, "assignments/plans/start.html", context)


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
    return render(request, "assignments/plans/copy_result.html", context)


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


def _notice_plan(user, pk: int) -> AssignmentPlan:
    return get_object_or_404(plans_visible_to(user).select_related("root__parent"), pk=pk)


def _download(
    request: HttpRequest, pk: int, render: Callable[[Notice], bytes], content_type: str, ext: str
) -> HttpResponse:
    notice = notice_of(_notice_plan(request.user, pk))
    return download(render(notice), content_type, f"{notice.filename_stem}.{ext}")


@require_GET
@role_required(*Role)
def plan_notice_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, notice_docx, DOCX_TYPE, "docx")


@require_GET
@role_required(*Role)
def plan_notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, notice_pdf, PDF_TYPE, "pdf")
