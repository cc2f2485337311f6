"""The yearly notice as a party document: the date line, the DOCX and the PDF of a seed-sized plan."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document
from freezegun import freeze_time

from assignments.models import Assignment, AssignmentPlan, Cadre, PlanAmendment, Visit
from assignments.plans.notice import notice_docx, notice_of, notice_pdf
from cells.access.roles import Role
from cells.logins.services import user_create
from core.vn import blank_date_line, vietnamese_date_line
from tests.conftest import require
from tests.factories import CadreFactory, CellFactory, MeetingFactory, OrganizationFactory, cell_type

pytestmark = pytest.mark.django_db

DATE_LINE = "Hóc Môn, ngày 05 tháng 01 năm 2026"
CELL_TYPES = ("AP", "KP", "XDD", "NKV", "NG", "CQ", "CA", "QS", "TH", "DNNN")


# --- The date line --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2019, 1, 5), "Hóc Môn, ngày 05 tháng 01 năm 2019"),
        (datetime.date(2019, 2, 9), "Hóc Môn, ngày 09 tháng 02 năm 2019"),
        (datetime.date(2019, 3, 10), "Hóc Môn, ngày 10 tháng 3 năm 2019"),
        (datetime.date(2019, 4, 20), "Hóc Môn, ngày 20 tháng 4 năm 2019"),
        (datetime.date(2019, 4, 1), "Hóc Môn, ngày 01 tháng 4 năm 2019"),
        (datetime.date(2019, 10, 31), "Hóc Môn, ngày 31 tháng 10 năm 2019"),
        (datetime.date(2019, 12, 25), "Hóc Môn, ngày 25 tháng 12 năm 2019"),
        (datetime.date(2019, 12, 3), "Hóc Môn, ngày 03 tháng 12 năm 2019"),
    ],
)
def test_date_line_pads_days_below_ten_and_the_first_two_months(day, expected):
    assert vietnamese_date_line("Hóc Môn", day) == expected


def test_date_line_without_a_place_starts_with_a_capital():
    assert vietnamese_date_line("  ", datetime.date(2026, 1, 5)) == "Ngày 05 tháng 01 năm 2026"


def test_a_drafts_date_line_leaves_the_day_and_month_blank():
    line = blank_date_line("Hóc Môn", 2027)
    assert line.startswith("Hóc Môn, ngày") and line.endswith("năm 2027")
    assert not any(char.isdigit() for char in line[: -len("2027")])


# --- Building a plan ------------------------------------------------------------------------------------
def make_plan(root, *, cadres: int, cells: int, **fields) -> AssignmentPlan:
    """An issued plan of ``root``: ``cadres`` cadres, ``cells`` cells of every type, two cells per cadre
    (one when there is only one cell)."""
    defaults = {
        "year": 2026,
        "status": AssignmentPlan.Status.ISSUED,
        "number": 15,
        "issuer_abbreviation": "HU",
        "issued_on": datetime.date(2026, 1, 5),
        "summary": "về việc phân công cán bộ dự sinh hoạt chi bộ năm 2026",
        "body": "Căn cứ Quy định số 24-QĐ/TW của Ban Chấp hành Trung ương.\n\n"
        "Ban Thường vụ Huyện ủy phân công các đồng chí sau dự sinh hoạt chi bộ:",
        "signer_name": "Nguyễn Văn Ký",
        "signer_title": "Phó Bí thư",
        "recipients": "Thành ủy (để báo cáo),\nCác đảng bộ, chi bộ cơ sở,\nLưu Văn phòng.",
    }
    plan = AssignmentPlan.objects.create(root=root, **{**defaults, **fields})
    committees = [OrganizationFactory(parent=root, name=f"Đảng bộ xã số {n}") for n in range(1, 4)]
    made = [
        CellFactory(parent=committees[n % 3], cell_type=cell_type(CELL_TYPES[n % len(CELL_TYPES)]))
        for n in range(cells)
    ]
    people = CadreFactory.create_batch(cadres, organization=root)
    Assignment.objects.bulk_create(
        Assignment(plan=plan, cadre=cadre, cell=made[(2 * n + k) % cells])
        for n, cadre in enumerate(people)
        for k in range(min(2, cells))
    )
    return plan


@pytest.fixture
def seed_plan(tree) -> AssignmentPlan:
    """The size of the 2019 district: 61 cadres at 101 cells."""
    return make_plan(tree.root, cadres=61, cells=101)


def cadre_names(plan: AssignmentPlan) -> list[str]:
    return list(Cadre.objects.filter(assignments__plan=plan).distinct().values_list("full_name", flat=True))


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def pdf_text(data: bytes, tmp_path: Path) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), str(tmp_path / "notice.txt")], check=True)
    return (tmp_path / "notice.txt").read_text(encoding="utf-8")


def one_line(text: str) -> str:
    """Text with every run of whitespace as one space: a long name may wrap in its column."""
    return " ".join(text.split())


# --- What the notice says -------------------------------------------------------------------------------
def test_the_notice_names_the_superior_and_issuing_organizations_in_capitals(tree):
    plan = make_plan(tree.root, cadres=1, cells=1)
    notice = notice_of(plan)
    # A root with no parent is its own superior organization.
    assert notice.superior == "HUYỆN ỦY HÓC MÔN"
    assert notice.issuer == "BAN THƯỜNG VỤ HUYỆN ỦY HÓC MÔN"
    assert notice.number_line == "Số 15-TB/HU"
    assert notice.date_line == DATE_LINE
    assert notice.signer_title == "PHÓ BÍ THƯ"
    assert notice.recipients == (
        "- Thành ủy (để báo cáo),",
        "- Các đảng bộ, chi bộ cơ sở,",
        "- Lưu Văn phòng.",
    )


def test_a_root_under_a_province_names_the_province_as_superior(db):
    province = OrganizationFactory(code="TU", name="Đảng bộ Thành phố Hồ Chí Minh")
    ward = OrganizationFactory(
        code="PBT", name="Đảng ủy phường Bà Điểm", parent=province, place_name="Bà Điểm"
    )
    notice = notice_of(make_plan(ward, cadres=1, cells=1, issuer_abbreviation="ĐU"))
    assert notice.superior == "ĐẢNG BỘ THÀNH PHỐ HỒ CHÍ MINH"
    assert notice.issuer == "BAN THƯỜNG VỤ ĐẢNG ỦY PHƯỜNG BÀ ĐIỂM"
    assert notice.number_line == "Số 15-TB/ĐU"
    assert notice.date_line == "Bà Điểm, ngày 05 tháng 01 năm 2026"


def test_the_table_lists_standing_committee_members_first_with_their_cells(tree):
    plan = make_plan(tree.root, cadres=0, cells=0)
    specialist = CadreFactory(full_name="An Văn Chuyên", position=Cadre.Position.SPECIALIST)
    standing = CadreFactory(full_name="Vũ Thị Thường", position=Cadre.Position.STANDING_COMMITTEE)
    Assignment.objects.create(plan=plan, cadre=specialist, cell=tree.cell2)
    Assignment.objects.create(plan=plan, cadre=specialist, cell=tree.cell)
    Assignment.objects.create(plan=plan, cadre=standing, cell=tree.direct_cell)
    rows = notice_of(plan).rows
    assert [(row.number, row.full_name) for row in rows] == [(1, "Vũ Thị Thường"), (2, "An Văn Chuyên")]
    assert rows[0].position == "Ủy viên Ban Thường vụ"  # in Vietnamese whatever the reader's language
    assert rows[1].cells == (
        "Chi bộ ấp 1 – Đảng bộ xã Xuân Thới Sơn",
        "Chi bộ trường học – Đảng bộ xã Xuân Thới Sơn",
    )


# --- DOCX -----------------------------------------------------------------------------------------------
def test_the_docx_of_a_seed_sized_plan_holds_the_number_the_date_and_every_cadre(seed_plan):
    data = notice_docx(notice_of(seed_plan))
    text = docx_text(data)
    assert "Số 15-TB/HU" in text
    assert DATE_LINE in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "THÔNG BÁO" in text and "Nơi nhận:" in text
    names = cadre_names(seed_plan)
    assert len(names) == 61
    assert all(name in text for name in names)
    assert "Số:" not in text  # the party form has no colon after "Số"


def test_the_docx_is_a4_with_the_party_document_margins_and_a_borderless_header(tree):
    document = Document(io.BytesIO(notice_docx(notice_of(make_plan(tree.root, cadres=3, cells=4)))))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
    header, cadres, closing = document.tables
    assert header.style.name != "Table Grid" and closing.style.name != "Table Grid"
    assert cadres.style.name == "Table Grid"
    assert len(cadres.rows) == 1 + 3
    assert [c.text for c in cadres.rows[0].cells] == ["STT", "Họ và tên", "Chức vụ", "Chi bộ được phân công"]
    party = header.rows[0].cells[1].paragraphs[0].runs[0]
    assert party.text == "ĐẢNG CỘNG SẢN VIỆT NAM" and party.bold and party.underline
    date_run = next(r for p in header.rows[0].cells[1].paragraphs for r in p.runs if r.text == DATE_LINE)
    assert date_run.italic
    assert header.rows[0].cells[0].paragraphs[2].text == "*"
    assert document.styles["Normal"].font.size.pt == 14


def test_the_signature_block_and_recipients_close_the_docx(tree):
    closing = Document(io.BytesIO(notice_docx(notice_of(make_plan(tree.root, cadres=1, cells=1))))).tables[-1]
    left, right = closing.rows[0].cells
    assert [p.text for p in left.paragraphs] == [
        "Nơi nhận:",
        "- Thành ủy (để báo cáo),",
        "- Các đảng bộ, chi bộ cơ sở,",
        "- Lưu Văn phòng.",
    ]
    lines = [p.text for p in right.paragraphs if p.text]
    assert lines == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Nguyễn Văn Ký"]


def test_an_amended_plan_lists_its_amendments_after_the_table(tree, staff):
    plan = make_plan(tree.root, cadres=2, cells=2, amendment_count=2)
    for sequence, reason in ((1, "Bổ sung đồng chí Lê Văn Mới"), (2, "Chi bộ ấp 3 sáp nhập")):
        PlanAmendment.objects.create(plan=plan, sequence=sequence, reason=reason, created_by=staff)
    document = Document(io.BytesIO(notice_docx(notice_of(plan))))
    texts = [p.text for p in document.paragraphs]
    heading = texts.index("Các lần điều chỉnh, bổ sung:")
    assert texts[heading + 1].startswith("Lần 1 (ngày ") and texts[heading + 1].endswith("Lê Văn Mới")
    assert texts[heading + 2].startswith("Lần 2 (ngày ") and texts[heading + 2].endswith("sáp nhập")
    # After the table of cadres: the amendments paragraph follows the table in the document body.
    body = [child.tag.rsplit("}", 1)[1] for child in document.element.body]
    tables = [i for i, tag in enumerate(body) if tag == "tbl"]
    paragraphs = [i for i, child in enumerate(document.element.body) if child.tag.endswith("}p")]
    assert paragraphs[heading] > tables[1]


# --- PDF ------------------------------------------------------------------------------------------------
def test_the_pdf_of_a_seed_sized_plan_holds_the_number_the_date_and_every_cadre(seed_plan, tmp_path):
    data = notice_pdf(notice_of(seed_plan))
    assert data.startswith(b"%PDF-")
    text = pdf_text(data, tmp_path)
    assert "Số 15-TB/HU" in text
    assert DATE_LINE in text  # diacritics survive: the font has the glyphs and the text layer maps them
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "BAN THƯỜNG VỤ HUYỆN ỦY HÓC MÔN" in one_line(text)
    names = cadre_names(seed_plan)
    assert len(names) == 61
    missing = [name for name in names if name not in text]
    assert not missing
    # Page 1 renders to an image (what a viewer shows), in a Times-like serif that has the diacritics.
    assert render_first_page(tmp_path / "notice.pdf").startswith(b"\x89PNG\r\n\x1a\n")
    assert_times_like_font(tmp_path / "notice.pdf")


def render_first_page(pdf: Path) -> bytes:
    require(shutil.which("pdftoppm") is not None, "pdftoppm (poppler-utils) is not installed")
    prefix = pdf.parent / "page"
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(pdf), str(prefix)], check=True)
    pages = sorted(pdf.parent.glob("page*.png"))
    assert len(pages) == 1
    image = pages[0].read_bytes()
    assert len(image) > 1000
    return image


def assert_times_like_font(pdf: Path) -> None:
    require(shutil.which("pdffonts") is not None, "pdffonts (poppler-utils) is not installed")
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    names = fonts.replace("-", "").replace(" ", "")
    assert "LiberationSerif" in names or "TimesNewRoman" in names, fonts


# --- Downloads ------------------------------------------------------------------------------------------
def notice_url(plan: AssignmentPlan, fmt: str) -> str:
    return reverse(f"assignments:plan_notice_{fmt}", args=[plan.pk])


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
        ("pdf", "application/pdf", b"%PDF-"),
    ],
)
def test_staff_download_the_issued_notice(tree, staff, client_for, fmt, content_type, magic):
    plan = make_plan(tree.root, cadres=3, cells=3)
    response = client_for(staff).get(notice_url(plan, fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="thong-bao-15-TB-HU-2026.{fmt}"'
    assert response.content.startswith(magic)


def test_the_docx_download_opens_and_names_the_cadres(tree, leader, client_for):
    plan = make_plan(tree.root, cadres=3, cells=3)
    text = docx_text(client_for(leader).get(notice_url(plan, "docx")).content)
    assert all(name in text for name in cadre_names(plan))


def test_a_draft_comes_out_marked_as_draft_for_staff_without_number_or_day(tree, staff, client_for):
    plan = make_plan(
        tree.root, cadres=2, cells=2, status=AssignmentPlan.Status.DRAFT, number=None, issued_on=None
    )
    response = client_for(staff).get(notice_url(plan, "docx"))
    assert response["Content-Disposition"] == 'attachment; filename="du-thao-thong-bao-phan-cong-2026.docx"'
    document = Document(io.BytesIO(response.content))
    assert document.sections[0].header.paragraphs[0].text == "DỰ THẢO"
    text = docx_text(response.content)
    assert "Số 15" not in text and "-TB/HU" in text
    assert "ngày 05" not in text and "năm 2026" in text


def test_a_draft_pdf_is_marked_as_draft(tree, staff, client_for, tmp_path):
    plan = make_plan(
        tree.root, cadres=2, cells=2, status=AssignmentPlan.Status.DRAFT, number=None, issued_on=None
    )
    text = pdf_text(client_for(staff).get(notice_url(plan, "pdf")).content, tmp_path)
    assert "DỰ THẢO" in text


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_grassroots_staff_and_cadres_get_no_draft(tree, grassroots, cadre_user, client_for, fmt):
    plan = make_plan(
        tree.root, cadres=2, cells=2, status=AssignmentPlan.Status.DRAFT, number=None, issued_on=None
    )
    Assignment.objects.create(plan=plan, cadre=cadre_user.cadre, cell=tree.cell)
    assert client_for(grassroots).get(notice_url(plan, fmt)).status_code == 404
    assert client_for(cadre_user).get(notice_url(plan, fmt)).status_code == 404


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_another_roots_staff_get_404(tree, outsider, client_for, fmt):
    plan = make_plan(tree.root, cadres=2, cells=2)
    assert client_for(outsider).get(notice_url(plan, fmt)).status_code == 404


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_notice_is_the_same_bytes_whether_or_not_visits_exist(tree, grassroots, staff, client_for, fmt):
    """Grassroots staff may download the published notice; nothing in it may depend on visits."""
    plan = make_plan(tree.root, cadres=2, cells=2)
    Assignment.objects.create(plan=plan, cadre=CadreFactory(organization=tree.root), cell=tree.cell)
    before = client_for(grassroots).get(notice_url(plan, fmt))
    assert before.status_code == 200
    for assignment in plan.assignments.select_related("cadre", "cell"):
        meeting = MeetingFactory(cell=assignment.cell, date=datetime.date(2026, 3, 7))
        Visit.objects.create(cadre=assignment.cadre, cell=assignment.cell, meeting=meeting, planned_by=staff)
    after = client_for(grassroots).get(notice_url(plan, fmt))
    assert after.content == before.content


def test_the_pdf_is_the_same_bytes_at_another_time_where_fonttools_subsets_the_fonts(tree, monkeypatch):
    """A server without HarfBuzz's subsetter has fontTools subset the embedded fonts: no clock gets in."""
    monkeypatch.setattr("weasyprint.pdf.fonts.harfbuzz_subset", None)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    notice = notice_of(make_plan(tree.root, cadres=2, cells=2))
    with freeze_time("2026-03-07 08:00:00"):
        first = notice_pdf(notice)
    with freeze_time("2026-03-07 08:00:05"):
        second = notice_pdf(notice)
    assert second == first


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_downloads_are_get_only(tree, staff, client_for, fmt):
    plan = make_plan(tree.root, cadres=1, cells=1)
    assert client_for(staff).post(notice_url(plan, fmt)).status_code == 405


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("cadres", [3, 30])
def test_notice_query_count_does_not_grow(
    tree, staff, client_for, django_assert_max_num_queries, fmt, cadres
):
    plan = make_plan(tree.root, cadres=cadres, cells=cadres)
    PlanAmendment.objects.create(plan=plan, sequence=1, reason="Bổ sung", created_by=staff)
    client = client_for(staff)
    with django_assert_max_num_queries(8):
        response = client.get(notice_url(plan, fmt))
    assert response.status_code == 200


def test_a_non_ascii_issuer_abbreviation_survives_in_the_file_name(db, client_for):
    ward = OrganizationFactory(code="PBD", name="Đảng ủy phường Bà Điểm", place_name="Bà Điểm")
    plan = make_plan(ward, cadres=1, cells=1, issuer_abbreviation="ĐU")
    staff = user_create(
        username="wardstaff", password="x-Pass-9876", role=Role.ORGANIZATION_STAFF, scope=ward
    )
    response = client_for(staff).get(notice_url(plan, "docx"))
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''thong-bao-15-TB-%C4%90U-2026.docx"
