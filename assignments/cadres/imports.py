"""Cadres: code,full_name,position,email[,login]. Keyed by code; they belong to the root committee.

The optional ``login`` column (yes/có/x/1, or empty/no/không/0) creates a login for the cadre and sends
the invitation once the import commits; a cadre who already has one keeps it.

Registered into the cells import registry from AssignmentsConfig.ready() (cells may not import us).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from assignments.cadres.logins import cadres_invite
from assignments.models import Cadre
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

POSITIONS = {
    "standing_committee": Cadre.Position.STANDING_COMMITTEE,
    "committee": Cadre.Position.COMMITTEE,
    "specialist": Cadre.Position.SPECIALIST,
    label_key("Ủy viên Ban Thường vụ"): Cadre.Position.STANDING_COMMITTEE,
    label_key("Huyện ủy viên"): Cadre.Position.COMMITTEE,
    label_key("Ủy viên Ban Chấp hành"): Cadre.Position.COMMITTEE,
    label_key("Cán bộ, chuyên viên"): Cadre.Position.SPECIALIST,
}
LOGIN_YES = {"yes", "y", "có", "co", "x", "1", "true"}
LOGIN_NO = {"", "no", "n", "không", "khong", "0", "false"}
FIELD_OF = {"full_name": "full_name", "position": "position", "email": "email", "committee": "organization"}


@dataclass
class CadreUpserts(Upserts):
    invite: list[str] = field(default_factory=list)  # codes of the cadres who get a login


class CadreImporter(Importer):
    kind = "cadres"
    label = gettext_lazy("Cadres")
    columns = ("code", "full_name", "position", "email")
    optional_columns = ("login",)
    order = 40
    needs_root = True

    def plan(self, rows: list[Row], context: ImportContext) -> Plan:
        plan = Plan(self.kind, (*self.columns, *self.optional_columns))
        if context.root is None:
            plan.errors = [RowError(None, "", _("There is no root committee to import the cadres into."))]
            return plan
        check = RowChecker()
        rows = check.unique(rows, "code")
        cadres = fetch_by(
            Cadre.objects.select_related("organization").only(
                *FIELD_OF.values(), "code", "user", "organization__code", "organization__path"
            ),
            "code",
            (row.values["code"] for row in rows),
        )
        values = [self._row_values(row, cadres, context, check) for row in rows]
        wants_login = _check_logins(rows, cadres, check)
        plan.errors = check.errors
        if check.errors:
            return plan
        payload = plan.payload = CadreUpserts(invite=wants_login)
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
        if payload.invite:
            invited = Cadre.objects.filter(code__in=payload.invite).select_related("organization")
            cadres_invite(cadres=list(invited))

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
        values = {name: value for name, value in row.values.items() if name != "login"}
        return {**values, "position": position, "committee": context.root.code}


def _check_logins(rows: list[Row], cadres: dict, check: RowChecker) -> list[str]:
    """The codes of rows asking for a login; a bad value, or a login without an address, is an error."""
    wanted = [row for row in rows if _wants_login(row, check)]
    emails = {row.values["email"].lower() for row in wanted if row.values["email"]}
    taken = set(
        get_user_model()
        .objects.annotate(lower_email=Lower("email"))
        .filter(lower_email__in=emails)
        .values_list("lower_email", flat=True)
    )
    codes, first_row_of = [], {}
    for row in wanted:
        cadre = cadres.get(row.values["code"])
        if cadre is not None and cadre.user_id is not None:
            continue  # already has a login: nothing to do
        email = row.values["email"].lower()
        if not email:
            check.error(row, "login", _("A login needs an e-mail address."))
        elif email in taken:
            check.error(row, "login", _("Another login already uses this e-mail address."))
        elif email in first_row_of:
            # Two logins cannot share an address: the second would be dropped when the file is written.
            message = _("Row %(row)s already asks for a login with this e-mail address.")
            check.error(row, "login", message % {"row": first_row_of[email]})
        else:
            first_row_of[email] = row.number
            codes.append(row.values["code"])
    return codes


def _wants_login(row: Row, check: RowChecker) -> bool:
    value = label_key(row.values.get("login", ""))
    if value in LOGIN_YES:
        return True
    if value not in LOGIN_NO:
        check.error(row, "login", _("Login must be yes, có, x or 1 (or empty for no login)."))
    return False


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


def cadre_of_row(
    row: Row, cadres: dict[str, Cadre], context: ImportContext, check: RowChecker
) -> Cadre | None:
    """The cadre a row of another import names in its ``cadre_code`` column (a plan's assignments, past
    attendance): required, and one the importing user can see; otherwise the row's error names the code."""
    code = row.values["cadre_code"]
    if not check.required(row, "cadre_code"):
        return None
    cadre = cadres.get(code)
    if cadre is None or not context.can_see(cadre.organization):
        check.error(row, "cadre_code", _("Unknown cadre %(code)s.") % {"code": code})
        return None
    return cadre
