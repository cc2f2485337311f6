"""Start a year's draft from an earlier plan, and say what became of each of its assignments.

The copy is checked against the new year's hierarchy: a pair whose cell no longer exists in that year
(dissolved, or merged into a successor) or whose cadre is no longer one of the committee's is not copied
but named, with the successor offered in its place. Nothing is dropped silently: ``plan_copy_outcome``
sorts every pair of the source into copied, replaced, waiting for a decision, or left out with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assignments.models import Assignment, AssignmentPlan, Cadre
from assignments.plans.rules import plan_period
from assignments.plans.services import PLAN_FIELDS, _lock_draft, assignment_add, plan_create
from cells.models import Organization

# The header lines that carry over to the next year's notice (number, date and status never do).
COPIED_FIELDS = tuple(name for name in PLAN_FIELDS if name != "year")


@dataclass(frozen=True)
class PairFate:
    """One pair of the source plan and what the copy did with it."""

    cadre: Cadre
    cell: Organization
    reason: str = ""
    successor: Organization | None = None  # offered (pending) or assigned instead (replaced)

    @property
    def key(self) -> str:
        return f"{self.cadre.pk}-{self.cell.pk}"


@dataclass
class CopyOutcome:
    source: AssignmentPlan
    copied: list[PairFate] = field(default_factory=list)
    replaced: list[PairFate] = field(default_factory=list)
    pending: list[PairFate] = field(default_factory=list)  # a successor is offered: assign it or skip
    left_out: list[PairFate] = field(default_factory=list)


# --- Writes ---------------------------------------------------------------------------------------------
@transaction.atomic
def plan_copy(*, source: AssignmentPlan, year: int, created_by=None) -> AssignmentPlan:
    """A new draft for ``year`` of the source's root, with the source's header lines and every pair that
    still holds in ``year``; the others are left for staff to decide (plan_copy_outcome)."""
    if year <= source.year:
        raise ValidationError({"year": _("Choose a year after the plan you start from.")})
    fields = {name: getattr(source, name) for name in COPIED_FIELDS}
    plan = plan_create(root=source.root, year=year, created_by=created_by, **fields)
    plan.copied_from = source
    plan.save(update_fields=["copied_from"])
    start, end = plan_period(plan)
    present = set(_present_cadre_ids(plan))
    keep = [
        Assignment(plan=plan, cadre_id=a.cadre_id, cell_id=a.cell_id)
        for a in _source_pairs(source)
        if a.cadre_id in present
        and a.cell.is_valid_between(start, end)
        and a.cell.path.startswith(plan.root.path)
    ]
    Assignment.objects.bulk_create(keep)
    return plan


@transaction.atomic
def plan_copy_take_successor(*, plan: AssignmentPlan, cadre: Cadre, cell: Organization) -> Assignment:
    """Assign the cadre to the successor of a cell of the source plan that no longer exists."""
    return assignment_add(plan=plan, cadre=cadre, cell=_successor_for(plan, cadre, cell))


@transaction.atomic
def plan_copy_skip(*, plan: AssignmentPlan, cadre: Cadre, cell: Organization) -> None:
    """Leave a pair of the source plan out on purpose; the result page lists it as skipped."""
    _lock_draft(plan)
    _require_source_pair(plan, cadre, cell)
    pair = [cadre.pk, cell.pk]
    if pair not in plan.copy_skipped:
        plan.copy_skipped = [*plan.copy_skipped, pair]
        plan.save(update_fields=["copy_skipped"])


def _successor_for(plan: AssignmentPlan, cadre: Cadre, cell: Organization) -> Organization:
    _require_source_pair(plan, cadre, cell)
    if cell.successor_id is None:
        raise ValidationError(_("This cell was not merged into another one."))
    return cell.successor


def _require_source_pair(plan: AssignmentPlan, cadre: Cadre, cell: Organization) -> None:
    source = plan.copied_from
    if source is None or not Assignment.objects.filter(plan=source, cadre=cadre, cell=cell).exists():
        raise ValidationError(_("This pair is not in the plan the draft was started from."))


# --- Reads ----------------------------------------------------------------------------------------------
def plan_copy_outcome(plan: AssignmentPlan) -> CopyOutcome | None:
    """What became of each pair of the plan the draft was started from: four queries."""
    source = plan.copied_from
    if source is None:
        return None
    start, end = plan_period(plan)
    in_draft = set(Assignment.objects.filter(plan=plan).values_list("cadre_id", "cell_id"))
    present = set(_present_cadre_ids(plan))
    skipped = {tuple(pair) for pair in plan.copy_skipped}
    outcome = CopyOutcome(source=source)
    for a in _source_pairs(source):
        _sort(outcome, a, in_draft, present, skipped, plan, start, end)
    return outcome


def _sort(outcome, a: Assignment, in_draft, present, skipped, plan, start: date, end: date) -> None:
    cadre, cell = a.cadre, a.cell
    successor = _active_successor(cell, start, end)
    if (cadre.pk, cell.pk) in in_draft:
        outcome.copied.append(PairFate(cadre, cell))
    elif successor is not None and (cadre.pk, successor.pk) in in_draft:
        outcome.replaced.append(PairFate(cadre, cell, _gone_reason(cell, plan.year), successor))
    elif cadre.pk not in present:
        reason = _("%(name)s is no longer a cadre of the committee.") % {"name": cadre.full_name}
        outcome.left_out.append(PairFate(cadre, cell, reason))
    elif (cadre.pk, cell.pk) in skipped:
        outcome.left_out.append(PairFate(cadre, cell, _("Skipped by you."), successor))
    elif not cell.is_valid_between(start, end) or not cell.path.startswith(plan.root.path):
        _sort_gone(outcome, cadre, cell, successor, plan)
    else:
        outcome.left_out.append(PairFate(cadre, cell, _("Removed from the draft after it was copied.")))


def _sort_gone(outcome, cadre: Cadre, cell: Organization, successor, plan: AssignmentPlan) -> None:
    reason = _gone_reason(cell, plan.year)
    if successor is not None:
        outcome.pending.append(PairFate(cadre, cell, reason, successor))
    else:
        outcome.left_out.append(PairFate(cadre, cell, reason))


def _gone_reason(cell: Organization, year: int) -> str:
    if cell.successor_id is not None:
        return _("Merged into %(successor)s on %(day)s.") % {
            "successor": cell.successor.label,
            "day": _day(cell.valid_to),
        }
    if cell.valid_to is not None:
        return _("Dissolved on %(day)s.") % {"day": _day(cell.valid_to)}
    return _("Not a cell of this committee in %(year)s.") % {"year": year}


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "–"


def _active_successor(cell: Organization, start: date, end: date) -> Organization | None:
    successor = cell.successor if cell.successor_id else None
    return successor if successor is not None and successor.is_valid_between(start, end) else None


def _source_pairs(source: AssignmentPlan):
    return (
        Assignment.objects.filter(plan=source)
        .select_related("cadre", "cell__parent", "cell__successor__parent")
        .order_by("cadre__full_name", "cadre__code", "cell__code")
    )


def _present_cadre_ids(plan: AssignmentPlan):
    """Cadres of the plan's root whose committee still exists in the plan's year."""
    start, end = plan_period(plan)
    committees = Organization.objects.subtree(plan.root).active_between(start, end)
    return Cadre.objects.filter(organization__in=committees).values_list("pk", flat=True)
