"""The pieces every party document shares (HD 36-HD/VPTW layout), for DOCX and PDF.

A party document (the plan's notice, the quarterly report, the annual summary) opens with two header
blocks side by side: the superior and issuing organizations with the number on the left, "ĐẢNG CỘNG SẢN
VIỆT NAM" and the italic place-date line on the right; then the centred document type and summary line;
then its own body; and closes with "Nơi nhận:" on the left and the signature block on the right.

Each document describes its layout with a subclass of :class:`DocumentLayout` (the notice's ``Notice``, the
report's ``ReportDocument``) and lays out its body with the helpers here, so the layout is written once. The fixed words of the form are constants, not gettext messages: the
regulations prescribe them in Vietnamese whatever language the reader uses the site in.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any, Protocol

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from core.vn import blank_date_line, vietnamese_date_line

PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
STANDING_COMMITTEE = "BAN THƯỜNG VỤ"
NUMBER_PREFIX = "Số"
RECIPIENTS_LABEL = "Nơi nhận:"
DRAFT_MARK = "DỰ THẢO"
DOCUMENT_LANGUAGE = "vi"
NUMBER_GAP = "\u00a0" * 6  # a draft's number is left blank, to be written in when it is signed

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True, kw_only=True)
class DocumentLayout:
    """How one issued document is printed: what the shared header, title and closing show; a document
    adds its body's fields. (The numbered record it is printed from is a ``cells.models.PartyDocument``.)"""

    superior: str
    issuer: str
    number_line: str
    date_line: str
    doc_type: str
    summary: str
    recipients: tuple[str, ...]
    signer_authority: str
    signer_title: str
    signer_name: str
    is_draft: bool
    filename_stem: str
    stamp: datetime  # written into the files' metadata, so the same document always gives the same bytes
    party: str = PARTY
    recipients_label: str = RECIPIENTS_LABEL
    draft_mark: str = DRAFT_MARK


# --- The words of the header and closing ----------------------------------------------------------------
def superior_name(root) -> str:
    """The organization above the issuer, in capitals; a root with no parent is its own superior."""
    return (root.parent.name if root.parent_id else root.name).upper()


def issuer_name(root) -> str:
    return f"{STANDING_COMMITTEE} {root.name.upper()}"


def document_number(number: int | str, doc_type: str, abbreviation: str) -> str:
    """The number in the party form: "15-TB/HU" (printed after "Số", with no colon)."""
    return f"{number}-{doc_type}/{abbreviation}"


def number_line(number: int | None, doc_type: str, abbreviation: str) -> str:
    """ "Số 12-BC/HU"; a draft leaves the number blank: "Số       -BC/HU" (no colon after "Số")."""
    shown = NUMBER_GAP if number is None else number
    return f"{NUMBER_PREFIX} {document_number(shown, doc_type, abbreviation)}"


def date_line(place: str, issued_on: date | None, year: int) -> str:
    return blank_date_line(place, year) if issued_on is None else vietnamese_date_line(place, issued_on)


def text_lines(text: str) -> tuple[str, ...]:
    """The non-blank lines of a text field, stripped."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def recipient_lines(text: str) -> tuple[str, ...]:
    """One recipient per line, each written "- Thành ủy (để báo cáo),"."""
    return tuple(f"- {line.lstrip('-– ').strip()}" for line in text_lines(text))


def stamp_of(day: date) -> datetime:
    """The time written into a file's metadata: fixed per document, so the same data gives the same bytes."""
    return datetime.combine(day, datetime.min.time())


class IssuedRecord(Protocol):
    """A record a party document is issued from (an assignment plan, a report): its issuing root and
    the document fields they share."""

    root: Any
    number: int | None
    DOC_TYPE: str
    issuer_abbreviation: str
    issued_on: date | None
    recipients: str
    signer_authority: str
    signer_title: str
    signer_name: str


def header_fields(record: IssuedRecord, *, year: int, is_draft: bool) -> dict[str, Any]:
    """The header and closing fields of the :class:`DocumentLayout` issued from ``record``; ``year`` is
    the one a draft's blank date line prints (``record.root`` and its parent should be loaded)."""
    root = record.root
    return {
        "superior": superior_name(root),
        "issuer": issuer_name(root),
        "number_line": number_line(record.number, record.DOC_TYPE, record.issuer_abbreviation),
        "date_line": date_line(root.place_name, record.issued_on, year),
        "recipients": recipient_lines(record.recipients),
        "signer_authority": record.signer_authority.upper(),
        "signer_title": record.signer_title.upper(),
        "signer_name": record.signer_name,
        "is_draft": is_draft,
        "stamp": stamp_of(record.issued_on or date(year, 1, 1)),
    }


# --- Downloads ------------------------------------------------------------------------------------------
def download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    # RFC 6266 filename* keeps an issuer abbreviation such as "ĐU" intact in the saved file's name.
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- PDF (WeasyPrint) -----------------------------------------------------------------------------------
PDF_STYLESHEET = "css/party_document.css"  # page, header, title and closing; a document adds its own
# The time written into the embedded fonts. Where the server has no HarfBuzz subsetter, WeasyPrint subsets
# the fonts with fontTools, which stamps each with the time of the render unless SOURCE_DATE_EPOCH fixes one.
FONT_STAMP = "0"


def render_pdf(template: str, context: dict, stylesheets: Sequence[str] = ()) -> bytes:
    """Render ``template`` (which includes core/documents/_masthead.html and core/documents/_closing.html
    with ``doc``) to PDF with the shared stylesheet and the document's own. The same document gives the
    same bytes whenever it is rendered."""
    from weasyprint import CSS, HTML  # imported here: loading Pango is slow and only this needs it

    os.environ.setdefault("SOURCE_DATE_EPOCH", FONT_STAMP)
    html = render_to_string(template, context)
    sheets = [CSS(filename=finders.find(name)) for name in (PDF_STYLESHEET, *stylesheets)]
    return HTML(string=html).write_pdf(stylesheets=sheets)


# --- DOCX (python-docx) ---------------------------------------------------------------------------------
DOCX_FONT = "Times New Roman"  # what the offices' Word has; LibreOffice substitutes Liberation Serif
# A4, margins per HD 36: top 20 mm, bottom 20 mm, left 30 mm (binding), right 15 mm.
PAGE_WIDTH, PAGE_HEIGHT = 210, 297
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20, 20, 30, 15
HEADER_COLUMNS_MM = (75, 90)  # the two columns of the header and of the signature block
BODY_INDENT_MM = 12.7


def docx_start(doc: DocumentLayout):
    """A new A4 document in the party layout, with its header blocks and title already written."""
    document = Document()
    _docx_page(document, doc)
    _docx_header(document, doc)
    _docx_title(document, doc)
    return document


def docx_finish(document, doc: DocumentLayout) -> bytes:
    """Write the closing (recipients and signature), the file's properties, and return the bytes."""
    _docx_closing(document, doc)
    _docx_properties(document, doc)
    buffer = BytesIO()
    document.save(buffer)
    return fixed_zip_times(buffer.getvalue(), doc.stamp)


def _docx_page(document, doc: DocumentLayout) -> None:
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
    if doc.is_draft:  # a draft says so on every page, top right
        mark = section.header.paragraphs[0]
        mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run(mark, doc.draft_mark, bold=True, size=14)


def run(
    paragraph, text: str, *, bold: bool = False, italic: bool = False, underline: bool = False, size=None
):
    added = paragraph.add_run(text)
    # None (not False) inherits from the style, so the file carries no needless "not bold" marks.
    added.bold, added.italic, added.underline = bold or None, italic or None, underline or None
    if size is not None:
        added.font.size = Pt(size)
    return added


def centred(cell_or_document, text: str = "", first: bool = False, **style):
    paragraph = cell_or_document.paragraphs[0] if first else cell_or_document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        run(paragraph, text, **style)
    return paragraph


def layout_table(document, widths_mm: tuple[int, ...]):
    """A borderless table that only places blocks side by side (the default table style has no borders)."""
    table = document.add_table(rows=1, cols=len(widths_mm))
    set_widths(table, widths_mm)
    return table.rows[0].cells


def set_widths(table, widths_mm: tuple[int, ...]) -> None:
    """Word reads the cells' widths, LibreOffice the grid's: set both."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _docx_header(document, doc: DocumentLayout) -> None:
    left, right = layout_table(document, HEADER_COLUMNS_MM)
    centred(left, doc.superior, first=True, size=14)
    centred(left, doc.issuer, bold=True, size=14)
    centred(left, "*", size=14)
    centred(left, doc.number_line, size=14)
    centred(right, doc.party, first=True, bold=True, underline=True, size=15)
    centred(right)
    centred(right, doc.date_line, italic=True, size=14)


def _docx_title(document, doc: DocumentLayout) -> None:
    title = centred(document, doc.doc_type, bold=True, size=16)
    title.paragraph_format.space_before = Pt(18)
    centred(document, doc.summary, bold=True, size=14)
    rule = centred(document, "-----", size=14)
    rule.paragraph_format.space_after = Pt(12)


def docx_body_paragraph(document, text: str, **style):
    """A justified paragraph with the first line indented, as the body of a party document is set."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Mm(BODY_INDENT_MM)
    paragraph.paragraph_format.space_after = Pt(6)
    run(paragraph, text, **style)
    return paragraph


def docx_heading(document, text: str):
    """A bold heading inside the body ("I. KẾT QUẢ …", "Các lần điều chỉnh, bổ sung:")."""
    heading = document.add_paragraph()
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.space_after = Pt(4)
    heading.paragraph_format.keep_with_next = True
    run(heading, text, bold=True)
    return heading


def docx_grid_table(
    document,
    header: Sequence[str],
    rows: Iterable[Sequence[Sequence[str]]],
    widths_mm: tuple[int, ...],
    *,
    centred_columns: Iterable[int] = (0,),
    bold_rows: Iterable[int] = (),
    size: int = 13,
):
    """A bordered table: a bold header row repeated on every page, then one row per entry; each cell
    holds one or more lines. No row is split across two pages."""
    table = document.add_table(rows=1, cols=len(header), style="Table Grid")
    _docx_row(
        table.rows[0], tuple((text,) for text in header), bold=True, centre=range(len(header)), size=size
    )
    _repeat_and_keep(table.rows[0], header=True)
    centre, bold = set(centred_columns), set(bold_rows)
    for number, columns in enumerate(rows):
        added = table.add_row()
        _docx_row(added, columns, bold=number in bold, centre=centre, size=size)
        _repeat_and_keep(added, header=False)
    set_widths(table, widths_mm)
    return table


def _docx_row(row, columns: Sequence[Sequence[str]], *, bold: bool, centre, size: int) -> None:
    for index, (cell, lines) in enumerate(zip(row.cells, columns, strict=True)):
        for number, line in enumerate(lines):
            paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
            if index in centre:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run(paragraph, line, bold=bold, size=size)


def _repeat_and_keep(row, *, header: bool) -> None:
    """The header row repeats on every page; no row is split across two pages."""
    properties = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader") if header else ("w:cantSplit",):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        properties.append(element)


def _docx_closing(document, doc: DocumentLayout) -> None:
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(6)
    left, right = layout_table(document, HEADER_COLUMNS_MM)
    label = left.paragraphs[0]
    run(label, doc.recipients_label, underline=True, size=14)
    for line in doc.recipients:
        run(left.add_paragraph(), line, size=12)
    centred(right, doc.signer_authority, first=True, bold=True, size=14)
    centred(right, doc.signer_title, bold=True, size=14)
    for _blank in range(4):  # room for the signature and the seal
        centred(right)
    centred(right, doc.signer_name, bold=True, size=14)


def _docx_properties(document, doc: DocumentLayout) -> None:
    properties = document.core_properties
    properties.title = f"{doc.doc_type} {doc.summary}"
    properties.author = doc.issuer
    properties.last_modified_by = doc.issuer
    properties.created = properties.modified = doc.stamp
    properties.revision = 1


def fixed_zip_times(data: bytes, stamp: datetime) -> bytes:
    """Rewrite a zip (DOCX, XLSX) with every entry dated ``stamp``, so two downloads are byte-identical."""
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
