"""Cadres: code,full_name,position,email. Keyed by code; they belong to the root committee.

Registered into the cells import registry from AssignmentsConfig.ready() (cells may not import us).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
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
from cells.imports.errors import RowError
from cells.imports.parsing import Row
from cells.imports.values import RowChecker, label_key

from .models import Cadre

POSITIONS = {
    "standing_committee": Cadre.Position.STANDING_COMMITTEE,
    "committee": Cadre.Position.COMMITTEE,
    "specialist": Cadre.Position.SPECIALIST,
    label_key("Ủy viên Ban Thường vụ"): Cadre.Position.STANDING_COMMITTEE,
    label_key("Huyện ủy viên"): Cadre.Position.COMMITTEE,
    label_key("Ủy viên Ban Chấp hành"): Cadre.Position.COMMITTEE,
    label_key("Cán bộ, chuyên viên"): Cadre.Position.SPECIALIST,
}
FIELD_OF = {"full_name": "full_name", "position": "position", "email": "email", "committee": "organization"}


class CadreImporter(Importer):
    kind = "cadres"
    label = gettext_lazy("Cadres")
    columns = ("code", "full_name", "position", "email")
    order = 40
    needs_root = True

    def plan(self, rows: list[Row], context: ImportContext) -> Plan:
        plan = Plan(self.kind, self.columns)
        if context.root is None:
            plan.errors = [RowError(None, "", _("There is no root committee to import the cadres into."))]
            return plan
        check = RowChecker()
        rows = check.unique(rows, "code")
        cadres = fetch_by(
            Cadre.objects.select_related("organization").only(
                *FIELD_OF.values(), "code", "organization__code", "organization__path"
            ),
            "code",
            (row.values["code"] for row in rows),
        )
        values = [self._row_values(row, cadres, context, check) for row in rows]
        plan.errors = check.errors
        if check.errors:
            return plan
        payload = plan.payload = Upserts()
        for row, after in zip(rows, values, strict=True):
            cadre = cadres.get(after["code"])
            plan.rows.append(planned := plan_row(row, cadre is not None, _before(cadre), after))
            fields = {
                **{name: after[name] for name in ("full_name", "position", "email")},
                "organization": context.root,
            }
            if cadre is None:
                payload.new.append(Cadre(code=after["code"], **fields))
            elif planned.changes:
                for name, value in fields.items():
                    setattr(cadre, name, value)
                payload.changed.append((cadre, changed_fields(planned, FIELD_OF)))
        return plan

    def write(self, plan: Plan, context: ImportContext) -> None:
        payload: Upserts = plan.payload
        bulk_create_with_history(
            with_texts(payload.new), Cadre, batch_size=BATCH_SIZE, default_user=context.user
        )
        update_with_history(payload.changed, Cadre, context.user)

    def _row_values(self, row: Row, cadres: dict, context: ImportContext, check: RowChecker) -> dict:
        for column in ("code", "full_name"):
            if check.required(row, column):
                check.fits(row, column, Cadre, column)
        cadre = cadres.get(row.values["code"])
        if cadre is not None and not context.can_see(cadre.organization):
            check.error(row, "code", _("This code cannot be used here."))
        position = POSITIONS.get(label_key(row.values["position"]), "")
        if check.required(row, "position") and not position:
            message = _(
                "Position must be standing_committee, committee or specialist "
                "(or Ủy viên Ban Thường vụ, Huyện ủy viên, Cán bộ, chuyên viên)."
            )
            check.error(row, "position", message)
        _check_email(row, check)
        return {**row.values, "position": position, "committee": context.root.code}


def _check_email(row: Row, check: RowChecker) -> None:
    email = row.values["email"]
    if not email or not check.fits(row, "email", Cadre, "email"):
        return
    try:
        validate_email(email)
    except ValidationError:
        check.error(row, "email", _("Not a valid e-mail address."))


def _before(cadre: Cadre | None) -> dict[str, str]:
    if cadre is None:
        return {}
    return {
        "code": cadre.code,
        "full_name": cadre.full_name,
        "position": cadre.position,
        "email": cadre.email,
        "committee": cadre.organization.code,
    }
