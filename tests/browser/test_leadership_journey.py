"""Chromium journey: leadership finalize the quarterly report from their to-do home page.

A standing-committee member signs in and lands on the to-do list; "reports to finalize" counts the
draft and leads to the list of drafts; they open the report, press finalize, read the question on the
confirmation page (it works without JavaScript: a link, then a form), confirm, and end on the finalized
report with its number ("Số 1-BC/HU"). On a desktop screen and on a phone.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from cells.access.roles import Role
from cells.logins.services import user_create
from reports.models import Report
from tests.conftest import PASSWORD
from tests.reports.periodic.report_data import build_quarter
from tests.reports.periodic.test_report_pages import make_report

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 740}


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_leadership_finalize_the_report_from_the_home_page(
    page: Page, live_server, login, traffic, tree, screen
):
    build_quarter(tree)
    staff = user_create(username="bc-staff", password=PASSWORD, role=Role.ORGANIZATION_STAFF, scope=tree.root)
    report = make_report(tree, staff)
    leader = user_create(
        username="bc-leader",
        password=PASSWORD,
        role=Role.LEADERSHIP,
        scope=tree.root,
        full_name="Trần Văn Thường",
    )
    page.set_viewport_size(screen)
    login(page, live_server, leader)

    line = page.locator("[data-todo=reports-to-finalize]")
    expect(line).to_contain_text("Báo cáo chờ ban hành chính thức")
    expect(line.locator("[data-figure]")).to_have_text("1")
    line.click()
    page.wait_for_url(re.compile(r"/reports/reports/\?status=draft$"))
    rows = page.locator("[data-report]")
    expect(rows).to_have_count(1)

    rows.first.locator("a").first.click()
    page.wait_for_url(live_server.url + report.get_absolute_url())
    page.locator("[data-testid=report-finalize]").click()

    page.wait_for_url(live_server.url + f"/reports/reports/{report.pk}/finalize/")
    expect(page.locator("h1")).to_have_text("Ban hành chính thức báo cáo")
    expect(page.locator("[data-testid=finalize-warning]")).to_contain_text("không thể hoàn tác")
    report.refresh_from_db()
    assert not report.is_final  # asking changed nothing
    page.locator("[data-testid=finalize-confirm]").click()

    page.wait_for_url(live_server.url + report.get_absolute_url())
    expect(page.locator("[data-testid=report-number-line]")).to_have_text(re.compile(r"^Số 1-BC/HU$"))
    expect(page.locator("[data-testid=report-status]")).to_have_attribute("data-status", "final")
    report.refresh_from_db()
    assert report.status == Report.Status.FINAL and report.document_number == "1-BC/HU"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= screen["width"], f"the page is {width}px wide on a {screen['width']}px screen"
    assert traffic.console_errors == []
