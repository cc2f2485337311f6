"""The commendation list as XLSX: a title naming the committee and the year, then one row per cadre
proposed, with the criteria's figures, why they are on the list and staff's reason."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cells.models import Organization
from reports.commendations.selectors import CommendationRow

WIDTHS = (6, 14, 28, 26, 12, 12, 12, 12, 12, 24, 40)


def columns() -> list[str]:
    return [
        _("No."),
        _("Code"),
        _("Cadre"),
        _("Position"),
        _("Months attended"),
        _("Months required"),
        _("Exempt months"),
        _("Notes on time"),
        _("Notes due"),
        _("On the list because"),
        _("Reason"),
    ]


def row_values(number: int, row: CommendationRow) -> list:
    cadre = row.cadre
    return [
        number,
        cadre.code,
        cadre.full_name,
        str(cadre.get_position_display()),
        row.months_attended,
        row.months_required,
        row.months_exempt,
        row.notes_on_time,
        row.notes_due,
        row.basis_label,
        row.reason,
    ]


def commendation_xlsx(*, root: Organization, year: int, rows: list[CommendationRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Commendations")[:31]
    sheet.append([_("Cadres proposed for commendation, %(year)s") % {"year": year}])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([root.name])
    sheet.append([])
    sheet.append(columns())
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for number, row in enumerate(rows, start=1):
        sheet.append(row_values(number, row))
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A5"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
