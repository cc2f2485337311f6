"""The annual summary as a report: staff create and build it through the report services, the page, the
DOCX, the PDF and the XLSX show the comparison with last year and the commendation list; finalizing
freezes it, so a later adjustment of the list does not change it (tests/reports/periodic/annual_data.py)."""

from __future__ import annotations

import datetime
import subprocess
from io import BytesIO

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from docx import Document
from freezegun import freeze_time
from openpyxl import load_workbook

from reports.commendations.services import commendation_adjust
from reports.models import Report
from reports.periodic import services
from tests.reports.periodic.annual_data import YEAR, build_years

NOW = "2027-01-15 03:00:00"  # 10:00 in Hồ Chí Minh City on 15/01/2027: the year 2026 is over


@pytest.fixture(autouse=True)
def english(client):
    """The page is read in English; the documents are Vietnamese whatever the reader's language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"), freeze_time(NOW):
        yield


@pytest.fixture
def years(tree, personas):
    return build_years(tree)


@pytest.fixture
def report(years, staff):
    commendation_adjust(
        root=years.root,
        year=YEAR,
        cadre=years.k4,
        proposed=True,
        reason="Trễ một báo cáo do bão số 3",
        by=staff,
    )
    report = services.report_create(root=years.root, kind=Report.Kind.ANNUAL, year=YEAR, by=staff)
    services.report_update(
        report=report,
        by=staff,
        signer_name="Nguyễn Văn Ký",
        signer_title="Phó Bí thư",
        recipients="Ban Thường vụ",
    )
    return services.report_build(report=report)


def _docx_text(content: bytes) -> str:
    document = Document(BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def _pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def _assert_comparison_and_commendations(text: str) -> None:
    assert "TỔNG KẾT" in text.upper()
    assert "So sánh với năm 2025".upper() in text.upper()
    assert "Số cán bộ được phân công: 5, tăng 3" in text
    assert "Số chi bộ được dự sinh hoạt: 5, tăng 2" in text
    assert "5/6 = 83,33%" in text and "3/6 = 50%" in text and "tăng 33,33 điểm" in text
    assert "tăng 40 điểm" in text  # subordinate cells: 40% → 80%
    assert "Cán bộ đề nghị khen thưởng".upper() in text.upper()
    for name in ("An Văn Một", "Cao Văn Ba", "Dương Thị Bốn"):
        assert name in text
    assert "Bùi Thị Hai" not in text and "Hồ Văn Năm" not in text
    assert "Bổ sung đồng chí Dương Thị Bốn: Trễ một báo cáo do bão số 3" in text
    assert "Thiếu kinh phí hội trường" in text  # the escalation carried into 2027


def test_the_snapshot_is_the_annual_one(report):
    snapshot = report.snapshot
    assert report.build_status == Report.Build.DONE
    assert snapshot["kind"] == "annual" and snapshot["comparison"]["cadres_assigned"]["text"] == "5, tăng 3"
    assert [row["cadre"]["code"] for row in snapshot["commendations"] if row["proposed"]] == [
        "K3",
        "K4",
        "K1",
    ]


def test_the_docx_holds_the_comparison_and_the_commendation_list(report, client_for, staff):
    response = client_for(staff).get(reverse("reports:report_docx", args=[report.pk]))
    assert response.status_code == 200
    text = _docx_text(response.content)
    _assert_comparison_and_commendations(text)
    document = Document(BytesIO(response.content))
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert ["Số cán bộ được phân công", "5", "2", "tăng 3"] in rows
    assert ["3", "An Văn Một", "Cấp ủy viên", "12/12", "12/12", "Đạt tiêu chí"] in rows
    assert ["1", "Cao Văn Ba", "Cấp ủy viên", "11/11 (miễn 1 tháng)", "11/11", "Đạt tiêu chí"] in rows
    assert ["2", "Dương Thị Bốn", "Cấp ủy viên", "12/12", "11/12", "Ban Tổ chức bổ sung"] in rows


def test_the_pdf_holds_the_comparison_and_the_commendation_list(report, client_for, leader):
    response = client_for(leader).get(reverse("reports:report_pdf", args=[report.pk]))
    assert response.status_code == 200
    text = " ".join(_pdf_text(response.content).split())
    _assert_comparison_and_commendations(text)


def test_the_xlsx_has_the_comparison_and_commendation_sheets(report, client_for, staff):
    response = client_for(staff).get(reverse("reports:report_xlsx", args=[report.pk]))
    workbook = load_workbook(BytesIO(response.content), read_only=True)
    comparison = [list(row) for row in workbook["So sánh năm trước"].iter_rows(values_only=True)]
    assert comparison[0][:4] == ["Chỉ tiêu", "Năm 2026", "Năm 2025", "Tăng, giảm"]
    assert ["Số cán bộ được phân công", 5, 2, 3, None, None, None] in comparison
    assert ["Tổng cộng", 5, 3, 2, 83.33, 50, 33.33] in comparison
    commendations = [list(row) for row in workbook["Khen thưởng"].iter_rows(values_only=True)]
    assert [row[2] for row in commendations[1:]] == ["Cao Văn Ba", "Dương Thị Bốn", "An Văn Một"]
    assert commendations[2][9:] == ["Không", "Có", "Ban Tổ chức bổ sung", "Trễ một báo cáo do bão số 3"]


def test_the_page_shows_the_comparison_and_the_list_in_english(report, client_for, leader):
    html = client_for(leader).get(report.get_absolute_url()).content.decode()
    assert "Compared with 2025" in html
    assert "5, up 3" in html and "up 33.33 points" in html
    assert 'data-cadre="K4"' in html and "Added by staff" in html and "Trễ một báo cáo do bão số 3" in html
    assert "Thiếu kinh phí hội trường" in html


def test_finalized_summary_keeps_its_list(report, years, staff, leader):
    final = services.report_finalize(report=report, by=leader, issued_on=datetime.date(2027, 1, 15))
    commendation_adjust(
        root=years.root, year=YEAR, cadre=years.k1, proposed=False, reason="Đã khen", by=staff
    )
    final.refresh_from_db()
    rows = [row["cadre"]["code"] for row in final.snapshot["commendations"] if row["proposed"]]
    assert rows == ["K3", "K4", "K1"]
    assert final.document_number.endswith("-BC/HU")
