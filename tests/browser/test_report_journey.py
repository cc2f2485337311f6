"""Chromium journey: organization staff build the quarterly report and download it.

Staff open the reports from the menu, create the fourth quarter's report of 2025 and watch the progress
bar: the build is handed to the Celery task, which here a stand-in worker (the test itself) runs while
the page polls with htmx, so the bar moves and the page reloads with the figures when it ends. They
write the general assessment, then download the DOCX and the PDF. Nothing is fetched from another host
and the console stays clean (no CSP violation).
"""

from __future__ import annotations

import re
import zipfile

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from cells.access.roles import Role
from cells.logins.services import user_create
from reports.models import Report
from reports.periodic import tasks
from tests.browser.test_plan_journey import _download
from tests.conftest import PASSWORD
from tests.reports.periodic.report_data import build_quarter

pytestmark = pytest.mark.browser

NARRATIVE = "Các chi bộ duy trì sinh hoạt nền nếp; chất lượng sinh hoạt chuyên đề được nâng lên."


@pytest.fixture
def worker(monkeypatch) -> list[int]:
    """Enqueued builds wait here instead of running at once (as with a real broker) until the test,
    standing in for the worker, runs them."""
    queue: list[int] = []
    monkeypatch.setattr(tasks.build_report, "delay", queue.append)
    return queue


def test_staff_build_edit_and_download_the_quarterly_report(
    page: Page, live_server, login, click_nav, traffic, tree, worker
):
    build_quarter(tree)
    staff = user_create(
        username="rep-staff", password=PASSWORD, role=Role.ORGANIZATION_STAFF, scope=tree.root
    )
    login(page, live_server, staff)

    click_nav(page, "reports:report_list")
    page.locator("[data-testid=report-create]").click()
    form = page.locator("[data-testid=edit-form]")
    form.locator("select[name=kind]").select_option("quarterly")
    form.locator("input[name=year]").fill("2025")
    form.locator("select[name=quarter]").select_option("4")
    form.locator("button[type=submit]").click()

    # The build waits for the worker: the bar polls.
    report = Report.objects.get()
    page.wait_for_url(live_server.url + report.get_absolute_url())
    bar = page.locator("[data-testid=report-progress] [role=progressbar]")
    expect(bar).to_have_attribute("aria-valuenow", "0")
    assert worker == [report.pk]
    Report.objects.filter(pk=report.pk).update(build_status=Report.Build.RUNNING, build_progress=40)
    expect(bar).to_have_attribute("aria-valuenow", "40")  # the next poll shows the worker's progress

    tasks.build_report(worker.pop())  # the worker runs it; the page reloads when the poll sees it done
    expect(
        page.locator("[data-testid=report-coverage] tr[data-line=total] [data-basis=attended]")
    ).to_have_text("4/6 = 66,67%")
    expect(bar).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("[data-testid=report-progress]")).not_to_have_attribute("hx-trigger", re.compile("."))
    expect(page.locator("[data-section=petitions]")).to_contain_text("Đề nghị sửa đường vào ấp")

    page.locator("[data-testid=report-edit]").click()
    page.locator("textarea[name=narrative]").fill(NARRATIVE)
    page.locator("[data-testid=edit-form] button[type=submit]").click()
    page.wait_for_url(live_server.url + report.get_absolute_url())
    expect(page.locator("[data-testid=report-narrative]")).to_contain_text(NARRATIVE)

    stem = "du-thao-bao-cao-quy-4-2025-v1"
    docx, content = _download(page, "report-docx")
    assert docx.suggested_filename == f"{stem}.docx" and content.startswith(b"PK")
    with zipfile.ZipFile(docx.path()) as archive:
        text = re.sub(r"<[^>]+>", "", archive.read("word/document.xml").decode())
        assert any(name.startswith("word/media/") for name in archive.namelist())  # the chart
    assert "BÁO CÁO" in text and "4/6 = 66,67%" in text and NARRATIVE in text

    pdf, content = _download(page, "report-pdf")
    assert pdf.suggested_filename == f"{stem}.pdf"
    assert content.startswith(b"%PDF") and len(content) > 10_000

    assert traffic.failures == []
    assert traffic.console_errors == []
    assert reverse("reports:report_docx", args=[report.pk]) in " ".join(traffic.requests)
