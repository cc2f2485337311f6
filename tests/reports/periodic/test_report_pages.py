"""The report pages: list (query counts at two sizes), create and build with the progress bar, edit,
finalize, new version, downloads, and a finalized report that new data cannot change."""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from reports.models import Report
from reports.periodic import services
from tests.reports.periodic.report_data import QUARTER, YEAR, build_quarter
from tests.reports.periodic.test_report_documents import FIGURES, docx_text, pdf_text
from tests.reports.periodic.test_report_services import SIGNATURE, add_attended_visit_and_note

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    """The tests read English msgids; Vietnamese is the default language of the pages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def url(name: str, report: Report | None = None) -> str:
    return reverse(f"reports:{name}", args=[report.pk] if report else [])


def make_report(tree, staff, *, quarter: int = QUARTER, year: int = YEAR, **fields) -> Report:
    report = services.report_create(root=tree.root, kind="quarterly", year=year, quarter=quarter, by=staff)
    services.report_update(report=report, by=staff, **{**SIGNATURE, **fields})
    return services.report_build(report=report)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- List -----------------------------------------------------------------------------------------------
def test_staff_and_leadership_list_the_reports_of_their_root(tree, staff, leader, outsider, client_for):
    report = make_report(tree, staff)
    for user in (staff, leader):
        response = client_for(user).get(url("report_list"))
        assert response.status_code == 200
        assert f'data-report="{report.pk}"' in response.content.decode()
        assert "Quarter 4/2025" in text_of(response)
    assert f'data-report="{report.pk}"' not in client_for(outsider).get(url("report_list")).content.decode()


def test_the_list_filters_by_kind_year_and_status(tree, staff, leader, client_for):
    older = make_report(tree, staff, quarter=3)
    services.report_finalize(report=older, by=leader)
    newer = make_report(tree, staff)
    client = client_for(staff)
    html = client.get(url("report_list") + "?status=final").content.decode()
    assert f'data-report="{older.pk}"' in html and f'data-report="{newer.pk}"' not in html
    html = client.get(url("report_list") + "?year=2024").content.decode()
    assert "data-report=" not in html
    html = client.get(url("report_list") + "?kind=quarterly&year=2025&status=draft").content.decode()
    assert f'data-report="{newer.pk}"' in html and f'data-report="{older.pk}"' not in html


def test_only_staff_see_the_new_report_button(tree, staff, leader, client_for):
    assert 'data-testid="report-create"' in client_for(staff).get(url("report_list")).content.decode()
    assert 'data-testid="report-create"' not in client_for(leader).get(url("report_list")).content.decode()


@pytest.mark.parametrize("reports", [2, 12])
def test_list_query_count_does_not_grow(tree, staff, client_for, django_assert_max_num_queries, reports):
    for number in range(reports):
        services.report_create(
            root=tree.root, kind="quarterly", year=2000 + number // 4, quarter=number % 4 + 1, by=staff
        )
    client = client_for(staff)
    with django_assert_max_num_queries(8):
        response = client.get(url("report_list"))
    assert response.status_code == 200
    assert response.content.decode().count("data-report=") == reports


# --- Create, build, progress ----------------------------------------------------------------------------
def test_staff_create_a_draft_and_its_figures_are_compiled(
    tree, staff, client_for, django_capture_on_commit_callbacks
):
    build_quarter(tree)
    client = client_for(staff)
    assert client.get(url("report_create")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("report_create"), {"kind": "quarterly", "year": YEAR, "quarter": QUARTER})
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert (report.kind, report.year, report.quarter, report.version) == ("quarterly", 2025, 4, 1)
    assert (report.build_status, report.build_progress) == (Report.Build.DONE, 100)
    page = text_of(client.get(report.get_absolute_url()))
    assert "4/6 = 66.67%" in page and "2/2 = 100%" in page and "1/3 = 33.33%" in page


def test_a_quarterly_report_needs_its_quarter(tree, staff, client_for):
    response = client_for(staff).post(
        url("report_create"), {"kind": "quarterly", "year": 2026, "quarter": ""}
    )
    assert response.status_code == 200
    assert "Choose the quarter (1 to 4)." in response.content.decode()
    assert not Report.objects.exists()


def test_a_second_draft_is_refused_on_the_form(tree, staff, client_for):
    make_report(tree, staff)
    response = client_for(staff).post(
        url("report_create"), {"kind": "quarterly", "year": YEAR, "quarter": QUARTER}
    )
    assert response.status_code == 200
    assert "still a draft" in response.content.decode()
    assert Report.objects.count() == 1


def test_the_build_button_recompiles_and_the_progress_partial_reports_100(
    tree, staff, client_for, django_capture_on_commit_callbacks
):
    report = make_report(tree, staff)
    assert report.snapshot["coverage"]["attended"]["total"]["cells"] == 4  # before the quarter's cells
    build_quarter(tree)
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("report_build", report))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.snapshot["coverage"]["attended"]["total"]["cells"] == 6
    partial = client.get(url("report_progress", report)).content.decode()
    assert 'aria-valuenow="100"' in partial and "hx-trigger" not in partial  # done: no more polling


def test_while_the_build_waits_the_bar_polls_and_the_page_reloads_when_it_ends(tree, staff, client_for):
    report = make_report(tree, staff)
    with_task_not_run = Report.objects.filter(pk=report.pk)
    with_task_not_run.update(build_status=Report.Build.RUNNING, build_progress=40)
    client = client_for(staff)
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'aria-valuenow="40"' in page and "report-progress-40" in page
    with_task_not_run.update(build_status=Report.Build.DONE, build_progress=100)
    polled = client.get(url("report_progress", report) + "?running=1", HTTP_HX_REQUEST="true")
    assert polled["HX-Refresh"] == "true"
    assert "HX-Refresh" not in client.get(url("report_progress", report), HTTP_HX_REQUEST="true")


def test_a_failed_build_says_so(tree, staff, client_for):
    report = make_report(tree, staff)
    Report.objects.filter(pk=report.pk).update(build_status=Report.Build.FAILED, build_error="boom")
    page = client_for(staff).get(report.get_absolute_url()).content.decode()
    assert 'data-testid="report-build-failed"' in page and "boom" not in page


# --- The page -------------------------------------------------------------------------------------------
def test_the_page_shows_figures_items_linked_to_notes_and_versions(tree, staff, client_for):
    quarter = build_quarter(tree)
    report = make_report(tree, staff, narrative="Sinh hoạt nền nếp.", proposals="Tăng cường kiểm tra.")
    response = client_for(staff).get(report.get_absolute_url())
    page = text_of(response)
    assert "Quarterly report for quarter 4/2025" in page and "Draft" in page
    assert 'data-line="total"' in page and "5/6 = 83.33%" in page
    note = quarter.notes["xa"]
    link = f'<a href="{reverse("assignments:note_detail", args=[note.pk])}">Chi bộ ấp 1 (05/10/2025)</a>'
    assert link in page
    assert "Đề nghị sửa đường vào ấp" in page and "not reviewed yet" in page  # the submitted HU-CQ note
    assert "Thiếu kinh phí" not in page  # a returned note's
    assert "Sinh hoạt nền nếp." in page and "Tăng cường kiểm tra." in page
    assert 'data-version="1"' in page
    assert 'data-testid="report-edit"' in page and 'data-testid="report-finalize"' not in page


def test_leadership_see_finalize_but_not_edit(tree, staff, leader, client_for):
    report = make_report(tree, staff)
    page = client_for(leader).get(report.get_absolute_url()).content.decode()
    assert 'data-testid="report-finalize"' in page and 'data-testid="report-edit"' not in page


# --- Edit -----------------------------------------------------------------------------------------------
def test_staff_edit_the_narrative(tree, staff, client_for):
    report = make_report(tree, staff)
    data = {**SIGNATURE, "signer_authority": "T/M BAN THƯỜNG VỤ", "issuer_abbreviation": "HU"}
    response = client_for(staff).post(url("report_edit", report), {**data, "narrative": "Đánh giá mới"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.narrative == "Đánh giá mới"


def test_a_final_report_cannot_be_edited_or_rebuilt(tree, staff, leader, client_for):
    report = services.report_finalize(report=make_report(tree, staff), by=leader)
    client = client_for(staff)
    assert client.get(url("report_edit", report)).status_code == 403
    assert client.post(url("report_edit", report), {"narrative": "x"}).status_code == 403
    assert client.post(url("report_build", report)).status_code == 403
    report.refresh_from_db()
    assert report.narrative == ""


# --- Finalize and new version ---------------------------------------------------------------------------
def test_leadership_finalize_and_the_number_is_shown(tree, staff, leader, client_for):
    report = make_report(tree, staff)
    response = client_for(leader).post(url("report_finalize", report))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_final and report.document_number == "1-BC/HU"
    page = text_of(client_for(leader).get(report.get_absolute_url()))
    assert "1-BC/HU" in page and 'data-status="final"' in page and 'data-testid="report-frozen"' in page


def test_staff_cannot_finalize(tree, staff, client_for):
    report = make_report(tree, staff)
    assert client_for(staff).post(url("report_finalize", report)).status_code == 403
    report.refresh_from_db()
    assert not report.is_final


def test_finalizing_without_a_signer_explains_why(tree, staff, leader, client_for):
    report = make_report(tree, staff, signer_name="")
    client = client_for(leader)
    response = client.post(url("report_finalize", report), follow=True)
    assert "The report was not finalized" in text_of(response) and "Signer" in text_of(response)
    report.refresh_from_db()
    assert not report.is_final


def test_staff_make_a_new_version_of_a_final_report(
    tree, staff, leader, client_for, django_capture_on_commit_callbacks
):
    report = services.report_finalize(report=make_report(tree, staff, narrative="Bản 1"), by=leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(url("report_new_version", report))
    version = Report.objects.get(version=2)
    assert response["Location"] == version.get_absolute_url()
    assert (version.status, version.narrative, version.build_status) == ("draft", "Bản 1", Report.Build.DONE)
    page = client_for(staff).get(version.get_absolute_url()).content.decode()
    assert 'data-version="1"' in page and 'data-version="2"' in page


def test_a_draft_gets_no_new_version(tree, staff, client_for):
    report = make_report(tree, staff)
    response = client_for(staff).post(url("report_new_version", report), follow=True)
    assert "still a draft" in response.content.decode()
    assert Report.objects.count() == 1


@pytest.mark.parametrize("name", ["report_build", "report_new_version"])
def test_actions_are_post_only(tree, staff, client_for, name):
    report = make_report(tree, staff)
    assert client_for(staff).get(url(name, report)).status_code == 405


def test_finalize_asks_first_and_a_get_changes_nothing(tree, staff, leader, client_for):
    report = make_report(tree, staff)
    client = client_for(leader)
    detail = client.get(report.get_absolute_url()).content.decode()
    assert f'href="{url("report_finalize", report)}"' in detail  # a link to the question, not a post
    page = text_of(client.get(url("report_finalize", report)))
    assert "This cannot be undone" in page and "Yes, finalize the report" in page
    assert f'href="{report.get_absolute_url()}"' in page  # "No" goes back to the report
    report.refresh_from_db()
    assert not report.is_final and report.number is None


# --- Downloads ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content_type", "magic", "filename"),
    [
        ("report_docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK",
         "du-thao-bao-cao-quy-4-2025-v1.docx"),
        ("report_pdf", "application/pdf", b"%PDF-", "du-thao-bao-cao-quy-4-2025-v1.pdf"),
        ("report_xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK",
         "du-thao-bao-cao-quy-4-2025-v1-so-lieu.xlsx"),
    ],
)  # fmt: skip
def test_downloads(tree, staff, leader, client_for, name, content_type, magic, filename):
    report = make_report(tree, staff)
    for user in (staff, leader):
        response = client_for(user).get(url(name, report))
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
        assert response.content.startswith(magic)


# --- Frozen ---------------------------------------------------------------------------------------------
def figures_of(page: str) -> str:
    """The coverage table and the figures of the page (what the snapshot shows)."""
    start = page.index('data-testid="report-coverage"')
    return page[start : page.index('data-testid="report-narrative"')]


def test_a_finalized_report_does_not_change_with_new_data(tree, staff, leader, client_for):
    quarter = build_quarter(tree)
    report = services.report_finalize(report=make_report(tree, staff), by=leader)
    client = client_for(staff)
    before = {
        "page": figures_of(text_of(client.get(report.get_absolute_url()))),
        "docx": docx_text(client.get(url("report_docx", report)).content),
        "pdf": pdf_text(client.get(url("report_pdf", report)).content),
        "xlsx": load_workbook(io.BytesIO(client.get(url("report_xlsx", report)).content))["Số liệu"][
            "C2"
        ].value,
    }
    assert "4/6 = 66.67%" in before["page"]
    assert all(figure in before["docx"] for figure in FIGURES)

    add_attended_visit_and_note(tree, quarter)
    after = {
        "page": figures_of(text_of(client.get(report.get_absolute_url()))),
        "docx": docx_text(client.get(url("report_docx", report)).content),
        "pdf": pdf_text(client.get(url("report_pdf", report)).content),
        "xlsx": load_workbook(io.BytesIO(client.get(url("report_xlsx", report)).content))["Số liệu"][
            "C2"
        ].value,
    }
    assert after == before
    assert "Mới ghi nhận sau" not in after["docx"]

    version = services.report_build(report=services.report_new_version(report=report, by=staff))
    newer = text_of(client.get(version.get_absolute_url()))
    assert "5/7 = 71.43%" in newer and "Mới ghi nhận sau" in newer
    assert "5/7 = 71,43%" in docx_text(client.get(url("report_docx", version)).content)
