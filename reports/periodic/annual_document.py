"""The annual summary as a party document (DOCX/PDF), its XLSX sheets and its part of the report page,
all read from the snapshot of reports/periodic/annual.py (registered with reports/periodic/documents.py on import).

The document's fixed words are Vietnamese constants, as in reports/periodic/quarterly.py and the notice: a party
document is filed in Vietnamese whatever language its reader uses the site in. The change phrases and the
list's labels go through gettext inside the document's ``translation.override("vi")``, so the same
functions give the page its words in the reader's language.
"""

from __future__ import annotations

from datetime import date

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from assignments.models import Cadre, Escalation
from core.documents import DOCUMENT_LANGUAGE
from core.numbers import DIRECT_TIER, SUBORDINATE_TIER
from reports.commendations.selectors import basis_label
from reports.coverage.formatting import fraction_text, percent_text
from reports.coverage.selectors import percent
from reports.models import Report
from reports.periodic.annual_phrases import change_text, difference_text, points_text
from reports.periodic.documents import (
    COVERAGE_LABELS,
    Block,
    Heading,
    Paragraph,
    Table,
    coverage_blocks,
    register_document,
)
from reports.periodic.figures import DIRECT, GROUP, SUBORDINATE, TOTAL, row_of
from reports.periodic.quarterly import FIGURE_NAMES as QUARTER_FIGURE_NAMES
from reports.periodic.quarterly import MEETINGS_LINE
from reports.periodic.workbook import Sheet

TITLE = "Tổng kết việc phân công cán bộ dự sinh hoạt chi bộ năm {year}"
RESULTS_HEADING = "Kết quả thực hiện năm {year}"
FIGURES_HEADING = "Cán bộ, lượt dự và buổi sinh hoạt"
COMPARISON_HEADING = "So sánh với năm {previous}"
COMPARISON_HEADER = ("Chỉ tiêu", "Năm {year}", "Năm {previous}", "Tăng, giảm")
COMPARISON_WIDTHS_MM = (58, 36, 36, 35)
COUNT_LABELS = {
    "cadres_assigned": "Số cán bộ được phân công",
    "cadres_attended": "Số cán bộ đã dự sinh hoạt chi bộ",
    "cells_covered": "Số chi bộ được dự sinh hoạt",
}
CADRES_LINE = (
    "Số cán bộ được phân công: {assigned}; số cán bộ đã dự sinh hoạt chi bộ: {attended} "
    "(so với năm {previous})."
)
CELLS_LINE = "Số chi bộ được dự sinh hoạt: {cells} (so với năm {previous})."
VISITS_LINE = (
    "Lượt dự sinh hoạt trong năm: {planned} lượt theo kế hoạch; {attended} lượt đã dự; "
    "{missed} lượt không dự được; {pending} lượt chưa ghi nhận kết quả."
)
NOTES_LINE = (
    "Báo cáo dự sinh hoạt: {submitted} báo cáo đã nộp, {accepted} báo cáo đã duyệt; "
    "{on_time}/{due} báo cáo đến hạn được nộp đúng hạn."
)
COMMENDATION_HEADING = "Cán bộ đề nghị khen thưởng"
COMMENDATION_CRITERIA = (
    "Tiêu chí đề nghị: dự sinh hoạt chi bộ ít nhất một lần trong mỗi tháng phải dự của năm (tháng được "
    "miễn vì nghỉ phép, ốm đau, đi học không tính) và nộp đúng hạn tất cả báo cáo dự sinh hoạt."
)
COMMENDATION_HEADER = ("STT", "Họ và tên", "Chức vụ", "Tháng đã dự", "Báo cáo đúng hạn", "Căn cứ đề nghị")
COMMENDATION_WIDTHS_MM = (12, 45, 34, 24, 24, 26)
EXEMPT_NOTE = " (miễn {months} tháng)"
NO_COMMENDATION = "Không có cán bộ được đề nghị khen thưởng."
ADJUSTMENTS_HEADING = "Điều chỉnh so với tiêu chí"
ADDED_LINE = "- Bổ sung đồng chí {name}: {reason}"
TAKEN_OFF_LINE = "- Không đề nghị đồng chí {name}: {reason}"
CARRIED_HEADING = "Kiến nghị, khó khăn chuyển sang năm {next}"
CARRIED_LINE = "- {cell} ({day:%d/%m/%Y}), {source}: {text} ({status})."
NOTHING_CARRIED = "Không có kiến nghị, khó khăn nào còn tồn đọng."
SOURCE_NAMES = {"petitions": "kiến nghị", "difficulties": "khó khăn"}
STATUS_NAMES = {"open": "chưa có chỉ đạo", "directed": "đã có chỉ đạo, chưa giải quyết xong"}


def annual_title(report: Report) -> str:
    return TITLE.format(year=report.year)


# --- The document ---------------------------------------------------------------------------------------
def annual_sections(report: Report, snapshot: dict) -> list[Block]:
    """The body: the year's results (coverage table and chart, figures), the comparison with last year,
    the commendation list, the escalations carried. Called inside translation.override("vi")."""
    year, previous = report.year, snapshot.get("previous_year", report.year - 1)
    blocks: list[Block] = [
        Heading(RESULTS_HEADING.format(year=year)),
        *coverage_blocks(snapshot, report.root.name),
    ]
    if "comparison" not in snapshot:  # not built yet
        return blocks
    blocks += [Heading(FIGURES_HEADING, 2), *(Paragraph(line) for line in figure_lines(snapshot))]
    blocks += [Heading(COMPARISON_HEADING.format(previous=previous)), comparison_table(snapshot, report)]
    blocks += commendation_blocks(snapshot)
    blocks += carried_blocks(snapshot, year)
    return blocks


def figure_lines(snapshot: dict) -> list[str]:
    comparison, notes = snapshot["comparison"], snapshot["notes"]
    previous = snapshot["previous_year"]
    return [
        CADRES_LINE.format(
            assigned=comparison["cadres_assigned"]["text"],
            attended=comparison["cadres_attended"]["text"],
            previous=previous,
        ),
        CELLS_LINE.format(cells=comparison["cells_covered"]["text"], previous=previous),
        VISITS_LINE.format(**snapshot["visits"]),
        MEETINGS_LINE.format(**snapshot["meetings"]),
        NOTES_LINE.format(**notes),
    ]


def comparison_rows(snapshot: dict, root_name: str) -> list[tuple[str, str, str, str]]:
    """(label, this year, last year, change): the counts, then coverage by tier and group
    ("78/267 = 29,21%"), in the active language's number format."""
    comparison = snapshot["comparison"]
    rows = [
        (
            label,
            str(item["current"]),
            str(item["previous"]),
            difference_text(item["current"], item["previous"]),
        )
        for key, label in COUNT_LABELS.items()
        for item in [comparison[key]]
    ]
    for line in coverage_changes(comparison):
        label = COVERAGE_LABELS[line["kind"]].format(root=root_name, name=line["name"])
        rows.append(
            (label, *_fractions(line), points_text(line["current"]["percent"], line["previous"]["percent"]))
        )
    return rows


def coverage_changes(comparison: dict) -> list[dict]:
    """Direct, subordinate with its groups (those with cells in either year), total: the table's order."""
    tiers = {tier["code"]: tier for tier in comparison["tiers"]}
    groups = [
        {**group, "kind": GROUP}
        for group in comparison["groups"]
        if group["current"]["cells"] or group["previous"]["cells"]
    ]
    return [
        {**tiers[DIRECT], "kind": DIRECT},
        {**tiers[SUBORDINATE], "kind": SUBORDINATE},
        *groups,
        {**tiers[TOTAL], "kind": TOTAL},
    ]


def _fractions(line: dict) -> tuple[str, str]:
    return fraction_text(row_of(line["current"])), fraction_text(row_of(line["previous"]))


def comparison_table(snapshot: dict, report: Report) -> Table:
    year, previous = report.year, snapshot["previous_year"]
    header = tuple(text.format(year=year, previous=previous) for text in COMPARISON_HEADER)
    rows = comparison_rows(snapshot, report.root.name)
    bold = tuple(number for number, row in enumerate(rows) if not row[0].startswith("–"))
    return Table(header, tuple(rows), COMPARISON_WIDTHS_MM, bold)


def _position(code: str) -> str:
    return str(dict(Cadre.Position.choices).get(code, code))


def commendation_blocks(snapshot: dict) -> list[Block]:
    rows = snapshot.get("commendations", [])
    proposed = [row for row in rows if row["proposed"]]
    blocks: list[Block] = [Heading(COMMENDATION_HEADING), Paragraph(COMMENDATION_CRITERIA, italic=True)]
    if not proposed:
        return [*blocks, Paragraph(NO_COMMENDATION)]
    table_rows = tuple(
        (
            str(number),
            row["cadre"]["full_name"],
            _position(row["cadre"]["position"]),
            months_text(row)
            + (EXEMPT_NOTE.format(months=row["months_exempt"]) if row["months_exempt"] else ""),
            notes_text(row),
            basis_label(row["basis"]),
        )
        for number, row in enumerate(proposed, start=1)
    )
    blocks.append(Table(COMMENDATION_HEADER, table_rows, COMMENDATION_WIDTHS_MM))
    adjusted = [row for row in rows if row["basis"] in ("added", "taken_off")]
    if adjusted:
        blocks.append(Heading(ADJUSTMENTS_HEADING, 3))
        blocks += [Paragraph(adjustment_line(row)) for row in adjusted]
    return blocks


def months_text(row: dict) -> str:
    return f"{row['months_attended']}/{row['months_required']}"


def notes_text(row: dict) -> str:
    return f"{row['notes_on_time']}/{row['notes_due']}"


def adjustment_line(row: dict) -> str:
    line = ADDED_LINE if row["proposed"] else TAKEN_OFF_LINE
    return line.format(name=row["cadre"]["full_name"], reason=" ".join(row["reason"].split()))


def carried_blocks(snapshot: dict, year: int) -> list[Block]:
    items = snapshot.get("open_escalations", [])
    lines = [Paragraph(carried_line(item)) for item in items] or [Paragraph(NOTHING_CARRIED, italic=True)]
    return [Heading(CARRIED_HEADING.format(next=year + 1)), *lines]


def carried_line(item: dict) -> str:
    return CARRIED_LINE.format(
        cell=item["cell"].get("label") or item["cell"]["name"],  # summaries built before labels: name
        day=date.fromisoformat(item["raised_on"]),
        source=SOURCE_NAMES.get(item["source"], item["source"]),
        text=" ".join(item["text"].split()),
        status=STATUS_NAMES.get(item["status"], item["status"]),
    )


# --- The spreadsheet ------------------------------------------------------------------------------------
COMPARISON_SHEET_HEADER = (
    "Chỉ tiêu",
    "Năm {year}",
    "Năm {previous}",
    "Tăng, giảm",
    "Tỷ lệ năm {year} (%)",
    "Tỷ lệ năm {previous} (%)",
    "Tăng, giảm (điểm %)",
)
FIGURES_SHEET = ("Số liệu năm", ("Mục", "Chỉ tiêu", "Số lượng"))
FIGURE_NAMES = {
    "visits": QUARTER_FIGURE_NAMES["visits"],
    "meetings": QUARTER_FIGURE_NAMES["meetings"],
    "notes": (
        "Báo cáo dự sinh hoạt",
        {
            "total": "Tổng số",
            "submitted": "Đã nộp",
            "accepted": "Đã duyệt",
            "returned": "Trả lại",
            "draft": "Đang soạn",
            "due": "Đến hạn",
            "on_time": "Nộp đúng hạn",
        },
    ),
}
COMMENDATION_SHEET = (
    "Khen thưởng",
    ("STT", "Mã", "Họ và tên", "Chức vụ", "Tháng đã dự", "Tháng phải dự", "Tháng được miễn", "Báo cáo đúng hạn",
     "Báo cáo đến hạn", "Đạt tiêu chí", "Đề nghị khen thưởng", "Căn cứ", "Lý do điều chỉnh"),
)  # fmt: skip
CARRIED_SHEET = ("Chuyển năm sau", ("Mã chi bộ", "Chi bộ", "Loại", "Nội dung", "Trạng thái", "Ngày nêu"))
YES, NO = "Có", "Không"


def annual_sheets(snapshot: dict) -> list[Sheet]:
    """The summary's sheets, in the document's words (Vietnamese) whatever the reader's language."""
    if "comparison" not in snapshot:
        return []
    with translation.override(DOCUMENT_LANGUAGE):
        return [
            comparison_sheet(snapshot),
            figures_sheet(snapshot),
            commendation_sheet(snapshot),
            carried_sheet(snapshot),
        ]


def comparison_sheet(snapshot: dict) -> Sheet:
    year, previous = snapshot["period"]["year"], snapshot["previous_year"]
    header = tuple(text.format(year=year, previous=previous) for text in COMPARISON_SHEET_HEADER)
    comparison = snapshot["comparison"]
    rows = [
        (label, item["current"], item["previous"], item["change"], None, None, None)
        for key, label in COUNT_LABELS.items()
        for item in [comparison[key]]
    ]
    for line in coverage_changes(comparison):
        now, before = line["current"], line["previous"]
        label = COVERAGE_LABELS[line["kind"]].format(root=snapshot["root"]["name"], name=line["name"])
        change = now["covered"] - before["covered"]
        rows.append(
            (
                label,
                now["covered"],
                before["covered"],
                change,
                now["percent"],
                before["percent"],
                line["points"],
            )
        )
    return Sheet("So sánh năm trước", header, rows)


def figures_sheet(snapshot: dict) -> Sheet:
    rows = [
        (label, names[key], snapshot[part][key])
        for part, (label, names) in FIGURE_NAMES.items()
        for key in names
    ]
    return Sheet(*FIGURES_SHEET, rows)


def commendation_sheet(snapshot: dict) -> Sheet:
    rows = [
        (number, row["cadre"]["code"], row["cadre"]["full_name"], _position(row["cadre"]["position"]),
         row["months_attended"], row["months_required"], row["months_exempt"], row["notes_on_time"],
         row["notes_due"], YES if row["meets_criteria"] else NO, YES if row["proposed"] else NO,
         basis_label(row["basis"]), row["reason"])
        for number, row in enumerate(snapshot.get("commendations", []), start=1)
    ]  # fmt: skip
    return Sheet(*COMMENDATION_SHEET, rows)


def carried_sheet(snapshot: dict) -> Sheet:
    rows = [
        (item["cell"]["code"], item["cell"].get("label") or item["cell"]["name"], SOURCE_NAMES.get(item["source"], item["source"]),
         item["text"], STATUS_NAMES.get(item["status"], item["status"]), date.fromisoformat(item["raised_on"]))
        for item in snapshot.get("open_escalations", [])
    ]  # fmt: skip
    return Sheet(*CARRIED_SHEET, rows)


# --- The page -------------------------------------------------------------------------------------------
PAGE_COUNT_LABELS = {
    "cadres_assigned": _("Cadres assigned"),
    "cadres_attended": _("Cadres who attended"),
    "cells_covered": _("Cells attended"),
}
PAGE_COVERAGE_LABELS = {
    DIRECT: DIRECT_TIER,
    SUBORDINATE: SUBORDINATE_TIER,
    TOTAL: _("Total"),
}


def annual_page(report: Report) -> dict:
    """What templates/reports/report_detail_annual.html shows below the coverage table, in the reader's
    language: the comparison, the commendation list and the escalations carried."""
    snapshot = report.snapshot
    if "comparison" not in snapshot:
        return {}
    comparison = snapshot["comparison"]
    counts = [
        {
            "label": label,
            **comparison[key],
            "text": change_text(comparison[key]["current"], comparison[key]["previous"]),
        }
        for key, label in PAGE_COUNT_LABELS.items()
    ]
    coverage = [
        {
            "label": line["name"] if line["kind"] == GROUP else PAGE_COVERAGE_LABELS[line["kind"]],
            "is_group": line["kind"] == GROUP,
            "current": fraction_text(row_of(line["current"])),
            "previous": fraction_text(row_of(line["previous"])),
            "change": points_text(line["current"]["percent"], line["previous"]["percent"]),
        }
        for line in coverage_changes(comparison)
    ]
    rows = snapshot.get("commendations", [])
    return {
        "previous_year": snapshot["previous_year"],
        "counts": counts,
        "coverage": coverage,
        "proposed": [_page_row(row) for row in rows if row["proposed"]],
        "taken_off": [_page_row(row) for row in rows if not row["proposed"]],
        "carried": [_page_item(item) for item in snapshot.get("open_escalations", [])],
        "notes_on_time": percent_text(percent(snapshot["notes"]["on_time"], snapshot["notes"]["due"])),
    }


def _page_row(row: dict) -> dict:
    return {
        **row,
        "position_label": _position(row["cadre"]["position"]),
        "basis_label": basis_label(row["basis"]),
        "months": months_text(row),
        "notes": notes_text(row),
    }


def _page_item(item: dict) -> dict:
    return {
        **item,
        "raised_on": date.fromisoformat(item["raised_on"]),
        "source_label": str(dict(Escalation.Source.choices).get(item["source"], item["source"])),
        "status_label": str(dict(Escalation.Status.choices).get(item["status"], item["status"])),
    }


register_document(
    Report.Kind.ANNUAL,
    title=annual_title,
    sections=annual_sections,
    sheets=annual_sheets,
    page=annual_page,
)
