"""A report's figures as XLSX (openpyxl): every number of the snapshot, one sheet per kind of figure.

The first sheets are the same for every kind (the report's particulars, coverage on both bases by tier,
group and committee); a kind adds its own with ``register_document(..., sheets=...)`` (see
reports/periodic/documents.py), each a :class:`Sheet`. Numbers stay numbers (percent as 29.21, not text), so
the department can add them up again in Excel. Headers are the document's Vietnamese words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from core.documents import fixed_zip_times, stamp_of
from core.numbers import DIRECT_TIER_DOCUMENT, SUBORDINATE_TIER_DOCUMENT
from reports.models import Report
from reports.periodic.documents import document_kind, filename_stem
from reports.periodic.figures import committee_lines, coverage_lines

INFO_TITLE = "Thông tin"
COVERAGE_TITLE = "Tỷ lệ dự sinh hoạt"
COVERAGE_HEADER = (
    "Dòng",
    "Mã",
    "Tên",
    "Số chi bộ",
    "Được phân công",
    "Tỷ lệ phân công (%)",
    "Đã được dự",
    "Tỷ lệ đã dự (%)",
)
LINE_NAMES = {
    "direct": DIRECT_TIER_DOCUMENT,
    "subordinate": SUBORDINATE_TIER_DOCUMENT,
    "group": "Nhóm loại hình",
    "total": "Tổng cộng",
    "committee": "Đảng bộ cơ sở",
}
KIND_NAMES = {Report.Kind.QUARTERLY: "Báo cáo quý", Report.Kind.ANNUAL: "Báo cáo tổng kết năm"}
STATUS_NAMES = {Report.Status.DRAFT: "Dự thảo", Report.Status.FINAL: "Chính thức"}


@dataclass(frozen=True)
class Sheet:
    title: str  # at most 31 characters (Excel's limit)
    header: Sequence[str]
    rows: Sequence[Sequence]


def report_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = [info_sheet(report), coverage_sheet(report.snapshot)]
    sheets += document_kind(report.kind).sheets(report.snapshot)
    for sheet in sheets:
        _write(workbook, sheet)
    buffer = BytesIO()
    workbook.save(buffer)
    stamp = stamp_of(report.issued_on or report.created_at.date())
    return fixed_zip_times(buffer.getvalue(), stamp)


def xlsx_filename(report: Report) -> str:
    return f"{filename_stem(report)}-so-lieu.xlsx"


def info_sheet(report: Report) -> Sheet:
    period = report.snapshot.get("period", {})
    rows = [
        ("Đơn vị", report.root.name),
        ("Loại báo cáo", KIND_NAMES.get(report.kind, report.kind)),
        ("Năm", report.year),
        ("Quý", report.quarter or ""),
        ("Từ ngày", period.get("from", "")),
        ("Đến ngày", period.get("to", "")),
        ("Phiên bản", report.version),
        ("Trạng thái", STATUS_NAMES.get(report.status, report.status)),
        ("Số", report.document_number),
        ("Ngày ban hành", report.issued_on.isoformat() if report.issued_on else ""),
    ]
    return Sheet(INFO_TITLE, ("Mục", "Giá trị"), rows)


def coverage_sheet(snapshot: dict) -> Sheet:
    lines = coverage_lines(snapshot) + committee_lines(snapshot)
    rows = [
        (
            LINE_NAMES[line.kind],
            line.code,
            line.name,
            line.attended.cells,
            line.assigned.covered,
            float(line.assigned.percent),
            line.attended.covered,
            float(line.attended.percent),
        )
        for line in lines
    ]
    return Sheet(COVERAGE_TITLE, COVERAGE_HEADER, rows)


def _write(workbook: Workbook, sheet: Sheet) -> None:
    target = workbook.create_sheet(sheet.title[:31])
    target.append(list(sheet.header))
    for cell in target[1]:
        cell.font = Font(bold=True)
    for row in sheet.rows:
        target.append(list(row))
    target.freeze_panes = "A2"
