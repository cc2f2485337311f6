"""Importers of the hierarchy: committees and cells (code,name,kind,parent_code,cell_type_code) and cell
types with their groups (code,name,group_code,group_name). Both keyed by code.

Rows come in any order (a parent may come after its children) and a parent may be an organization
already in the database. The importer checks the whole tree the file would leave behind: unknown
parents, cycles (also through existing rows), cells with children, kinds and cell types.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from cells.hierarchy.services import organization_children_relabel, rebuild_paths
from cells.imports.base import (
    BATCH_SIZE,
    UPDATE_BATCH_SIZE,
    ImportContext,
    Importer,
    Plan,
    fetch_by,
    plan_row,
    update_with_history,
    with_texts,
)
from cells.imports.parsing import Row
from cells.imports.values import RowChecker, label_key
from cells.models import PATH_SEPARATOR, CellType, CellTypeGroup, Meeting, Member, Organization

KINDS = {
    "committee": Organization.Kind.COMMITTEE,
    "cell": Organization.Kind.CELL,
    label_key("Đảng bộ"): Organization.Kind.COMMITTEE,
    label_key("Chi bộ"): Organization.Kind.CELL,
}
FIELD_OF = {"name": "name", "kind": "kind", "parent_code": "parent", "cell_type_code": "cell_type"}


@dataclass
class Existing:
    """What the database holds around the file: its organizations, their ancestors, the cell types."""

    by_code: dict[str, Organization]
    code_of: dict[int, str]  # primary key -> code, for every loaded organization
    parent_of: dict[str, str | None]  # code -> parent code, as the database has it
    cell_types: dict[str, CellType]


@dataclass
class OrganizationPayload:
    by_code: dict[str, Organization] = field(default_factory=dict)  # new and existing, as they will be
    new: list[str] = field(default_factory=list)  # codes of the organizations to create
    changed: dict[str, list[str]] = field(default_factory=dict)  # code -> the fields that change
    parent_code: dict[str, str] = field(default_factory=dict)


class OrganizationImporter(Importer):
    kind = "organizations"
    label = gettext_lazy("Organizations (committees and cells)")
    columns = ("code", "name", "kind", "parent_code", "cell_type_code")
    order = 20

    def plan(self, rows: list[Row], context: ImportContext) -> Plan:
        plan = Plan(self.kind, self.columns)
        check = RowChecker()
        rows = check.unique(rows, "code")
        existing = _load_existing(rows)
        values = {row.values["code"]: self._row_values(row, existing, check) for row in rows}
        _check_codes(rows, existing, context, check)
        parents = _check_parents(rows, values, existing, context, check)
        _check_cycles(rows, existing, parents, check)
        _check_kind_changes(rows, values, existing, check)
        plan.errors = check.errors
        if plan.errors:
            return plan
        for row in rows:
            current = existing.by_code.get(row.values["code"])
            plan.rows.append(
                plan_row(row, current is not None, _before(current, existing), values[row.values["code"]])
            )
        plan.payload = _payload(rows, values, existing)
        return plan

    def write(self, plan: Plan, context: ImportContext) -> None:
        payload: OrganizationPayload = plan.payload
        for code, parent_code in payload.parent_code.items():
            payload.by_code[code].parent = payload.by_code.get(parent_code) if parent_code else None
        for level in _levels(payload.new, payload.parent_code):
            objs = with_texts([payload.by_code[code] for code in level])
            bulk_create_with_history(objs, Organization, batch_size=BATCH_SIZE, default_user=context.user)
        changed = [(payload.by_code[code], fields) for code, fields in payload.changed.items()]
        update_with_history(changed, Organization, context.user)
        renamed = [org for org, fields in changed if org.is_committee and "name" in fields]
        organization_children_relabel(committees=renamed)
        _refresh_paths([payload.by_code[code] for code in payload.new], payload.by_code.values())

    def _row_values(self, row: Row, existing: Existing, check: RowChecker) -> dict[str, str]:
        """The row as it will be stored (kind normalized); each bad value is an error."""
        for column in ("code", "name"):
            if check.required(row, column):
                check.fits(row, column, Organization, column)
        kind = KINDS.get(label_key(row.values["kind"]), "")
        if not row.values["kind"]:
            check.required(row, "kind")
        elif not kind:
            check.error(row, "kind", _("Kind must be committee or cell."))
        _check_cell_type(row, kind, existing, check)
        return {**row.values, "kind": kind or row.values["kind"]}


def _check_cell_type(row: Row, kind: str, existing: Existing, check: RowChecker) -> None:
    code = row.values["cell_type_code"]
    if kind == Organization.Kind.COMMITTEE and code:
        check.error(row, "cell_type_code", _("A committee has no cell type; leave this empty."))
    elif kind == Organization.Kind.CELL and not code:
        check.error(row, "cell_type_code", _("A cell needs a cell type."))
    elif code and code not in existing.cell_types:
        check.error(row, "cell_type_code", _("Unknown cell type %(code)s.") % {"code": code})


def _load_existing(rows: list[Row]) -> Existing:
    """The organizations the file names (as rows or parents) and all their ancestors, in few queries."""
    codes = {row.values["code"] for row in rows} | {row.values["parent_code"] for row in rows}
    by_code = fetch_by(Organization.objects.all(), "code", (code for code in codes if code))
    ancestor_ids = {pk for org in by_code.values() for pk in org.ancestor_ids()}
    code_of = {org.pk: org.code for org in by_code.values()}
    missing = fetch_by(Organization.objects.only("pk", "code"), "pk", ancestor_ids - code_of.keys())
    code_of |= {pk: org.code for pk, org in missing.items()}
    parent_of = {}
    for org in by_code.values():
        chain = [code_of[pk] for pk in org.ancestor_ids()] + [org.code]
        parent_of.update({code: (chain[i - 1] if i else None) for i, code in enumerate(chain)})
    cell_types = {cell_type.code: cell_type for cell_type in CellType.objects.all()}
    return Existing(by_code=by_code, code_of=code_of, parent_of=parent_of, cell_types=cell_types)


def _check_codes(rows: list[Row], existing: Existing, context: ImportContext, check: RowChecker) -> None:
    """A code held by an organization outside the user's subtree cannot be created again nor updated."""
    for row in rows:
        current = existing.by_code.get(row.values["code"])
        if current is not None and not context.can_see(current):
            check.error(row, "code", _("This code cannot be used here."))


def _check_parents(
    rows: list[Row], values: dict, existing: Existing, context: ImportContext, check: RowChecker
) -> dict[str, str | None]:
    """Each row's parent code, when the parent is known and may hold organizations."""
    in_file = {row.values["code"] for row in rows}
    parents: dict[str, str | None] = {}
    for row in rows:
        code, parent_code = row.values["code"], row.values["parent_code"]
        if not parent_code:
            if _may_be_root(existing.by_code.get(code), context):
                parents[code] = None
            else:
                check.error(
                    row, "parent_code", _("A parent is required: a new root cannot be imported here.")
                )
            continue
        parent = existing.by_code.get(parent_code)
        if parent_code not in in_file and (parent is None or not context.can_see(parent)):
            # Same words whether the code exists elsewhere or not at all: nothing outside leaks.
            check.error(row, "parent_code", _("Unknown parent %(code)s.") % {"code": parent_code})
            continue
        parent_kind = values[parent_code]["kind"] if parent_code in in_file else parent.kind
        if parent_kind == Organization.Kind.CELL:
            message = _("%(code)s is a cell: a cell cannot have organizations under it.")
            check.error(row, "parent_code", message % {"code": parent_code})
            continue
        parents[code] = parent_code
    return parents


def _may_be_root(current: Organization | None, context: ImportContext) -> bool:
    if context.may_add_roots():
        return True
    return current is not None and current.parent_id is None and context.can_see(current)


def _check_cycles(
    rows: list[Row], existing: Existing, parents: dict[str, str | None], check: RowChecker
) -> None:
    """Walk up from each row, through the file's parents and then the database's: no row may meet itself."""
    in_file = {row.values["code"] for row in rows}

    def parent_of(code: str) -> str | None:
        if code in in_file:  # a row whose parent was rejected ends the walk: it has its error already
            return parents.get(code)
        return existing.parent_of.get(code)

    for row in rows:
        start = row.values["code"]
        if start not in parents:
            continue
        chain, current = [start], parent_of(start)
        while current is not None and current not in chain:
            chain.append(current)
            current = parent_of(current)
        if current == start:
            message = _("Cycle: %(chain)s.") % {"chain": " → ".join([*chain, start])}
            check.error(row, "parent_code", message)


def _check_kind_changes(rows: list[Row], values: dict, existing: Existing, check: RowChecker) -> None:
    """A committee that keeps organizations under it cannot become a cell; a cell with members or
    meetings cannot become a committee."""
    in_file = {row.values["code"] for row in rows}
    to_cell, to_committee = {}, {}
    for row in rows:
        current = existing.by_code.get(row.values["code"])
        kind = values[row.values["code"]]["kind"]
        if current is not None and current.kind != kind:
            target = to_cell if kind == Organization.Kind.CELL else to_committee
            target[current.pk] = row
    if to_cell:
        staying = Organization.objects.filter(parent__in=to_cell).exclude(code__in=in_file)
        for parent_id in set(staying.values_list("parent_id", flat=True)):
            check.error(to_cell[parent_id], "kind", _("Organizations are under it: it cannot become a cell."))
    if to_committee:
        busy = set(Member.objects.filter(cell__in=to_committee).values_list("cell_id", flat=True))
        busy |= set(Meeting.objects.filter(cell__in=to_committee).values_list("cell_id", flat=True))
        for cell_id in busy:
            check.error(
                to_committee[cell_id], "kind", _("It has members or meetings: it cannot become a committee.")
            )


def _before(current: Organization | None, existing: Existing) -> dict[str, str]:
    if current is None:
        return {}
    cell_type = next((ct.code for ct in existing.cell_types.values() if ct.pk == current.cell_type_id), "")
    return {
        "code": current.code,
        "name": current.name,
        "kind": current.kind,
        "parent_code": existing.code_of.get(current.parent_id, "") if current.parent_id else "",
        "cell_type_code": cell_type,
    }


def _payload(rows: list[Row], values: dict, existing: Existing) -> OrganizationPayload:
    payload = OrganizationPayload(by_code=dict(existing.by_code))
    for row in rows:
        code, after = row.values["code"], values[row.values["code"]]
        cell_type = existing.cell_types.get(after["cell_type_code"])
        payload.parent_code[code] = after["parent_code"]
        current = existing.by_code.get(code)
        if current is None:
            payload.by_code[code] = Organization(
                code=code, name=after["name"], kind=after["kind"], cell_type=cell_type
            )
            payload.new.append(code)
            continue
        before = _before(current, existing)
        fields = [name for column, name in FIELD_OF.items() if before[column] != after[column]]
        if fields:
            current.name, current.kind, current.cell_type = after["name"], after["kind"], cell_type
            payload.changed[code] = fields
    return payload


def _levels(new: list[str], parent_code: dict[str, str]) -> list[list[str]]:
    """New organizations grouped so that each group's parents already exist: one INSERT per level."""
    pending, depth = set(new), {}

    def level(code: str) -> int:
        if code not in depth:
            parent = parent_code.get(code)
            depth[code] = level(parent) + 1 if parent in pending else 0
        return depth[code]

    grouped: dict[int, list[str]] = {}
    for code in new:
        grouped.setdefault(level(code), []).append(code)
    return [grouped[key] for key in sorted(grouped)]


def _refresh_paths(new: list[Organization], touched) -> None:
    """Recompute path/depth over every tree the import touched (moves rewrite whole subtrees), then
    write only the rows whose path changed."""
    root_ids = {org.path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR)[0] for org in touched if org.path}
    trees = Q(pk__in=[])
    for root_id in root_ids:
        trees |= Q(path__startswith=f"{PATH_SEPARATOR}{root_id}{PATH_SEPARATOR}")
    loaded = list(Organization.objects.filter(trees).exclude(path="").only("pk", "parent", "path", "depth"))
    before = {org.pk: (org.path, org.depth) for org in loaded}
    organizations = loaded + new
    rebuild_paths(organizations)
    stale = [org for org in organizations if before.get(org.pk) != (org.path, org.depth)]
    Organization.objects.bulk_update(stale, ["path", "depth"], batch_size=UPDATE_BATCH_SIZE)


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
                plan_row(
                    row, row.values["code"] in types, _type_before(types.get(row.values["code"])), row.values
                )
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


def _type_before(cell_type: CellType | None) -> dict[str, str]:
    if cell_type is None:
        return {}
    return {
        "code": cell_type.code,
        "name": cell_type.name,
        "group_code": cell_type.group.code,
        "group_name": cell_type.group.name,
    }
