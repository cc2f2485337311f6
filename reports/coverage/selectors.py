"""Coverage: how many cells of a committee's subtree were attended (or assigned) in a period.

The one function every figure comes from: the dashboard, the XLSX/DOCX/PDF exports, the quarterly and
annual reports and ``manage.py coverage_report`` all call :func:`coverage`, so the numbers cannot disagree.

Definitions:
- the cells counted are the cells of the subtree valid at some day of the period; a cell merged into a
  successor that is itself valid in the period is not counted on its own: its visits (and assignments)
  cover the successor;
- *direct* cells hang right under the root; *subordinate* cells are every other cell of the subtree, and
  each belongs to the committee right under the root that holds it (its grassroots committee);
- basis *attended*: a cell is covered when it has an attended visit whose meeting falls in the period;
  basis *assigned*: the cell has an assignment in the year's plan (the issued one, else the latest draft);
- percent = covered × 100 / cells, rounded half up to two decimals.

The work is four queries whatever the size: the groups, the committees, one count of the cells and of
the covered cells by (parent, group), and both cadre counts in one. Python adds up the grouped rows (a
few hundred in a real district: parents × groups). Why it is shaped so (scripts/bench_coverage.py:
250,000 cells and 3,000,000 attended visits on PostgreSQL):
- a cell is covered when one probe of the partial index visit_attended_cell_idx (cell, meeting_date)
  finds an attended visit in the period: one index descent per cell, no table row read. The few cells
  merged into another are looked up once, as a hashed list of successors;
- counting by ``parent_id`` (a column with statistics) lets PostgreSQL hash a few thousand groups; a
  computed committee key made it sort every cell on disk. The committee comes from the parent's path;
- each year's plan is an uncorrelated subquery, run once, not once per probe;
- the cadres are counted with one EXISTS per cadre, which stops at the first matching row.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assignments.models import Assignment, AssignmentPlan, Cadre, Visit
from cells.models import PATH_SEPARATOR, CellTypeGroup, Organization
from core.dates import DateRange

HUNDREDTH = Decimal("0.01")


# --- The period and the basis ---------------------------------------------------------------------------
class Basis:
    ATTENDED = "attended"
    ASSIGNED = "assigned"
    CHOICES = [(ATTENDED, gettext_lazy("Attended")), (ASSIGNED, gettext_lazy("Assigned"))]
    VALUES = (ATTENDED, ASSIGNED)


# A coverage period is a range of days (core.dates): Period.year / .quarter / .month / .of_year, .years.
Period = DateRange


# --- The figures ----------------------------------------------------------------------------------------
def percent(covered: int, cells: int) -> Decimal:
    """covered × 100 / cells, half up to two decimals (2/3 → 66.67, 1/8 → 12.50); 0 when there are none."""
    if not cells:
        return Decimal("0.00")
    return (Decimal(covered * 100) / Decimal(cells)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass
class Row:
    """One line of the coverage table: a tier, a group or a committee."""

    code: str = ""
    name: str = ""
    cells: int = 0
    covered: int = 0
    key: int | None = None  # the group's or committee's primary key, for links to the list behind it

    @property
    def percent(self) -> Decimal:
        return percent(self.covered, self.cells)

    def add(self, cells: int, covered: int) -> None:
        self.cells += cells
        self.covered += covered

    def as_dict(self) -> dict:
        data = {"cells": self.cells, "covered": self.covered, "percent": float(self.percent)}
        return {"code": self.code, "name": self.name, **data} if self.code else data


@dataclass
class Tier(Row):
    groups: list[Row] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {**super().as_dict(), "groups": [group.as_dict() for group in self.groups]}


@dataclass
class Coverage:
    root: Organization
    period: Period
    basis: str
    direct: Tier
    subordinate: Tier
    total: Row
    committees: list[Row]
    cadres_assigned: int
    cadres_attended: int

    def as_dict(self) -> dict:
        """The JSON of ``coverage_report --format json`` (keys may be added, never renamed)."""
        return {
            "root": self.root.code,
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "basis": self.basis,
            "direct": self.direct.as_dict(),
            "subordinate": self.subordinate.as_dict(),
            "total": self.total.as_dict(),
            "committees": [committee.as_dict() for committee in self.committees],
            "cadres": {"assigned": self.cadres_assigned, "attended": self.cadres_attended},
        }


# --- Computing them -------------------------------------------------------------------------------------
def coverage(*, root: Organization, period: Period, basis: str = Basis.ATTENDED) -> Coverage:
    if basis not in Basis.VALUES:
        raise ValueError(_("Unknown basis: %(basis)s.") % {"basis": basis})
    groups = list(CellTypeGroup.objects.order_by("order", "code"))
    committees = list(_committees(root, period))
    direct = Tier(groups=[_group_row(group) for group in groups])
    subordinate = Tier(groups=[_group_row(group) for group in groups])
    by_committee = {
        committee.pk: Row(committee.code, committee.name, key=committee.pk) for committee in committees
    }
    group_index = {group.pk: index for index, group in enumerate(groups)}
    for line in _grouped_counts(root, period, basis):
        is_direct = line["parent_id"] == root.pk
        cells, covered_cells = line["cells"], line["covered"]
        tier = direct if is_direct else subordinate
        tier.add(cells, covered_cells)
        if line["group_id"] in group_index:
            tier.groups[group_index[line["group_id"]]].add(cells, covered_cells)
        committee = None if is_direct else by_committee.get(_committee_id(root, line["path"]))
        if committee is not None:
            committee.add(cells, covered_cells)
    total = Row(cells=direct.cells + subordinate.cells, covered=direct.covered + subordinate.covered)
    assigned, attended = _cadre_counts(root, period)
    return Coverage(
        root=root,
        period=period,
        basis=basis,
        direct=direct,
        subordinate=subordinate,
        total=total,
        committees=list(by_committee.values()),
        cadres_assigned=assigned,
        cadres_attended=attended,
    )


def _group_row(group: CellTypeGroup) -> Row:
    return Row(group.code, group.name, key=group.pk)


def _committees(root: Organization, period: Period) -> QuerySet[Organization]:
    """The committees right under the root (grassroots committees), valid in the period."""
    return (
        Organization.objects.committees()
        .filter(parent=root)
        .active_between(period.start, period.end)
        .order_by("code_key", "code")
        .only("code", "name")
    )


def _grouped_counts(root: Organization, period: Period, basis: str) -> list[dict]:
    """One query: the counted cells and the covered ones by (parent, group), with one path per parent
    (for its committee)."""
    return list(
        counted_cells(root, period)
        .order_by()
        .values("parent_id", group_id=F("cell_type__group_id"))
        .annotate(
            cells=Count("pk"),
            covered=Count("pk", filter=_covered_q(period, basis, root)),
            path=Min("path"),
        )
    )


def _committee_id(root: Organization, path: str) -> int:
    """The id right after the root's in a path: "/1/7/42/" under "/1/" → 7."""
    return int(path[len(root.path) :].split(PATH_SEPARATOR, 1)[0])


def counted_cells(root: Organization, period: Period) -> QuerySet[Organization]:
    """The cells of the subtree valid in the period, each merged cell counted once as its successor."""
    return (
        Organization.objects.cells()
        .subtree(root, include_root=False)
        .active_between(period.start, period.end)
        .exclude(pk__in=_merged_in(period))
    )


def _merged_in(period: Period) -> QuerySet[Organization]:
    """The cells merged into a successor valid in the period (the successor stands for them): a short
    list, which PostgreSQL reads once and hashes."""
    successors = Organization.objects.filter(pk=OuterRef("successor_id")).active_between(
        period.start, period.end
    )
    return Organization.objects.filter(successor_id__isnull=False).filter(Exists(successors)).values("pk")


def _covering_rows(period: Period, basis: str, root: Organization) -> QuerySet:
    """The rows that cover a cell: the period's attended visits, or the assignments of its plans."""
    if basis == Basis.ASSIGNED:
        return Assignment.objects.filter(_in_plans(root, period)).order_by()
    return Visit.objects.filter(
        status=Visit.Status.ATTENDED, meeting_date__gte=period.start, meeting_date__lte=period.end
    ).order_by()


def _covering(period: Period, basis: str, root: Organization) -> tuple[Exists, QuerySet]:
    """A covering row of the cell itself (one indexed probe per cell), and the successors of the cells
    merged into another that have covering rows (a short list, read once and hashed)."""
    rows = _covering_rows(period, basis, root)
    merged = rows.filter(cell__successor_id__isnull=False).values("cell__successor_id")
    return Exists(rows.filter(cell_id=OuterRef("pk"))), merged


def _covered_q(period: Period, basis: str, root: Organization) -> Q:
    """Covered: a covering row of the cell itself or of a cell merged into it."""
    own, merged = _covering(period, basis, root)
    return Q(own) | Q(pk__in=merged)


def covered_condition(period: Period, basis: str, root: Organization) -> ExpressionWrapper:
    """A boolean expression on an Organization row: is this cell (or a cell merged into it) covered?"""
    return ExpressionWrapper(_covered_q(period, basis, root), output_field=BooleanField())


def uncovered_condition(period: Period, basis: str, root: Organization) -> Q:
    """Not covered, as a filter: NOT EXISTS and NOT IN side by side, which PostgreSQL runs as an
    anti-join and a hashed lookup (a negated OR would stay a per-row test)."""
    own, merged = _covering(period, basis, root)
    return ~Q(own) & ~Q(pk__in=merged)


def plans_for(root: Organization, period: Period) -> QuerySet[AssignmentPlan]:
    """Each year's plan of the root: the issued one, else the latest draft (a subquery, not a list)."""
    return AssignmentPlan.objects.filter(_in_plans(root, period, "pk")).values("pk")


def _in_plans(root: Organization, period: Period, field: str = "plan_id") -> Q:
    """``field`` names one of the period's years' plans, each year's written as its own uncorrelated
    subquery: PostgreSQL runs each once, even inside a per-cell probe."""
    return reduce(operator.or_, (Q(**{field: Subquery(_plan_of_year(root, year))}) for year in period.years))


def _plan_of_year(root: Organization, year: int) -> QuerySet[AssignmentPlan]:
    """The issued plan of the year, else the latest draft, of the committee that issues plans for
    ``root``'s subtree: the nearest of ``root`` and its ancestors that has a plan that year (a
    grassroots committee's figures count the root committee's plan)."""
    issuers = [root.pk, *reversed(root.ancestor_ids())]
    nearest = Case(*(When(root_id=pk, then=Value(depth)) for depth, pk in enumerate(issuers)))
    plans = AssignmentPlan.objects.filter(root_id__in=issuers, year=year)
    return plans.order_by(nearest, "-status", "-pk").values("pk")[:1]  # "issued" sorts after "draft"


def _cadre_counts(root: Organization, period: Period) -> tuple[int, int]:
    """One query: the cadres assigned to cells of the subtree in the period's plans, and the cadres who
    attended a meeting there in the period (an EXISTS per cadre, which stops at the first row)."""
    in_subtree = Q(cell__path__startswith=root.path, cadre_id=OuterRef("pk"))
    assigned = _covering_rows(period, Basis.ASSIGNED, root).filter(in_subtree)
    attended = _covering_rows(period, Basis.ATTENDED, root).filter(in_subtree)
    counts = Cadre.objects.aggregate(
        assigned=Count("pk", filter=Q(Exists(assigned))), attended=Count("pk", filter=Q(Exists(attended)))
    )
    return counts["assigned"], counts["attended"]


def cells_by_coverage(
    *,
    root: Organization,
    period: Period,
    basis: str = Basis.ATTENDED,
    covered: bool | None = None,
    direct: bool | None = None,
    group: int | None = None,
    committee: int | None = None,
) -> QuerySet[Organization]:
    """The cells behind one figure of the table (the list a number links to), with ``is_covered``."""
    cells = counted_cells(root, period).annotate(is_covered=covered_condition(period, basis, root))
    if direct is not None:
        cells = cells.filter(parent=root) if direct else cells.exclude(parent=root)
    if group is not None:
        cells = cells.filter(cell_type__group_id=group)
    if committee is not None:
        cells = cells.filter(path__contains=f"/{int(committee)}/")
    if covered is True:
        cells = cells.filter(_covered_q(period, basis, root))
    elif covered is False:
        cells = cells.filter(uncovered_condition(period, basis, root))
    return cells.select_related("cell_type__group", "parent").order_by("path")
