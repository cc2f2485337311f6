"""Assignments of the yearly plan: year,cadre_code,cell_code. Each year of the file fills the root's
DRAFT plan of that year (created when missing); a row already in the draft is left unchanged.

All or nothing like every importer: any bad row is reported with its row and column and nothing is
written. Registered into the cells import registry from AssignmentsConfig.ready().
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from assignments.cadres.imports import cadre_of_row
from assignments.models import Assignment, AssignmentPlan, Cadre
from assignments.plans.services import FIRST_YEAR, LAST_YEAR, plan_create
from cells.imports.base import BATCH_SIZE, ImportContext, Importer, Plan, fetch_by, plan_row
from cells.imports.errors import RowError
from cells.imports.parsing import Row
from cells.imports.values import RowChecker
from cells.models import Organization


@dataclass
class AssignmentPayload:
    years_to_create: list[int] = field(default_factory=list)
    drafts: dict[int, AssignmentPlan] = field(default_factory=dict)
    new: list[tuple[int, Cadre, Organization]] = field(default_factory=list)


@dataclass
class _Lookups:
    """What the rows refer to, fetched once for the whole file."""

    cadres: dict[str, Cadre]
    cells: dict[str, Organization]
    drafts: dict[int, AssignmentPlan]
    issued: dict[int, AssignmentPlan]
    existing: set[tuple[int, int, int]]  # (plan, cadre, cell) already in the drafts


class PlanAssignmentImporter(Importer):
    kind = "assignments"
    label = gettext_lazy("Assignments of the yearly plan")
    columns = ("year", "cadre_code", "cell_code")
    order = 50
    needs_root = True

    def plan(self, rows: list[Row], context: ImportContext) -> Plan:
        plan = Plan(self.kind, self.columns)
        if context.root is None:
            plan.errors = [RowError(None, "", _("There is no root committee whose plan the file fills."))]
            return plan
        check = RowChecker()
        years = {row.number: _year(row, check) for row in rows}
        lookups = _lookups(rows, set(years.values()) - {None}, context)
        checked = []
        for row in _unique_rows(rows, check):
            year = years[row.number]
            checked.append((row, year, *self._refs(row, year, lookups, context, check)))
        plan.errors = check.errors
        if check.errors:
            return plan
        payload = plan.payload = AssignmentPayload(drafts=lookups.drafts)
        payload.years_to_create = sorted({year for _row, year, _c, _l in checked} - set(lookups.drafts))
        for row, year, cadre, cell in checked:
            draft = lookups.drafts.get(year)
            exists = draft is not None and (draft.pk, cadre.pk, cell.pk) in lookups.existing
            plan.rows.append(plan_row(row, exists, row.values, row.values))
            if not exists:
                payload.new.append((year, cadre, cell))
        return plan

    def write(self, plan: Plan, context: ImportContext) -> None:
        payload: AssignmentPayload = plan.payload
        drafts = dict(payload.drafts)
        for year in payload.years_to_create:
            drafts[year] = plan_create(root=context.root, year=year, created_by=context.user)
        assignments = [
            Assignment(plan=drafts[year], cadre=cadre, cell=cell) for year, cadre, cell in payload.new
        ]
        bulk_create_with_history(assignments, Assignment, batch_size=BATCH_SIZE, default_user=context.user)

    def _refs(self, row: Row, year: int | None, lookups: _Lookups, context: ImportContext, check: RowChecker):
        if year is not None and year in lookups.issued:
            message = _(
                "The plan for %(year)s is already issued as No. %(number)s; change it through an amendment."
            )
            check.error(row, "year", message % {"year": year, "number": lookups.issued[year].document_number})
        cadre = _cadre(row, lookups.cadres, context, check)
        cell = _cell(row, year, lookups.cells, context, check)
        return cadre, cell


def _year(row: Row, check: RowChecker) -> int | None:
    text = row.values["year"]
    if not check.required(row, "year"):
        return None
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        message = _("Not a year: write it with four digits, from %(first)s to %(last)s.")
        check.error(row, "year", message % {"first": FIRST_YEAR, "last": LAST_YEAR})
        return None
    return int(text)


def _unique_rows(rows: list[Row], check: RowChecker) -> list[Row]:
    """Rows naming a (year, cadre, cell) already named on an earlier row are errors."""
    first_seen: dict[tuple[str, str, str], int] = {}
    kept = []
    for row in rows:
        key = (row.values["year"], row.values["cadre_code"], row.values["cell_code"])
        if key in first_seen:
            check.error(
                row, "cell_code", _("Duplicate row, already on row %(row)s.") % {"row": first_seen[key]}
            )
            continue
        first_seen[key] = row.number
        kept.append(row)
    return kept


def _lookups(rows: list[Row], years: set[int], context: ImportContext) -> _Lookups:
    root = context.root
    cadres = fetch_by(
        Cadre.objects.select_related("organization").only("pk", "code", "full_name", "organization__path"),
        "code",
        (row.values["cadre_code"] for row in rows if row.values["cadre_code"]),
    )
    cells = fetch_by(
        context.organizations().only("pk", "code", "name", "kind", "path", "valid_from", "valid_to"),
        "code",
        (row.values["cell_code"] for row in rows if row.values["cell_code"]),
    )
    plans = AssignmentPlan.objects.filter(root=root, year__in=years).order_by("year", "pk")
    drafts = {p.year: p for p in plans if not p.is_issued}  # the latest draft of a year wins
    issued = {p.year: p for p in plans if p.is_issued}
    existing = set(
        Assignment.objects.filter(plan__in=list(drafts.values())).values_list(
            "plan_id", "cadre_id", "cell_id"
        )
    )
    return _Lookups(cadres, cells, drafts, issued, existing)


def _cadre(row: Row, cadres: dict[str, Cadre], context: ImportContext, check: RowChecker) -> Cadre | None:
    """The row's cadre, who must also belong to the plan's root committee."""
    cadre = cadre_of_row(row, cadres, context, check)
    if cadre is None:
        return None
    code = row.values["cadre_code"]
    if not cadre.organization.path.startswith(context.root.path):
        message = _("%(code)s is not a cadre of %(root)s.") % {"code": code, "root": context.root.code}
        check.error(row, "cadre_code", message)
        return None
    return cadre


def _cell(
    row: Row, year: int | None, cells: dict[str, Organization], context: ImportContext, check: RowChecker
) -> Organization | None:
    code = row.values["cell_code"]
    if not check.required(row, "cell_code"):
        return None
    cell = cells.get(code)
    if cell is None:
        check.error(row, "cell_code", _("Unknown cell %(code)s.") % {"code": code})
    elif not cell.is_cell:
        check.error(row, "cell_code", _("%(code)s is a committee, not a cell.") % {"code": code})
    elif not cell.path.startswith(context.root.path):
        check.error(
            row, "cell_code", _("%(code)s is not under %(root)s.") % {"code": code, "root": context.root.code}
        )
    elif year is not None and not _active_in(cell, year):
        check.error(
            row, "cell_code", _("%(code)s does not exist in %(year)s.") % {"code": code, "year": year}
        )
    else:
        return cell
    return None


def _active_in(cell: Organization, year: int) -> bool:
    return (cell.valid_from is None or cell.valid_from.year <= year) and (
        cell.valid_to is None or cell.valid_to.year >= year
    )
