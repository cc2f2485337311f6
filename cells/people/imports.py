"""Party members: card_number,full_name,cell_code,status,joined_on. Keyed by card number."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from cells.imports.base import (
    BATCH_SIZE,
    ImportContext,
    Importer,
    Plan,
    Upserts,
    changed_fields,
    fetch_by,
    plan_row,
    update_with_history,
    with_texts,
)
from cells.imports.parsing import Row
from cells.imports.values import RowChecker, label_key, parse_date
from cells.models import Member, Organization

STATUSES = {
    "official": Member.Status.OFFICIAL,
    "probationary": Member.Status.PROBATIONARY,
    label_key("Chính thức"): Member.Status.OFFICIAL,
    label_key("Dự bị"): Member.Status.PROBATIONARY,
}
FIELD_OF = {"full_name": "full_name", "cell_code": "cell", "status": "status", "joined_on": "joined_on"}


class MemberImporter(Importer):
    kind = "members"
    label = gettext_lazy("Party members")
    columns = ("card_number", "full_name", "cell_code", "status", "joined_on")
    order = 30

    def plan(self, rows: list[Row], context: ImportContext) -> Plan:
        plan = Plan(self.kind, self.columns)
        check = RowChecker()
        rows = check.unique(rows, "card_number")
        cells = _cells(rows, context)
        members = fetch_by(
            Member.objects.select_related("cell").only(
                *FIELD_OF.values(), "card_number", "cell__code", "cell__path"
            ),
            "card_number",
            (row.values["card_number"] for row in rows),
        )
        values = [self._row_values(row, cells, members, context, check) for row in rows]
        plan.errors = check.errors
        if check.errors:
            return plan
        payload = plan.payload = Upserts()
        for row, after in zip(rows, values, strict=True):
            member = members.get(after["card_number"])
            plan.rows.append(planned := plan_row(row, member is not None, _before(member), after))
            if member is None:
                payload.new.append(Member(**_fields(after, cells), card_number=after["card_number"]))
            elif planned.changes:
                for name, value in _fields(after, cells).items():
                    setattr(member, name, value)
                payload.changed.append((member, changed_fields(planned, FIELD_OF)))
        return plan

    def write(self, plan: Plan, context: ImportContext) -> None:
        payload: Upserts = plan.payload
        bulk_create_with_history(
            with_texts(payload.new), Member, batch_size=BATCH_SIZE, default_user=context.user
        )
        update_with_history(payload.changed, Member, context.user)

    def _row_values(self, row: Row, cells, members, context: ImportContext, check: RowChecker) -> dict:
        for column in ("card_number", "full_name"):
            if check.required(row, column):
                check.fits(row, column, Member, column)
        member = members.get(row.values["card_number"])
        if member is not None and not context.can_see(member.cell):
            check.error(row, "card_number", _("This card number cannot be used here."))
        _check_cell(row, cells, check)
        status = STATUSES.get(label_key(row.values["status"]), "")
        if check.required(row, "status") and not status:
            check.error(row, "status", _("Status must be official or probationary."))
        joined_on = parse_date(row.values["joined_on"])
        if row.values["joined_on"] and joined_on is None:
            check.error(row, "joined_on", _("Not a date: write 2019-04-01 or 01/04/2019."))
        return {**row.values, "status": status, "joined_on": joined_on.isoformat() if joined_on else ""}


def _cells(rows: list[Row], context: ImportContext) -> dict[str, Organization]:
    """The organizations named in cell_code that the import may touch (others stay unknown)."""
    codes = (row.values["cell_code"] for row in rows if row.values["cell_code"])
    return fetch_by(context.organizations().only("pk", "code", "kind", "path"), "code", codes)


def _check_cell(row: Row, cells: dict[str, Organization], check: RowChecker) -> None:
    code = row.values["cell_code"]
    if not check.required(row, "cell_code"):
        return
    cell = cells.get(code)
    if cell is None:
        check.error(row, "cell_code", _("Unknown cell %(code)s.") % {"code": code})
    elif not cell.is_cell:
        check.error(row, "cell_code", _("%(code)s is a committee, not a cell.") % {"code": code})


def _before(member: Member | None) -> dict[str, str]:
    if member is None:
        return {}
    return {
        "card_number": member.card_number,
        "full_name": member.full_name,
        "cell_code": member.cell.code,
        "status": member.status,
        "joined_on": member.joined_on.isoformat() if member.joined_on else "",
    }


def _fields(after: dict[str, str], cells: dict[str, Organization]) -> dict:
    joined_on = parse_date(after["joined_on"]) if after["joined_on"] else None
    return {
        "full_name": after["full_name"],
        "cell": cells[after["cell_code"]],
        "status": after["status"],
        "joined_on": joined_on,
    }
