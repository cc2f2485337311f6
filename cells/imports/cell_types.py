"""Cell types and their groups: code,name,group_code,group_name. Shared reference data, keyed by code."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cells.models import CellType, CellTypeGroup

from .base import BATCH_SIZE, UPDATE_BATCH_SIZE, ImportContext, Importer, Plan, fetch_by, plan_row
from .parsing import Row
from .values import RowChecker


@dataclass
class CellTypePayload:
    new_groups: list[CellTypeGroup] = field(default_factory=list)
    changed_groups: list[CellTypeGroup] = field(default_factory=list)
    new_types: list[CellType] = field(default_factory=list)
    changed_types: list[CellType] = field(default_factory=list)


class CellTypeImporter(Importer):
    kind = "cell_types"
    label = gettext_lazy("Cell types")
    columns = ("code", "name", "group_code", "group_name")
    order = 10

    def plan(self, rows: list[Row], context: ImportContext) -> Plan:
        plan = Plan(self.kind, self.columns)
        check = RowChecker()
        rows = [row for row in check.unique(rows, "code") if self._row_ok(row, check)]
        group_names = self._group_names(rows, check)
        types = fetch_by(CellType.objects.select_related("group"), "code", (r.values["code"] for r in rows))
        groups = fetch_by(CellTypeGroup.objects.all(), "code", group_names)
        plan.errors = check.errors
        if check.errors:
            return plan
        for row in rows:
            plan.rows.append(
                plan_row(row, row.values["code"] in types, _before(types.get(row.values["code"])), row.values)
            )
        plan.payload = self._payload(rows, types, groups, group_names)
        return plan

    def write(self, plan: Plan, context: ImportContext) -> None:
        payload: CellTypePayload = plan.payload
        CellTypeGroup.objects.bulk_create(payload.new_groups, batch_size=BATCH_SIZE)
        CellTypeGroup.objects.bulk_update(payload.changed_groups, ["name"], batch_size=UPDATE_BATCH_SIZE)
        CellType.objects.bulk_create(payload.new_types, batch_size=BATCH_SIZE)
        CellType.objects.bulk_update(payload.changed_types, ["name", "group"], batch_size=UPDATE_BATCH_SIZE)

    def _row_ok(self, row: Row, check: RowChecker) -> bool:
        before = len(check.errors)
        for column in self.columns:
            if check.required(row, column):
                model = CellType if column in ("code", "name") else CellTypeGroup
                check.fits(row, column, model, column.removeprefix("group_"))
        return len(check.errors) == before

    def _group_names(self, rows: list[Row], check: RowChecker) -> dict[str, str]:
        """Each group's name; one group code named two ways is an error on the later row."""
        names: dict[str, tuple[str, int]] = {}
        for row in rows:
            code, name = row.values["group_code"], row.values["group_name"]
            if code in names and names[code][0] != name:
                message = _("Group %(code)s is named differently on row %(row)s.")
                check.error(row, "group_name", message % {"code": code, "row": names[code][1]})
            names.setdefault(code, (name, row.number))
        return {code: name for code, (name, _row) in names.items()}

    def _payload(self, rows, types, groups, group_names) -> CellTypePayload:
        payload = CellTypePayload()
        next_order = (CellTypeGroup.objects.aggregate(top=Max("order"))["top"] or 0) + 1
        for code, name in group_names.items():
            group = groups.get(code)
            if group is None:
                group = groups[code] = CellTypeGroup(code=code, name=name, order=next_order)
                payload.new_groups.append(group)
                next_order += 1
            elif group.name != name:
                group.name = name
                payload.changed_groups.append(group)
        for row in rows:
            cell_type = types.get(row.values["code"])
            group = groups[row.values["group_code"]]
            if cell_type is None:
                payload.new_types.append(
                    CellType(code=row.values["code"], name=row.values["name"], group=group)
                )
            elif cell_type.name != row.values["name"] or cell_type.group.code != group.code:
                cell_type.name, cell_type.group = row.values["name"], group
                payload.changed_types.append(cell_type)
        return payload


def _before(cell_type: CellType | None) -> dict[str, str]:
    if cell_type is None:
        return {}
    return {
        "code": cell_type.code,
        "name": cell_type.name,
        "group_code": cell_type.group.code,
        "group_name": cell_type.group.name,
    }
