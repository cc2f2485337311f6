"""The coverage table as an XLSX workbook, built from one coverage() result (the same rows as the page).

Percentages are stored as numbers (29.21) so a spreadsheet can add them up; the official text
("78/267 = 29,21%") sits in its own column, as the page shows it.
"""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from reports.coverage.dashboard import Line, committee_lines, period_label, table_lines
from reports.coverage.selectors import Basis, Coverage

BOLD = Font(bold=True)


def coverage_workbook(cov: Coverage) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Coverage")[:31]
    for row in _heading(cov):
        sheet.append(row)
    sheet["A1"].font = BOLD
    for cell in ("C2", "D2"):
        sheet[cell].number_format = "DD/MM/YYYY"
    _append_table(sheet, _("Cell meetings attended"), table_lines(cov))
    _append_table(sheet, _("By grassroots committee"), committee_lines(cov))
    sheet.append([])
    sheet.append([_("Cadres assigned"), cov.cadres_assigned])
    sheet.append([_("Cadres who attended"), cov.cadres_attended])
    for column, width in zip("ABCDEF", (48, 12, 12, 12, 12, 24), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _heading(cov: Coverage) -> list[list]:
    return [
        [_("Coverage of cell meetings: %(root)s") % {"root": cov.root.name}],
        [_("Period"), period_label(cov.period), cov.period.start, cov.period.end],
        [_("Basis"), str(dict(Basis.CHOICES)[cov.basis])],
    ]


def _append_table(sheet, title: str, lines: list[Line]) -> None:
    sheet.append([])
    sheet.append([title])
    sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.append([_("Row"), _("Code"), _("Cells"), _("Covered"), _("Percent"), _("Official form")])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for line in lines:
        row = line.row
        sheet.append([line.label, line.code, row.cells, row.covered, float(row.percent), line.text])
        label = sheet.cell(sheet.max_row, 1)
        if line.level == "group":
            label.alignment = Alignment(indent=2)
        elif line.level in ("tier", "total"):
            label.font = BOLD
