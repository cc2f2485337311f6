"""Coverage: how many cells of a committee's subtree were attended (or assigned) in a period.

The one function every figure comes from: the dashboard, the XLSX/DOCX/PDF exports, the quarterly and
annual reports and ``manage.py coverage_report`` all call :func:`coverage`, so the numbers cannot disagree.

Definitions (issue "Coverage dashboard …"):
- the cells counted are the cells of the subtree valid at some day of the period; a cell merged into a
  successor that is itself valid in the period is not counted on its own: its visits (and assignments)
  cover the successor;
- *direct* cells hang right under the root; *subordinate* cells are every other cell of the subtree, and
  each belongs to the committee right under the root that holds it (its grassroots committee);
- basis *attended*: a cell is covered when it has an attended visit whose meeting falls in the period;
  basis *assigned*: the cell has an assignment in the year's plan (the issued one, else the latest draft);
- percent = covered × 100 / cells, rounded half up to two decimals.

The work is five queries whatever the size: the groups, the committees, one grouped count of the cells
and the two cadre counts; Python only adds up the handful of grouped rows.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, StrIndex, Substr
from django.db.models.lookups import Exact
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assignments.models import Assignment, AssignmentPlan, Visit
from cells.models import CellTypeGroup, Organization

HUNDREDTH = Decimal("0.01")


# --- The period and the basis ---------------------------------------------------------------------------
class Basis:
    ATTENDED = "attended"
    ASSIGNED = "assigned"
    CHOICES = [(ATTENDED, gettext_lazy("Attended")), (ASSIGNED, gettext_lazy("Assigned"))]
    VALUES = (ATTENDED, ASSIGNED)


@dataclass(frozen=True)
class Period:
    """Days ``start`` to ``end``, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(_("The period starts after it ends."))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ValueError(_("The quarter must be 1 to 4."))
        first = 3 * quarter - 2
        return cls(date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1]))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise ValueError(_("The month must be 1 to 12."))
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @property
    def years(self) -> range:
        return range(self.start.year, self.end.year + 1)


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
        tier = direct if line["direct"] else subordinate
        tier.add(line["cells"], line["covered"])
        if line["group_id"] in group_index:
            tier.groups[group_index[line["group_id"]]].add(line["cells"], line["covered"])
        if not line["direct"] and line["committee_id"] in by_committee:
            by_committee[line["committee_id"]].add(line["cells"], line["covered"])
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
        .order_by("code")
        .only("code", "name")
    )


def _grouped_counts(root: Organization, period: Period, basis: str) -> Iterable[dict]:
    """One query: cells and covered cells by (direct or not, group, committee)."""
    return (
        counted_cells(root, period)
        .annotate(
            is_covered=Cast(covered_condition(period, basis, root), IntegerField()),
            direct=Exact(F("parent_id"), root.pk),
            group_id=F("cell_type__group_id"),
            committee_id=_committee_id(root),
        )
        .order_by()
        .values("direct", "group_id", "committee_id")
        .annotate(cells=Count("pk"), covered=Coalesce(Sum("is_covered"), 0))
    )


def counted_cells(root: Organization, period: Period) -> QuerySet[Organization]:
    """The cells of the subtree valid in the period, each merged cell counted once as its successor."""
    return (
        Organization.objects.cells()
        .subtree(root, include_root=False)
        .active_between(period.start, period.end)
        .exclude(_merged_in(period))
    )


def _merged_in(period: Period) -> Q:
    """The cell was merged into a successor that is valid in the period: the successor stands for it."""
    return (
        Q(successor__isnull=False)
        & (Q(successor__valid_from__isnull=True) | Q(successor__valid_from__lte=period.end))
        & (Q(successor__valid_to__isnull=True) | Q(successor__valid_to__gte=period.start))
    )


def covered_condition(period: Period, basis: str, root: Organization):
    """A boolean expression on an Organization row: is this cell (or a cell merged into it) covered?"""
    if basis == Basis.ASSIGNED:
        plans = plans_for(root, period)
        own = Assignment.objects.filter(plan_id__in=plans, cell_id=OuterRef("pk"))
        merged = Assignment.objects.filter(plan_id__in=plans, cell__successor_id=OuterRef("pk"))
    else:
        attended = Visit.objects.filter(
            status=Visit.Status.ATTENDED, meeting_date__gte=period.start, meeting_date__lte=period.end
        )
        own = attended.filter(cell_id=OuterRef("pk"))
        merged = attended.filter(cell__successor_id=OuterRef("pk"))
    return Exists(own) | Exists(merged)


def plans_for(root: Organization, period: Period) -> QuerySet[AssignmentPlan]:
    """Each year's plan of the root: the issued one, else the latest draft (a subquery, not a list)."""
    latest = (
        AssignmentPlan.objects.filter(root=root, year=OuterRef("year"))
        .order_by("-status", "-pk")  # "issued" sorts after "draft": descending puts it first
        .values("pk")[:1]
    )
    return AssignmentPlan.objects.filter(root=root, year__in=list(period.years), pk=latest).values("pk")


def _committee_id(root: Organization):
    """The id right after the root's in the path: "/1/7/42/" under "/1/" → 7."""
    rest = Substr("path", len(root.path) + 1)
    return Cast(Substr(rest, 1, StrIndex(rest, Value("/")) - 1), IntegerField())


def _cadre_counts(root: Organization, period: Period) -> tuple[int, int]:
    """Cadres assigned to cells of the subtree in the period's plans, and cadres who attended there."""
    in_subtree = Q(cell__path__startswith=root.path)
    assigned = Assignment.objects.filter(in_subtree, plan_id__in=plans_for(root, period))
    attended = Visit.objects.filter(
        in_subtree,
        status=Visit.Status.ATTENDED,
        meeting_date__gte=period.start,
        meeting_date__lte=period.end,
    )
    return (
        assigned.order_by().values("cadre_id").distinct().count(),
        attended.order_by().values("cadre_id").distinct().count(),
    )


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
    if covered is not None:
        cells = cells.filter(is_covered=covered)
    return cells.select_related("cell_type__group", "parent").order_by("path")
