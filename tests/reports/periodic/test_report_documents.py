"""The report as a party document: DOCX, PDF and XLSX of the hand-built quarter (report_data.py)."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess

import pytest
from docx import Document
from openpyxl import load_workbook

from assignments.plans.notice import notice_docx, notice_of
from core.documents import NUMBER_GAP
from reports.models import Report
from reports.periodic import services
from reports.periodic.chart import chart_lines, coverage_chart_png
from reports.periodic.documents import Heading as H
from reports.periodic.documents import numbered, report_document, report_docx, report_pdf
from reports.periodic.workbook import report_xlsx
from tests.conftest import require
from tests.reports.periodic.report_data import QUARTER, YEAR, build_quarter
from tests.reports.periodic.test_report_services import SIGNATURE

pytestmark = pytest.mark.django_db

ISSUED_ON = datetime.date(2026, 1, 5)
DATE_LINE = "Hóc Môn, ngày 05 tháng 01 năm 2026"
TITLE = "Kết quả tham dự sinh hoạt Chi bộ quý IV năm 2025"
# The coverage table in the official form, both bases (assigned, attended), with Vietnamese decimals.
FIGURES = [
    "Chi bộ cơ sở trực thuộc Huyện ủy Hóc Môn",
    "1/2 = 50%",  # direct, assigned
    "2/2 = 100%",  # direct, attended
    "4/4 = 100%",  # subordinate, assigned
    "2/4 = 50%",  # subordinate, attended
    "2/3 = 66,67%",  # Ấp - khu phố, attended
    "0/1 = 0%",  # Ngành, cơ quan …, attended
    "5/6 = 83,33%",  # total, assigned
    "4/6 = 66,67%",  # total, attended
    "1/3 = 33,33%",  # XA, attended
]
TEXTS = [
    "Chi bộ lồng ghép chuyên đề an ninh trật tự",
    "Một số đảng viên đến muộn",
    "Đề nghị sửa đường vào ấp",
    "Phân công rõ ràng nhiệm vụ từng đảng viên",  # two lines printed as one
    "Đảng bộ xã Xuân Thới Sơn",
    "Các chi bộ cơ sở trực thuộc",
    "Đánh giá chung các buổi sinh hoạt được dự (2 báo cáo): Tốt 1; Khá 1; Trung bình 0; Yếu 0",
    "Buổi sinh hoạt chi bộ đã tổ chức: 7 buổi, trong đó 5 buổi sinh hoạt định kỳ, 2 buổi sinh hoạt chuyên đề.",
]
LEFT_OUT = ["Thiếu kinh phí", "Hội trường xuống cấp", "Ngoài quý", "Của huyện khác"]


@pytest.fixture
def final_report(tree, staff, leader) -> Report:
    build_quarter(tree)
    report = services.report_create(root=tree.root, kind="quarterly", year=YEAR, quarter=QUARTER, by=staff)
    services.report_update(
        report=report,
        by=staff,
        narrative="Các chi bộ duy trì sinh hoạt nền nếp.",
        proposals="Đề nghị các đảng ủy cơ sở tăng cường kiểm tra.",
        recipients="Thành ủy (để báo cáo),\nLưu Văn phòng.",
        **SIGNATURE,
    )
    return services.report_finalize(report=report, by=leader, issued_on=ISSUED_ON)


@pytest.fixture
def draft_report(tree, staff) -> Report:
    build_quarter(tree)
    report = services.report_create(root=tree.root, kind="quarterly", year=YEAR, quarter=QUARTER, by=staff)
    return services.report_build(report=report)


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def pdf_text(data: bytes) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def one_line(text: str) -> str:
    return " ".join(text.split())


# --- What the document says -----------------------------------------------------------------------------
def test_the_document_header_number_date_and_title(final_report):
    doc = report_document(final_report)
    assert (doc.superior, doc.issuer) == ("HUYỆN ỦY HÓC MÔN", "BAN THƯỜNG VỤ HUYỆN ỦY HÓC MÔN")
    assert (doc.number_line, doc.date_line, doc.doc_type) == ("Số 1-BC/HU", DATE_LINE, "BÁO CÁO")
    assert doc.summary == TITLE
    assert doc.recipients == ("- Thành ủy (để báo cáo),", "- Lưu Văn phòng.")
    assert (doc.signer_authority, doc.signer_title, doc.signer_name) == (
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Nguyễn Văn Ký",
    )
    assert doc.filename_stem == "bao-cao-quy-4-2025-so-1-BC-HU" and not doc.is_draft


def test_the_sections_are_numbered_in_order(final_report):
    blocks = report_document(final_report).blocks
    headings = [block.text for block in blocks if block.tag == "heading"]
    top = [block.text for block in blocks if block.tag == "heading" and block.level == 1]
    assert top == [
        "I. KẾT QUẢ THAM DỰ SINH HOẠT CHI BỘ",
        "II. NHỮNG CÁCH LÀM HAY, SÁNG TẠO",
        "III. NHỮNG HẠN CHẾ, TỒN TẠI",
        "IV. KIẾN NGHỊ, ĐỀ XUẤT CỦA ĐẢNG VIÊN",
        "V. KHÓ KHĂN CẦN BAN THƯỜNG VỤ CHỈ ĐẠO",
        "VI. ĐÁNH GIÁ CHUNG",
        "VII. ĐỀ XUẤT, KIẾN NGHỊ",
    ]
    assert "1. Tỷ lệ chi bộ được dự sinh hoạt" in headings
    assert "2. Cán bộ, lượt dự và buổi sinh hoạt" in headings


def test_numbering_restarts_the_second_level_under_each_first():
    blocks = numbered([H("a"), H("x", 2), H("y", 2), H("b"), H("z", 2), H("c", 3)])
    assert [b.text for b in blocks] == ["I. A", "1. x", "2. y", "II. B", "1. z", "c"]


# --- DOCX -----------------------------------------------------------------------------------------------
def test_the_docx_holds_the_number_date_figures_and_items(final_report):
    data = report_docx(report_document(final_report))
    text = docx_text(data)
    for expected in ["BÁO CÁO", "Số 1-BC/HU", DATE_LINE, TITLE, "ĐẢNG CỘNG SẢN VIỆT NAM", "Nơi nhận:"]:
        assert expected in text
    for expected in FIGURES + TEXTS:
        assert expected in text, expected
    for missing in LEFT_OUT:
        assert missing not in text
    assert "Các chi bộ duy trì sinh hoạt nền nếp." in text and "tăng cường kiểm tra." in text
    assert "Số:" not in text
    document = Document(io.BytesIO(data))
    assert len(document.inline_shapes) == 1  # the chart
    assert document.sections[0].header.paragraphs[0].text == ""  # not a draft


def test_a_draft_docx_is_marked_and_leaves_the_number_and_day_blank(draft_report):
    data = report_docx(report_document(draft_report))
    document = Document(io.BytesIO(data))
    assert document.sections[0].header.paragraphs[0].text == "DỰ THẢO"
    text = docx_text(data)
    assert f"Số {NUMBER_GAP}-BC/HU" in text
    # The fourth quarter's report is signed the next January: the year is printed, the day left blank.
    assert "Hóc Môn, ngày" in text and "năm 2026" in text and "ngày 05" not in text
    assert "4/6 = 66,67%" in text


def test_the_same_report_gives_the_same_docx_bytes(final_report):
    assert report_docx(report_document(final_report)) == report_docx(report_document(final_report))


# --- PDF ------------------------------------------------------------------------------------------------
def test_the_pdf_holds_the_number_date_figures_and_items(final_report):
    data = report_pdf(report_document(final_report))
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    flat = one_line(text)
    for expected in ["BÁO CÁO", "Số 1-BC/HU", DATE_LINE, "ĐẢNG CỘNG SẢN VIỆT NAM", "Nơi nhận:"]:
        assert expected in text, expected
    for expected in [TITLE, *FIGURES, *TEXTS]:
        assert one_line(expected) in flat, expected
    for missing in LEFT_OUT:
        assert missing not in flat
    require(shutil.which("pdfimages") is not None, "pdfimages (poppler-utils) is not installed")
    images = subprocess.run(["pdfimages", "-list", "-"], input=data, capture_output=True, check=False)
    if images.returncode == 0:  # older poppler cannot read from stdin: then the text checks suffice
        assert len(images.stdout.decode().splitlines()) >= 3  # header, rule, the chart


def test_a_draft_pdf_is_marked(draft_report):
    text = pdf_text(report_pdf(report_document(draft_report)))
    assert "DỰ THẢO" in text and "-BC/HU" in text and "Số 1-BC" not in text


# --- Chart ----------------------------------------------------------------------------------------------
def test_the_chart_has_a_bar_per_group_and_is_a_png(final_report):
    bars = [
        (label, line.attended.covered, line.attended.cells)
        for label, line in chart_lines(final_report.snapshot)
    ]
    assert bars == [
        ("Chi bộ cơ sở trực thuộc", 2, 2),
        ("Ấp - khu phố", 2, 3),
        ("Ngành, cơ quan, Công an, Quân sự, trường học", 0, 1),
        ("Tổng cộng", 4, 6),
    ]
    assert coverage_chart_png(final_report.snapshot).startswith(b"\x89PNG\r\n\x1a\n")


# --- XLSX -----------------------------------------------------------------------------------------------
def test_the_xlsx_holds_every_figure(final_report):
    workbook = load_workbook(io.BytesIO(report_xlsx(final_report)))
    assert workbook.sheetnames == ["Thông tin", "Tỷ lệ dự sinh hoạt", "Số liệu", "Nội dung tổng hợp"]
    info = dict(workbook["Thông tin"].iter_rows(min_row=2, values_only=True))
    assert info["Số"] == "1-BC/HU" and info["Quý"] == 4 and info["Trạng thái"] == "Chính thức"
    coverage = list(workbook["Tỷ lệ dự sinh hoạt"].iter_rows(min_row=2, values_only=True))
    assert coverage[0] == ("Chi bộ cơ sở trực thuộc", None, None, 2, 1, 50.0, 2, 100.0)
    assert ("Tổng cộng", None, None, 6, 5, 83.33, 4, 66.67) in coverage
    assert ("Đảng bộ cơ sở", "XA", "Đảng bộ xã Xuân Thới Sơn", 3, 3, 100.0, 1, 33.33) in coverage
    assert ("Nhóm loại hình", "AP_KP", "Ấp - khu phố", 3, 3, 100.0, 2, 66.67) in coverage
    figures = {(row[0], row[1]): row[2] for row in workbook["Số liệu"].iter_rows(min_row=2, values_only=True)}
    assert figures[("Lượt dự", "Theo kế hoạch")] == 6 and figures[("Lượt dự", "Không dự được")] == 1
    assert figures[("Buổi sinh hoạt", "Chuyên đề")] == 2 and figures[("Cán bộ", "Được phân công")] == 3
    assert figures[("Đánh giá chung", "Tốt")] == 1 and figures[("Đánh giá chung", "Số báo cáo")] == 2
    items = list(workbook["Nội dung tổng hợp"].iter_rows(min_row=2, values_only=True))
    assert len(items) == 4
    petition = next(row for row in items if row[0] == "Kiến nghị, đề xuất của đảng viên")
    assert petition[1:6] == (
        "Đảng bộ xã Xuân Thới Sơn",
        "XA-AP1",
        "Chi bộ ấp 1",
        datetime.datetime(2025, 10, 5),
        "Đề nghị sửa đường vào ấp",
    )
    assert petition[7] == "Đã duyệt"


# --- The notice still uses the same layout ----------------------------------------------------------------
def test_the_notice_and_the_report_share_the_header(final_report, tree):
    from tests.assignments.plans.test_notice import make_plan

    notice = docx_text(notice_docx(notice_of(make_plan(tree.root, cadres=1, cells=1))))
    report = docx_text(report_docx(report_document(final_report)))
    for shared in (
        "HUYỆN ỦY HÓC MÔN",
        "BAN THƯỜNG VỤ HUYỆN ỦY HÓC MÔN",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Nơi nhận:",
    ):
        assert shared in notice and shared in report
