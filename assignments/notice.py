"""The yearly notice (Thông báo phân công) as a party document, DOCX and PDF (HD 36-HD/VPTW layout).

``notice_of(plan)`` gathers everything the document prints (three queries: the plan with its root, the
assignments, the amendments); ``notice_docx`` and ``notice_pdf`` lay it out. The notice is published to
the cells, so nothing of visits ever goes into it.

The fixed words of the form ("ĐẢNG CỘNG SẢN VIỆT NAM", "THÔNG BÁO", "Nơi nhận:") are not interface strings:
HD 36 prescribes them in Vietnamese whatever language the reader uses the site in, so they are constants
here, not gettext messages. The only translated text, the cadres' positions, is rendered in Vietnamese.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from cells.vn import blank_date_line, vietnamese_date, vietnamese_date_line

from .models import Assignment, AssignmentPlan, Cadre, PlanAmendment

PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
DOC_TYPE_TITLE = "THÔNG BÁO"
STANDING_COMMITTEE = "BAN THƯỜNG VỤ"
NUMBER_PREFIX = "Số"
RECIPIENTS_LABEL = "Nơi nhận:"
DRAFT_MARK = "DỰ THẢO"
AMENDMENTS_HEADING = "Các lần điều chỉnh, bổ sung:"
TABLE_HEADER = ("STT", "Họ và tên", "Chức vụ", "Chi bộ được phân công")
DEFAULT_SUMMARY = "về việc phân công cán bộ dự sinh hoạt chi bộ năm {year}"
DOCUMENT_LANGUAGE = "vi"
NUMBER_GAP = "\u00a0" * 6  # a draft's number is left blank, to be written in when it is issued

# Standing-committee members are listed first, then committee members, then cadres and specialists.
POSITION_ORDER = {position: rank for rank, position in enumerate(Cadre.Position.values)}


@dataclass(frozen=True)
class NoticeRow:
    number: int
    full_name: str
    position: str
    cells: tuple[str, ...]  # "XA-AP1 – Chi bộ ấp 1", one per assigned cell


@dataclass(frozen=True)
class NoticeAmendment:
    sequence: int
    day: date
    reason: str

    @property
    def text(self) -> str:
        return f"Lần {self.sequence} ({vietnamese_date(self.day)}): {self.reason}"


@dataclass(frozen=True)
class Notice:
    superior: str
    issuer: str
    number_line: str
    date_line: str
    summary: str
    paragraphs: tuple[str, ...]
    rows: tuple[NoticeRow, ...]
    amendments: tuple[NoticeAmendment, ...]
    recipients: tuple[str, ...]
    signer_authority: str
    signer_title: str
    signer_name: str
    is_draft: bool
    filename_stem: str
    stamp: datetime  # written into the files' metadata, so the same plan always gives the same bytes
    party: str = PARTY
    doc_type: str = DOC_TYPE_TITLE
    recipients_label: str = RECIPIENTS_LABEL
    draft_mark: str = DRAFT_MARK
    amendments_heading: str = AMENDMENTS_HEADING
    table_header: tuple[str, ...] = TABLE_HEADER


# --- The data -----------------------------------------------------------------------------------------
def notice_of(plan: AssignmentPlan) -> Notice:
    """What the notice of ``plan`` prints. ``plan.root`` (and its parent) should be select_related."""
    root = plan.root
    with translation.override(DOCUMENT_LANGUAGE):
        rows = _rows(plan)
    return Notice(
        superior=(root.parent.name if root.parent_id else root.name).upper(),
        issuer=f"{STANDING_COMMITTEE} {root.name.upper()}",
        number_line=_number_line(plan),
        date_line=_date_line(plan),
        summary=plan.summary.strip() or DEFAULT_SUMMARY.format(year=plan.year),
        paragraphs=_lines(plan.body),
        rows=rows,
        amendments=_amendments(plan),
        recipients=tuple(f"- {line.lstrip('-– ').strip()}" for line in _lines(plan.recipients)),
        signer_authority=plan.signer_authority.upper(),
        signer_title=plan.signer_title.upper(),
        signer_name=plan.signer_name,
        is_draft=not plan.is_issued,
        filename_stem=_filename_stem(plan),
        stamp=datetime.combine(plan.issued_on or date(plan.year, 1, 1), datetime.min.time()),
    )


def _number_line(plan: AssignmentPlan) -> str:
    if plan.number is None:  # a draft: the number is written in when it is issued
        return f"{NUMBER_PREFIX} {NUMBER_GAP}-{plan.DOC_TYPE}/{plan.issuer_abbreviation}"
    return f"{NUMBER_PREFIX} {plan.document_number}"


def _date_line(plan: AssignmentPlan) -> str:
    if plan.issued_on is None:
        return blank_date_line(plan.root.place_name, plan.year)
    return vietnamese_date_line(plan.root.place_name, plan.issued_on)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _rows(plan: AssignmentPlan) -> tuple[NoticeRow, ...]:
    """One row per cadre with every cell assigned to them: one query."""
    assignments = Assignment.objects.filter(plan=plan).select_related("cadre", "cell").order_by("cell__code")
    cadres: dict[int, Cadre] = {}
    cells: dict[int, list[str]] = {}
    for assignment in assignments:
        cadres[assignment.cadre_id] = assignment.cadre
        cells.setdefault(assignment.cadre_id, []).append(f"{assignment.cell.code} – {assignment.cell.name}")
    ordered = sorted(cadres.values(), key=lambda c: (POSITION_ORDER.get(c.position, 99), c.full_name, c.code))
    return tuple(
        NoticeRow(number, cadre.full_name, str(cadre.get_position_display()), tuple(cells[cadre.pk]))
        for number, cadre in enumerate(ordered, start=1)
    )


def _amendments(plan: AssignmentPlan) -> tuple[NoticeAmendment, ...]:
    return tuple(
        NoticeAmendment(a.sequence, timezone.localtime(a.created_at).date(), a.reason.strip())
        for a in PlanAmendment.objects.filter(plan=plan).order_by("sequence")
    )


def _filename_stem(plan: AssignmentPlan) -> str:
    if plan.number is None:
        return f"du-thao-thong-bao-phan-cong-{plan.year}"
    return f"thong-bao-{plan.number}-{plan.DOC_TYPE}-{plan.issuer_abbreviation}-{plan.year}"


# --- PDF (WeasyPrint) ------------------------------------------------------------------------------------
PDF_TEMPLATE = "assignments/notice_pdf.html"
PDF_STYLESHEET = "css/notice.css"


def notice_pdf(notice: Notice) -> bytes:
    from weasyprint import CSS, HTML  # imported here: loading Pango is slow and only this needs it

    html = render_to_string(PDF_TEMPLATE, {"notice": notice})
    stylesheet = CSS(filename=finders.find(PDF_STYLESHEET))
    return HTML(string=html).write_pdf(stylesheets=[stylesheet])


# --- DOCX (python-docx) ----------------------------------------------------------------------------------
DOCX_FONT = "Times New Roman"  # what the offices' Word has; LibreOffice substitutes Liberation Serif
# A4, margins per HD 36: top 20 mm, bottom 20 mm, left 30 mm (binding), right 15 mm.
PAGE_WIDTH, PAGE_HEIGHT = 210, 297
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20, 20, 30, 15
HEADER_COLUMNS_MM = (75, 90)  # the two columns of the header and of the signature block
TABLE_COLUMNS_MM = (12, 48, 40, 65)


def notice_docx(notice: Notice) -> bytes:
    document = Document()
    _docx_page(document, notice)
    _docx_header(document, notice)
    _docx_title(document, notice)
    for text in notice.paragraphs:
        _docx_body_paragraph(document, text)
    _docx_table(document, notice)
    _docx_amendments(document, notice)
    _docx_closing(document, notice)
    _docx_properties(document, notice)
    buffer = BytesIO()
    document.save(buffer)
    return fixed_zip_times(buffer.getvalue(), notice.stamp)


def _docx_page(document, notice: Notice) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)
    normal = document.styles["Normal"]
    normal.font.name = DOCX_FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    if notice.is_draft:  # a draft says so on every page, top right
        mark = section.header.paragraphs[0]
        mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(mark, notice.draft_mark, bold=True, size=14)


def _run(
    paragraph, text: str, *, bold: bool = False, italic: bool = False, underline: bool = False, size=None
):
    run = paragraph.add_run(text)
    # None (not False) inherits from the style, so the file carries no needless "not bold" marks.
    run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
    if size is not None:
        run.font.size = Pt(size)
    return run


def _centred(cell_or_document, text: str = "", first: bool = False, **style):
    paragraph = cell_or_document.paragraphs[0] if first else cell_or_document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        _run(paragraph, text, **style)
    return paragraph


def _layout_table(document, widths_mm: tuple[int, ...]):
    """A borderless table that only places blocks side by side (the default table style has no borders)."""
    table = document.add_table(rows=1, cols=len(widths_mm))
    _set_widths(table, widths_mm)
    return table.rows[0].cells


def _set_widths(table, widths_mm: tuple[int, ...]) -> None:
    """Word reads the cells' widths, LibreOffice the grid's: set both."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _docx_header(document, notice: Notice) -> None:
    left, right = _layout_table(document, HEADER_COLUMNS_MM)
    _centred(left, notice.superior, first=True, size=14)
    _centred(left, notice.issuer, bold=True, size=14)
    _centred(left, "*", size=14)
    _centred(left, notice.number_line, size=14)
    _centred(right, notice.party, first=True, bold=True, underline=True, size=15)
    _centred(right)
    _centred(right, notice.date_line, italic=True, size=14)


def _docx_title(document, notice: Notice) -> None:
    title = _centred(document, notice.doc_type, bold=True, size=16)
    title.paragraph_format.space_before = Pt(18)
    _centred(document, notice.summary, bold=True, size=14)
    rule = _centred(document, "-----", size=14)
    rule.paragraph_format.space_after = Pt(12)


def _docx_body_paragraph(document, text: str):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Mm(12.7)
    paragraph.paragraph_format.space_after = Pt(6)
    _run(paragraph, text)
    return paragraph


def _docx_table(document, notice: Notice) -> None:
    table = document.add_table(rows=1, cols=len(notice.table_header), style="Table Grid")
    _docx_row(table.rows[0], tuple((text,) for text in notice.table_header), bold=True)
    _repeat_and_keep(table.rows[0], header=True)
    for row in notice.rows:
        added = table.add_row()
        _docx_row(added, ((str(row.number),), (row.full_name,), (row.position,), row.cells))
        _repeat_and_keep(added, header=False)
    _set_widths(table, TABLE_COLUMNS_MM)


def _docx_row(row, columns: tuple[tuple[str, ...], ...], *, bold: bool = False) -> None:
    """Fill one table row; each column holds one or more lines (a cadre's cells, one per line)."""
    for index, (cell, lines) in enumerate(zip(row.cells, columns, strict=True)):
        for number, line in enumerate(lines):
            paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
            if bold or index == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(paragraph, line, bold=bold, size=13)


def _repeat_and_keep(row, *, header: bool) -> None:
    """The header row repeats on every page; no row is split across two pages."""
    properties = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader") if header else ("w:cantSplit",):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        properties.append(element)


def _docx_amendments(document, notice: Notice) -> None:
    if not notice.amendments:
        return
    heading = document.add_paragraph()
    heading.paragraph_format.space_before = Pt(12)
    _run(heading, notice.amendments_heading, bold=True)
    for amendment in notice.amendments:
        _docx_body_paragraph(document, amendment.text)


def _docx_closing(document, notice: Notice) -> None:
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(6)
    left, right = _layout_table(document, HEADER_COLUMNS_MM)
    label = left.paragraphs[0]
    _run(label, notice.recipients_label, underline=True, size=14)
    for line in notice.recipients:
        _run(left.add_paragraph(), line, size=12)
    _centred(right, notice.signer_authority, first=True, bold=True, size=14)
    _centred(right, notice.signer_title, bold=True, size=14)
    for _blank in range(4):  # room for the signature and the seal
        _centred(right)
    _centred(right, notice.signer_name, bold=True, size=14)


def _docx_properties(document, notice: Notice) -> None:
    properties = document.core_properties
    properties.title = f"{notice.doc_type} {notice.summary}"
    properties.author = notice.issuer
    properties.last_modified_by = notice.issuer
    properties.created = properties.modified = notice.stamp
    properties.revision = 1


def fixed_zip_times(data: bytes, stamp: datetime) -> bytes:
    """Rewrite a zip (DOCX) with every entry dated ``stamp``, so two downloads are byte-identical."""
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
