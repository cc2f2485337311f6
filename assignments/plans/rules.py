"""The rules of the yearly plan (the notice's own rules), checked in SQL with a fixed number of queries.

While a plan is drafted they are warnings; on issue each failing rule needs a written override
(assignments.plans.services.plan_issue records it as a RuleOverride).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import Count, Exists, F, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assignments.models import Assignment, AssignmentPlan
from cells.models import CellType, Organization
from core.dates import DateRange

# Sector, school, agency, military, police and state-enterprise cells: the notice puts weight on them.
PRIORITY_TYPE_CODES = ("NG", "TH", "CQ", "QS", "CA", "DNNN")
MIN_CELL_TYPES = 2


class Rule(models.TextChoices):
    TWO_CELL_TYPES = "two_cell_types", _("Each cadre covers cells of at least two cell types")
    OWN_CELL = "own_cell", _("No cadre is assigned to the cell they are a member of")
    DIRECT_CELLS = "direct_cells", _("Every cell directly under the root committee has a cadre")
    MAX_LOAD = "max_load", _("No cadre has more cells than the plan allows")
    PRIORITY_TYPES = "priority_types", _("Every priority cell type is covered")


# How the editor marks a cadre's row for the per-cadre rules.
SHORT_LABELS = {
    Rule.TWO_CELL_TYPES: _("only one cell type"),
    Rule.OWN_CELL: _("assigned to own cell"),
    Rule.MAX_LOAD: _("too many cells"),
}


@dataclass(frozen=True)
class Flag:
    rule: Rule
    label: str


@dataclass(frozen=True)
class Named:
    """A cadre, cell or cell type a finding is about."""

    code: str
    name: str

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


@dataclass(frozen=True)
class Finding:
    """One failing rule: what fails and whom or what it concerns."""

    rule: Rule
    message: str
    cadres: tuple[Named, ...] = ()
    cells: tuple[Named, ...] = ()
    cell_types: tuple[Named, ...] = ()

    @property
    def label(self) -> str:
        return str(self.rule.label)

    @property
    def concerned(self) -> tuple[Named, ...]:
        return self.cadres + self.cells + self.cell_types


def plan_period(plan: AssignmentPlan) -> tuple[date, date]:
    """The plan covers the cells that exist at some day of its year."""
    year = DateRange.year(plan.year)
    return year.start, year.end


def plan_cells(plan: AssignmentPlan):
    """The root's cells active in the plan's year: what the plan may cover."""
    start, end = plan_period(plan)
    return Organization.objects.subtree(plan.root).cells().active_between(start, end)


def plan_findings(plan: AssignmentPlan) -> list[Finding]:
    """Every failing rule of the plan, in the order of Rule: four queries whatever the plan's size."""
    findings = [*_per_cadre(plan), _own_cell(plan), _direct_cells(plan), _priority_types(plan)]
    order = list(Rule)
    return sorted((f for f in findings if f is not None), key=lambda finding: order.index(finding.rule))


def rule_label(code: str) -> str:
    """The rule's name; a code no longer known (an old override) shows as it was stored."""
    return str(Rule(code).label) if code in Rule.values else code


def cadre_flags(findings: list[Finding]) -> dict[str, list[Flag]]:
    """The per-cadre rules each cadre breaks, by cadre code (the editor marks their rows)."""
    flags: dict[str, list[Flag]] = {}
    for finding in findings:
        for cadre in finding.cadres:
            label = str(SHORT_LABELS.get(finding.rule, finding.rule.label))
            flags.setdefault(cadre.code, []).append(Flag(finding.rule, label))
    return flags


def _per_cadre(plan: AssignmentPlan) -> list[Finding]:
    """Cell types and load of every cadre in the plan: one grouped query."""
    rows = (
        Assignment.objects.filter(plan=plan)
        .values("cadre__code", "cadre__full_name")
        .annotate(types=Count("cell__cell_type", distinct=True), cells=Count("cell", distinct=True))
        .order_by("cadre__sort_key", "cadre__code")
    )
    one_type, overloaded = [], []
    for row in rows:
        cadre = Named(row["cadre__code"], row["cadre__full_name"])
        if row["types"] < MIN_CELL_TYPES:
            one_type.append(cadre)
        if row["cells"] > plan.max_load:
            overloaded.append(cadre)
    findings = []
    if one_type:
        message = ngettext(
            "%(count)s cadre covers cells of only one cell type.",
            "%(count)s cadres cover cells of only one cell type.",
            len(one_type),
        ) % {"count": len(one_type)}
        findings.append(Finding(Rule.TWO_CELL_TYPES, message, cadres=tuple(one_type)))
    if overloaded:
        message = ngettext(
            "%(count)s cadre has more than %(max)s cells.",
            "%(count)s cadres have more than %(max)s cells.",
            len(overloaded),
        ) % {"count": len(overloaded), "max": plan.max_load}
        findings.append(Finding(Rule.MAX_LOAD, message, cadres=tuple(overloaded)))
    return findings


def _own_cell(plan: AssignmentPlan) -> Finding | None:
    rows = list(
        Assignment.objects.filter(plan=plan, cadre__member__cell=F("cell"))
        .values_list("cadre__code", "cadre__full_name", "cell__code", "cell__label")
        .order_by("cadre__sort_key", "cadre__code")
    )
    if not rows:
        return None
    message = ngettext(
        "%(count)s cadre is assigned to the cell they are a member of.",
        "%(count)s cadres are assigned to the cell they are a member of.",
        len(rows),
    ) % {"count": len(rows)}
    return Finding(
        Rule.OWN_CELL,
        message,
        cadres=tuple(Named(code, name) for code, name, _cell, _cell_name in rows),
        cells=tuple(Named(code, name) for _cadre, _cadre_name, code, name in rows),
    )


def _direct_cells(plan: AssignmentPlan) -> Finding | None:
    uncovered = list(
        plan_cells(plan)
        .filter(parent_id=plan.root_id)
        .exclude(Exists(Assignment.objects.filter(plan=plan, cell=OuterRef("pk"))))
        .values_list("code", "label")
        .order_by("sort_key", "code")
    )
    if not uncovered:
        return None
    message = ngettext(
        "%(count)s cell directly under the root committee has no cadre.",
        "%(count)s cells directly under the root committee have no cadre.",
        len(uncovered),
    ) % {"count": len(uncovered)}
    return Finding(Rule.DIRECT_CELLS, message, cells=tuple(Named(code, name) for code, name in uncovered))


def _priority_types(plan: AssignmentPlan) -> Finding | None:
    """Priority types that exist among the root's active cells but no assignment covers."""
    present = plan_cells(plan).filter(cell_type=OuterRef("pk"))
    covered = Assignment.objects.filter(plan=plan, cell__cell_type=OuterRef("pk"))
    missing = list(
        CellType.objects.filter(code__in=PRIORITY_TYPE_CODES)
        .filter(Exists(present))
        .exclude(Exists(covered))
        .values_list("code", "name")
        .order_by("code")
    )
    if not missing:
        return None
    message = ngettext(
        "%(count)s priority cell type has no cadre.",
        "%(count)s priority cell types have no cadre.",
        len(missing),
    ) % {"count": len(missing)}
    return Finding(
        Rule.PRIORITY_TYPES, message, cell_types=tuple(Named(code, name) for code, name in missing)
    )
