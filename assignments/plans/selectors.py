"""Reads of the plan pages, built on the scoped selectors (assignments.cadres.selectors, cells.hierarchy.selectors)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from assignments.cadres.selectors import cadres_visible_to
from assignments.models import (
    Assignment,
    AssignmentPlan,
    Cadre,
    PlanAmendment,
    RuleOverride,
)
from assignments.plans.rules import plan_period
from cells.access import scope as cell_selectors
from cells.access.roles import Role
from cells.access.scope import scope_of
from cells.models import Organization
from core import names
from core.history import AuditRow, audit_rows

CELL_SEARCH_LIMIT = 20


def plan_roots_for(user) -> QuerySet[Organization]:
    """The root committees a user may draft plans for: the roots inside their subtree."""
    return cell_selectors.committees_visible_to(user).roots().order_by("code")


def plans_for_list(user) -> QuerySet[AssignmentPlan]:
    """Visible plans with how many cadres, cells and assignments each holds: one query."""
    return (
        plans_visible_to(user)
        .select_related("root")
        .annotate(
            cadre_count=Count("assignments__cadre", distinct=True),
            cell_count=Count("assignments__cell", distinct=True),
        )
        .order_by("-year", "-pk")
    )


def plan_for(user) -> QuerySet[AssignmentPlan]:
    return plans_visible_to(user).select_related("root")


def plan_cadre_rows(user, plan: AssignmentPlan, *, editing: bool, cadre_ids=None) -> QuerySet[Cadre]:
    """The editor's rows: each cadre of the plan's root with their cells in this plan (two queries).

    While editing every cadre of the root is listed, so any of them can be given cells; otherwise only
    the cadres the plan assigns.
    """
    in_plan = Assignment.objects.filter(plan=plan, cadre=OuterRef("pk"))
    cadres = (
        cadres_visible_to(user)
        .filter(organization__path__startswith=plan.root.path)
        .select_related("member__cell")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(plan=plan).select_related(
                    "cell__cell_type", "cell__parent"
                ),
                to_attr="plan_assignments",
            )
        )
        .order_by("sort_key", "code")
    )
    if not editing:
        cadres = cadres.filter(Exists(in_plan))
    if cadre_ids is not None:
        cadres = cadres.filter(pk__in=cadre_ids)
    return cadres


def plan_cadres(user, plan: AssignmentPlan) -> QuerySet[Cadre]:
    """Cadres that may be assigned in the plan: the root's, as far as the user sees them."""
    return cadres_visible_to(user).filter(organization__path__startswith=plan.root.path)


def plan_cadres_with_logins(user, plan: AssignmentPlan) -> QuerySet[Cadre]:
    """The cadres the plan assigns, with their logins, for the invitation page (paged by the view)."""
    in_plan = Assignment.objects.filter(plan=plan, cadre=OuterRef("pk"))
    return (
        plan_cadres(user, plan)
        .filter(Exists(in_plan))
        .select_related("user", "organization")
        .annotate(email_in_use=Exists(_other_login_with_email()))
        .order_by("sort_key", "code")
    )


def _other_login_with_email() -> QuerySet:
    """A login with the cadre's e-mail (case-insensitive): the cadre cannot be invited with it."""
    return get_user_model().objects.filter(email__iexact=OuterRef("email")).exclude(email="")


def plan_cells_for(user, plan: AssignmentPlan) -> QuerySet[Organization]:
    """Cells that may be assigned in the plan: the root's cells active in its year, as far as visible."""
    start, end = plan_period(plan)
    return (
        cell_selectors.cells_visible_to(user)
        .filter(path__startswith=plan.root.path)
        .active_between(start, end)
        .select_related("cell_type")
    )


def plan_cells_matching(user, plan: AssignmentPlan, text: str, *, cadre: Cadre | None = None):
    """Assignable cells whose code or name (with the parent's) holds every word of ``text``, ignoring
    case and diacritics, except the cadre's own assignments."""
    if not names.search_words(text):
        return Organization.objects.none()
    cells = names.search(plan_cells_for(user, plan), text)
    if cadre is not None:
        cells = cells.exclude(Exists(Assignment.objects.filter(plan=plan, cadre=cadre, cell=OuterRef("pk"))))
    return cells.annotate(cadre_count=Count("assignments", filter=Q(assignments__plan=plan))).order_by(
        "path"
    )[:CELL_SEARCH_LIMIT]


def plan_assignments(user, plan: AssignmentPlan) -> QuerySet[Assignment]:
    return (
        assignments_visible_to(user)
        .filter(plan=plan)
        .select_related("cadre", "cell")
        .order_by("cadre__sort_key", "cadre__code", "cell__code")
    )


def plan_amendments(plan: AssignmentPlan) -> QuerySet[PlanAmendment]:
    """The amendment history of a plan the caller already holds (so already visible)."""
    return plan.amendments.select_related("created_by").order_by("sequence")


def plan_overrides(plan: AssignmentPlan) -> QuerySet[RuleOverride]:
    return plan.overrides.select_related("created_by").order_by("created_at", "pk")


# --- The published notice, as the cells' side sees it -----------------------------------------------
def published_plans(user, year: int) -> QuerySet[AssignmentPlan]:
    """The issued plans of ``year`` above the user (for office roles: of their roots)."""
    return (
        plans_visible_to(user).filter(status=AssignmentPlan.Status.ISSUED, year=year).order_by("root__code")
    )


def cells_with_published_cadres(user, year: int) -> QuerySet[Organization]:
    """The user's cells active today, each with the cadres the issued plan of ``year`` assigns to it.

    Only names and positions come along: nothing of visits (grassroots staff read this page).
    """
    published = (
        assignments_visible_to(user)
        .filter(plan__status=AssignmentPlan.Status.ISSUED, plan__year=year)
        .select_related("cadre")
        .order_by("cadre__sort_key", "cadre__code")
    )
    return (
        cell_selectors.cells_visible_to(user)
        .active_on(timezone.localdate())
        .select_related("cell_type", "parent")
        .prefetch_related(Prefetch("assignments", queryset=published, to_attr="published_assignments"))
        .order_by("path")
    )


def plan_sources(user) -> QuerySet[AssignmentPlan]:
    """The plans a new draft may start from: every visible plan, newest (and issued) first. A root has
    one plan a year, so the list stays short."""
    return plan_for(user).order_by("-year", "-status", "-pk")


def plan_pairs(user, plan: AssignmentPlan, tokens) -> tuple[list[tuple[Cadre, Organization]], list[str]]:
    """Resolve "cadre id:cell id" tokens of the pair picker within the user's reach and the plan's root:
    the pairs (in order, without repeats) and the tokens that do not resolve. Two queries."""
    parsed = []
    for token in dict.fromkeys(tokens):
        cadre_id, _sep, cell_id = str(token).partition(":")
        parsed.append(
            (token, int(cadre_id) if cadre_id.isdigit() else 0, int(cell_id) if cell_id.isdigit() else 0)
        )
    cadres = plan_cadres(user, plan).in_bulk({cadre_id for _t, cadre_id, _c in parsed})
    cells = (
        plan_cells_for(user, plan).select_related("parent").in_bulk({cell_id for _t, _c, cell_id in parsed})
    )
    pairs = [(cadres[a], cells[b]) for _t, a, b in parsed if a in cadres and b in cells]
    bad = [token for token, a, b in parsed if a not in cadres or b not in cells]
    return pairs, bad


def plans_visible_to(user) -> QuerySet[AssignmentPlan]:
    """Staff and leadership: every plan of a root in their subtree. Others: issued plans above them."""
    scope = scope_of(user)
    if scope.everything or scope.top is None or scope.is_office:
        return scope.filter(AssignmentPlan.objects.all(), "root__path")
    above_or_at = [*scope.top.ancestor_ids(), scope.top.pk]
    issued = AssignmentPlan.objects.filter(status=AssignmentPlan.Status.ISSUED, root_id__in=above_or_at)
    if scope.role == Role.CADRE:
        return issued.filter(assignments__cadre__user=user).distinct()
    return issued


def assignments_visible_to(user) -> QuerySet[Assignment]:
    """Staff and leadership: assignments of their plans. A cadre: their own, in issued plans.
    Grassroots staff: the issued plans' assignments of the cells in their subtree (the published notice)."""
    scope = scope_of(user)
    if scope.everything or scope.top is None or scope.is_office:
        return scope.filter(Assignment.objects.all(), "plan__root__path")
    issued = Assignment.objects.filter(plan__status=AssignmentPlan.Status.ISSUED)
    if scope.role == Role.CADRE:
        return issued.filter(cadre__user=user)
    if scope.role == Role.GRASSROOTS_STAFF:
        return issued.filter(scope.under("cell__path"))
    return Assignment.objects.none()


def plan_audit(plan: AssignmentPlan) -> list[AuditRow]:
    """The plan's own changes and every assignment added to or removed from it, newest first."""

    def assignment(record) -> str:
        return f"{record.cadre.code} → {record.cell.code}"

    return audit_rows(
        (plan.history.filter(id=plan.pk), None),
        (Assignment.history.filter(plan_id=plan.pk).select_related("cadre", "cell"), assignment),
    )
