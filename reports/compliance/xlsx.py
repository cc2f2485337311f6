"""The yearly evaluation sheet as XLSX: a header block naming the committee and the year, how the score is
made, then one row per cadre with every part of the score in its own column."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cells.models import Organization
from reports.compliance import evaluation
from reports.compliance.selectors import CadreSheet


def explanation() -> str:
    """How the suggested score is made; the page shows the same words."""
    return _(
        "Score = attendance (compliant months / required months × %(attendance)s) + cell types "
        "(%(per_type)s points per type attended, up to %(types)s types) + notes on time (on time / due × "
        "%(notes)s) + contribution (%(contribution)s if a note raised an escalation or made proposals). "
        "Exempt months and months not over yet are left out of the required months."
    ) % {
        "attendance": evaluation.ATTENDANCE_POINTS,
        "per_type": evaluation.TYPES_POINTS // evaluation.TYPES_REQUIRED,
        "types": evaluation.TYPES_REQUIRED,
        "notes": evaluation.NOTES_POINTS,
        "contribution": evaluation.CONTRIBUTION_POINTS,
    }


def suggestion_note() -> str:
    return _(
        "The grade is a suggestion for one criterion of the annual evaluation (carrying out the assignment "
        "to attend cell meetings) on the 100-point scale of QĐ 366-QĐ/TW; the party committee classifies "
        "the cadre on every criterion."
    )


def _columns() -> list[str]:
    return [
        _("Code"),
        _("Cadre"),
        _("Position"),
        _("Months compliant"),
        _("Months required"),
        _("Exempt months"),
        _("Months not over"),
        _("Cells attended"),
        _("Cell types attended"),
        _("Notes due"),
        _("Notes on time"),
        _("Notes late"),
        _("Escalations raised"),
        _("Notes with proposals"),
        f"{_('Attendance')} ({evaluation.ATTENDANCE_POINTS})",
        f"{_('Cell types')} ({evaluation.TYPES_POINTS})",
        f"{_('Notes')} ({evaluation.NOTES_POINTS})",
        f"{_('Contribution')} ({evaluation.CONTRIBUTION_POINTS})",
        f"{_('Score')} ({evaluation.TOTAL_POINTS})",
        _("Suggested grade"),
    ]


def _row(sheet: CadreSheet) -> list:
    months, score = sheet.months, sheet.score
    return [
        sheet.cadre.code,
        sheet.cadre.full_name,
        sheet.cadre.get_position_display(),
        months.compliant_months,
        months.required_months,
        months.exempt_months,
        months.pending_months,
        sheet.cells,
        sheet.types,
        sheet.notes_due,
        sheet.notes_on_time,
        sheet.notes_late,
        sheet.escalations,
        sheet.proposals,
        float(score.attendance),
        float(score.types),
        float(score.notes),
        float(score.contribution),
        float(score.total),
        score.grade_label,
    ]


def sheet_xlsx(*, root: Organization, year: int, today: date, sheets: list[CadreSheet]) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = str(year)
    header = [
        [_("Cadre evaluation sheet: attending cell meetings")],
        [_("Committee"), f"{root.name} ({root.code})"],
        [_("Year"), year],
        [_("Figures as of"), date_format(today, "d/m/Y")],
        [suggestion_note()],
        [explanation()],
        [],
    ]
    for line in header:
        ws.append(line)
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(_columns())
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for sheet in sheets:
        ws.append(_row(sheet))
    ws.column_dimensions["B"].width = 28
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
