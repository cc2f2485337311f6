"""How much of the root's cells a plan covers, as the editor shows it while staff draft: assigned cells
over all active cells, by tier (directly under the root / subordinate) and by cell-type group.

One grouped query; the totals are sums of its few rows. (The yearly report's coverage of attended
meetings is the reports app's; this is only the plan's own preview.)
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, Exists, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from assignments.models import Assignment, AssignmentPlan
from assignments.plans.rules import plan_cells
from core.numbers import DIRECT_TIER, SUBORDINATE_TIER

DIRECT, SUBORDINATE = "direct", "subordinate"
TIER_LABELS = {
    DIRECT: DIRECT_TIER,
    SUBORDINATE: SUBORDINATE_TIER,
}


@dataclass(frozen=True)
class CoverageLine:
    key: str
    label: str
    assigned: int
    total: int

    @property
    def percent(self) -> Decimal | None:
        """Assigned share in percent, rounded half up to two decimals; None when there are no cells."""
        if not self.total:
            return None
        return (Decimal(100 * self.assigned) / self.total).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class CoveragePreview:
    tiers: list[CoverageLine]
    groups: list[CoverageLine]
    total: CoverageLine


def plan_coverage(plan: AssignmentPlan) -> CoveragePreview:
    rows = list(
        plan_cells(plan)
        .annotate(
            tier=Case(When(parent_id=plan.root_id, then=Value(DIRECT)), default=Value(SUBORDINATE)),
            covered=Exists(Assignment.objects.filter(plan=plan, cell=OuterRef("pk"))),
        )
        .values("tier", "cell_type__group__code", "cell_type__group__name", "cell_type__group__order")
        .annotate(cells=Count("pk"), assigned=Count("pk", filter=Q(covered=True)))
        .order_by()
    )
    return CoveragePreview(
        tiers=_tiers(rows), groups=_groups(rows), total=_sum("total", _("All cells"), rows)
    )


def _sum(key: str, label, rows: list[dict]) -> CoverageLine:
    return CoverageLine(
        key, str(label), sum(row["assigned"] for row in rows), sum(row["cells"] for row in rows)
    )


def _tiers(rows: list[dict]) -> list[CoverageLine]:
    return [
        _sum(tier, label, [row for row in rows if row["tier"] == tier]) for tier, label in TIER_LABELS.items()
    ]


def _groups(rows: list[dict]) -> list[CoverageLine]:
    """Only the groups that have cells in the root, in the groups' own order."""
    keys = sorted(
        {
            (row["cell_type__group__order"], row["cell_type__group__code"], row["cell_type__group__name"])
            for row in rows
        }
    )
    return [
        _sum(code, name, [row for row in rows if row["cell_type__group__code"] == code])
        for _order, code, name in keys
    ]
