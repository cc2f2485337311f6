"""A report as a party document: DOCX (python-docx) and PDF (WeasyPrint) from the same blocks.

The header blocks, "Số 12-BC/HU", the italic place-date line, the centred "BÁO CÁO", the signature and
"Nơi nhận" are the shared layout of ``core.documents`` (the notice uses it too). The body is a list of
blocks (:class:`Heading`, :class:`Paragraph`, :class:`Table`, :class:`Image`) that both renderers lay
out, so the DOCX and the PDF can never say different things. Level-1 headings are numbered I, II, …
and level-2 headings 1, 2, … when the document is put together; level-3 headings are not numbered.

Plug-in interface (per kind of report): ``reports/<kind>.py`` calls, when imported,

    register_document(Report.Kind.ANNUAL, title=annual_title, sections=annual_sections,
                      sheets=annual_sheets)

- ``title(report) -> str``: the line under "BÁO CÁO" ("Kết quả tham dự sinh hoạt Chi bộ quý IV năm
  2026"; the annual summary: "Tổng kết … năm …");
- ``sections(report, snapshot) -> list[Block]``: the kind's body; :func:`coverage_blocks` gives the
  coverage table and chart every kind prints. The general assessment (narrative) and the proposals
  follow it, written here;
- ``sheets(snapshot) -> list[reports.periodic.workbook.Sheet]``: the kind's sheets of the XLSX (optional);
- ``page(report) -> dict``: extra context for the kind's part of the report page (optional), the
  template ``templates/reports/report_detail_<kind>.html`` that the page includes below the coverage
  table (it gets ``report``, ``snapshot`` and that context as ``kind_page``).
The fixed words of the form are Vietnamese constants, not gettext messages, as in assignments/plans/notice.py:
the document is filed in Vietnamese whatever language its reader uses the site in.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO

from django.utils import translation
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from core.documents import (
    DOCUMENT_LANGUAGE,
    DocumentLayout,
    docx_body_paragraph,
    docx_finish,
    docx_grid_table,
    docx_heading,
    docx_start,
    header_fields,
    render_pdf,
    text_lines,
)
from reports.coverage.formatting import fraction_text
from reports.models import Report
from reports.periodic.building import load_kind
from reports.periodic.chart import coverage_chart_png
from reports.periodic.figures import DIRECT, GROUP, SUBORDINATE, TOTAL, committee_lines, coverage_lines

DOC_TYPE_TITLE = "BÁO CÁO"
NARRATIVE_HEADING = "ĐÁNH GIÁ CHUNG"
PROPOSALS_HEADING = "ĐỀ XUẤT, KIẾN NGHỊ"
COVERAGE_HEADING = "Tỷ lệ chi bộ được dự sinh hoạt"
COVERAGE_HEADER = ("Chi bộ", "Được phân công dự", "Đã được dự sinh hoạt")
COMMITTEES_HEADING = "Chi bộ trực thuộc, theo từng đảng bộ cơ sở"
COMMITTEES_HEADER = ("Đảng bộ cơ sở", "Được phân công dự", "Đã được dự sinh hoạt")
COVERAGE_LABELS = {
    DIRECT: "Chi bộ cơ sở trực thuộc {root}",
    SUBORDINATE: "Chi bộ trực thuộc đảng bộ cơ sở",
    TOTAL: "Tổng cộng",
    GROUP: "– {name}",
}
CHART_CAPTION = "Biểu đồ: tỷ lệ chi bộ được dự sinh hoạt theo nhóm loại hình"
TABLE_WIDTHS_MM = (75, 45, 45)
CHART_WIDTH_MM = 160
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


# --- Blocks ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1: "I. …" (capitals), 2: "1. …", 3: a committee's name above its items
    tag: str = "heading"


@dataclass(frozen=True)
class Paragraph:
    text: str
    italic: bool = False
    tag: str = "paragraph"


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths_mm: tuple[int, ...]
    bold_rows: tuple[int, ...] = ()
    tag: str = "table"

    @property
    def html_rows(self) -> list[tuple[bool, tuple[str, ...]]]:
        return [(number in self.bold_rows, row) for number, row in enumerate(self.rows)]


@dataclass(frozen=True)
class Image:
    png: bytes
    width_mm: int
    caption: str
    tag: str = "image"

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


Block = Heading | Paragraph | Table | Image


# --- What each kind adds --------------------------------------------------------------------------------
@dataclass(frozen=True)
class DocumentKind:
    title: Callable[[Report], str]
    sections: Callable[[Report, dict], list[Block]]
    sheets: Callable[[dict], list] = field(default=lambda snapshot: [])
    page: Callable[[Report], dict] = field(default=lambda report: {})


DOCUMENT_KINDS: dict[str, DocumentKind] = {}


def register_document(kind: str, *, title, sections, sheets=None, page=None) -> None:
    """Register how reports of ``kind`` print (called by ``reports/<kind>.py``); see the docstring."""
    DOCUMENT_KINDS[kind] = DocumentKind(
        title, sections, sheets or (lambda snapshot: []), page or (lambda report: {})
    )


def document_kind(kind: str) -> DocumentKind:
    if kind not in DOCUMENT_KINDS:
        load_kind(kind)
    return DOCUMENT_KINDS[kind]


# --- The document ---------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class ReportDocument(DocumentLayout):
    blocks: tuple[Block, ...]
    doc_type: str = DOC_TYPE_TITLE


def report_document(report: Report) -> ReportDocument:
    """What ``report`` prints, from its snapshot (``report.root`` and its parent should be loaded)."""
    kind = document_kind(report.kind)
    with translation.override(DOCUMENT_LANGUAGE):  # numbers as 29,21%
        blocks = numbered([*kind.sections(report, report.snapshot), *closing_sections(report)])
    return ReportDocument(
        **header_fields(report, year=_year_signed(report), is_draft=not report.is_final),
        summary=kind.title(report),
        blocks=tuple(blocks),
        filename_stem=filename_stem(report),
    )


def _year_signed(report: Report) -> int:
    """A draft's blank date line prints the year it will likely be signed: a quarter's report right
    after the quarter (the fourth quarter's in January), a year's summary at the year's end."""
    if report.issued_on:
        return report.issued_on.year
    return report.year + 1 if report.quarter == 4 else report.year


def filename_stem(report: Report) -> str:
    period = f"quy-{report.quarter}-{report.year}" if report.quarter else f"nam-{report.year}"
    kind = "bao-cao" if report.kind == Report.Kind.QUARTERLY else "tong-ket"
    if report.number is None:
        return f"du-thao-{kind}-{period}-v{report.version}"
    return f"{kind}-{period}-so-{report.number}-{report.DOC_TYPE}-{report.issuer_abbreviation}"


def closing_sections(report: Report) -> list[Block]:
    """The general assessment and the proposals staff wrote, each under its heading when filled in."""
    blocks: list[Block] = []
    for heading, text in ((NARRATIVE_HEADING, report.narrative), (PROPOSALS_HEADING, report.proposals)):
        if text_lines(text):
            blocks += [Heading(heading), *(Paragraph(line) for line in text_lines(text))]
    return blocks


def numbered(blocks: list[Block]) -> list[Block]:
    """Number the headings: level 1 "I. …", level 2 "1. …" (counting again under each level 1)."""
    out, first, second = [], 0, 0
    for block in blocks:
        if isinstance(block, Heading) and block.level == 1:
            first, second = first + 1, 0
            block = Heading(f"{ROMAN[first - 1]}. {block.text.upper()}", 1)
        elif isinstance(block, Heading) and block.level == 2:
            second += 1
            block = Heading(f"{second}. {block.text}", 2)
        out.append(block)
    return out


# --- The coverage table and chart, shared by every kind --------------------------------------------------
def coverage_blocks(snapshot: dict, root_name: str) -> list[Block]:
    """A level-2 heading, the coverage table (both bases, "78/267 = 29,21%"), the chart and the table
    by grassroots committee. Call inside translation.override("vi") (report_document does)."""
    lines = coverage_lines(snapshot)
    if not lines:
        return []
    rows = tuple(
        (_coverage_label(line, root_name), fraction_text(line.assigned), fraction_text(line.attended))
        for line in lines
    )
    bold = tuple(number for number, line in enumerate(lines) if line.kind in (DIRECT, SUBORDINATE, TOTAL))
    blocks: list[Block] = [
        Heading(COVERAGE_HEADING, 2),
        Table(COVERAGE_HEADER, rows, TABLE_WIDTHS_MM, bold),
        Image(coverage_chart_png(snapshot), CHART_WIDTH_MM, CHART_CAPTION),
    ]
    committees = committee_lines(snapshot)
    if committees:
        rows = tuple(
            (line.name, fraction_text(line.assigned), fraction_text(line.attended)) for line in committees
        )
        blocks += [Heading(COMMITTEES_HEADING, 3), Table(COMMITTEES_HEADER, rows, TABLE_WIDTHS_MM)]
    return blocks


def _coverage_label(line, root_name: str) -> str:
    return COVERAGE_LABELS[line.kind].format(root=root_name, name=line.name)


# --- PDF ------------------------------------------------------------------------------------------------
PDF_TEMPLATE = "reports/periodic/report_pdf.html"
PDF_STYLESHEET = "css/report.css"


def report_pdf(doc: ReportDocument) -> bytes:
    return render_pdf(PDF_TEMPLATE, {"doc": doc}, [PDF_STYLESHEET])


# --- DOCX -----------------------------------------------------------------------------------------------
def report_docx(doc: ReportDocument) -> bytes:
    document = docx_start(doc)
    for block in doc.blocks:
        DOCX_BLOCKS[block.tag](document, block)
    return docx_finish(document, doc)


def _docx_heading(document, block: Heading) -> None:
    paragraph = docx_heading(document, block.text)
    if block.level == 3:
        for run in paragraph.runs:
            run.italic = True


def _docx_paragraph(document, block: Paragraph) -> None:
    docx_body_paragraph(document, block.text, italic=block.italic)


def _docx_table(document, block: Table) -> None:
    rows = (tuple((text,) for text in row) for row in block.rows)
    centred = range(1, len(block.header))  # the figures; the labels stay left
    docx_grid_table(
        document, block.header, rows, block.widths_mm, centred_columns=centred, bold_rows=block.bold_rows
    )


def _docx_image(document, block: Image) -> None:
    document.add_picture(BytesIO(block.png), width=Mm(block.width_mm))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = docx_body_paragraph(document, block.caption, italic=True)
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.first_line_indent = None


DOCX_BLOCKS = {
    "heading": _docx_heading,
    "paragraph": _docx_paragraph,
    "table": _docx_table,
    "image": _docx_image,
}
