"""The yearly notice (Thông báo phân công) as a party document, DOCX and PDF (HD 36-HD/VPTW layout).

``notice_of(plan)`` gathers everything the document prints (three queries: the plan with its root, the
assignments, the amendments); ``notice_docx`` and ``notice_pdf`` lay it out. The notice is published to
the cells, so nothing of visits ever goes into it.

The header blocks, title, signature and "Nơi nhận" are the shared party-document layout of
core.documents; this module adds the notice's own body: the paragraphs, the table of cadres and the
amendments. The fixed words of the form ("ĐẢNG CỘNG SẢN VIỆT NAM", "THÔNG BÁO", "Nơi nhận:") are not
interface strings: HD 36 prescribes them in Vietnamese whatever language the reader uses the site in, so
they are constants, not gettext messages. The only translated text, the cadres' positions, is rendered
in Vietnamese.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone, translation

from assignments.models import Assignment, AssignmentPlan, Cadre, PlanAmendment
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
from core.vn import vietnamese_date

DOC_TYPE_TITLE = "THÔNG BÁO"
AMENDMENTS_HEADING = "Các lần điều chỉnh, bổ sung:"
TABLE_HEADER = ("STT", "Họ và tên", "Chức vụ", "Chi bộ được phân công")
DEFAULT_SUMMARY = "về việc phân công cán bộ dự sinh hoạt chi bộ năm {year}"

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


@dataclass(frozen=True, kw_only=True)
class Notice(DocumentLayout):
    paragraphs: tuple[str, ...]
    rows: tuple[NoticeRow, ...]
    amendments: tuple[NoticeAmendment, ...]
    doc_type: str = DOC_TYPE_TITLE
    amendments_heading: str = AMENDMENTS_HEADING
    table_header: tuple[str, ...] = TABLE_HEADER


# --- The data -----------------------------------------------------------------------------------------
def notice_of(plan: AssignmentPlan) -> Notice:
    """What the notice of ``plan`` prints. ``plan.root`` (and its parent) should be select_related."""
    with translation.override(DOCUMENT_LANGUAGE):
        rows = _rows(plan)
    return Notice(
        **header_fields(plan, year=plan.year, is_draft=not plan.is_issued),
        summary=plan.summary.strip() or DEFAULT_SUMMARY.format(year=plan.year),
        paragraphs=text_lines(plan.body),
        rows=rows,
        amendments=_amendments(plan),
        filename_stem=_filename_stem(plan),
    )


def _rows(plan: AssignmentPlan) -> tuple[NoticeRow, ...]:
    """One row per cadre with every cell assigned to them: one query."""
    assignments = (
        Assignment.objects.filter(plan=plan)
        .select_related("cadre", "cell")
        .order_by("cell__code_key", "cell__code")
    )
    cadres: dict[int, Cadre] = {}
    cells: dict[int, list[str]] = {}
    for assignment in assignments:
        cadres[assignment.cadre_id] = assignment.cadre
        cells.setdefault(assignment.cadre_id, []).append(assignment.cell.label)
    ordered = sorted(cadres.values(), key=lambda c: (POSITION_ORDER.get(c.position, 99), c.sort_key, c.code))
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
PDF_TEMPLATE = "assignments/plans/notice_pdf.html"
PDF_STYLESHEET = "css/notice.css"  # the table of cadres; the layout comes from core.documents


def notice_pdf(notice: Notice) -> bytes:
    return render_pdf(PDF_TEMPLATE, {"doc": notice, "notice": notice}, [PDF_STYLESHEET])


# --- DOCX (python-docx) ----------------------------------------------------------------------------------
TABLE_COLUMNS_MM = (12, 48, 40, 65)


def notice_docx(notice: Notice) -> bytes:
    document = docx_start(notice)
    for text in notice.paragraphs:
        docx_body_paragraph(document, text)
    rows = (((str(row.number),), (row.full_name,), (row.position,), row.cells) for row in notice.rows)
    docx_grid_table(document, notice.table_header, rows, TABLE_COLUMNS_MM)
    if notice.amendments:
        docx_heading(document, notice.amendments_heading)
        for amendment in notice.amendments:
            docx_body_paragraph(document, amendment.text)
    return docx_finish(document, notice)
