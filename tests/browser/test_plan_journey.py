"""Browser journey: staff draft the yearly plan, add cells by searching, see a rule warning, fix it,
issue the notice and see its number."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from assignments.models import AssignmentPlan
from cells.roles import Role
from cells.services import user_create
from tests.conftest import PASSWORD
from tests.factories import CadreFactory, CellFactory, OrganizationFactory, cell_type

pytestmark = pytest.mark.browser


@pytest.fixture
def plan_staff(transactional_db):
    cell_type("AP")  # live_server flushes the migration data: re-create what the journey needs
    root = OrganizationFactory(code="HU", name="Huyện ủy Hóc Môn", place_name="Hóc Môn")
    committee = OrganizationFactory(code="XA", name="Đảng bộ xã Xuân Thới Sơn", parent=root)
    CellFactory(code="HU-CQ", name="Chi bộ cơ quan", parent=root, cell_type=cell_type("CQ"))
    CellFactory(code="XA-TH", name="Chi bộ trường học", parent=committee, cell_type=cell_type("TH"))
    CellFactory(code="XA-AP1", name="Chi bộ ấp 1", parent=committee, cell_type=cell_type("AP"))
    CadreFactory(code="CAD1", full_name="Lê Văn Cán", organization=root)
    return user_create(username="plan-staff", password=PASSWORD, role=Role.ORGANIZATION_STAFF, scope=root)


def _add_cell(page: Page, row, text: str, code: str) -> None:
    row.locator("[data-testid=cell-search]").fill(text)
    row.locator(f"[data-assign='{code}']").click()
    expect(page.locator(f"tr[data-cadre=CAD1] [data-cell='{code}']")).to_be_visible()


def test_staff_draft_fix_and_issue_the_plan(page: Page, live_server, plan_staff, login, traffic):
    login(page, live_server, plan_staff)
    page.goto(live_server.url + reverse("assignments:plan_list"))
    page.locator("[data-testid=plan-create]").click()

    form = page.locator("[data-testid=edit-form]")
    form.locator("input[name=year]").fill("2027")
    form.locator("input[name=summary]").fill("Phân công dự sinh hoạt chi bộ năm 2027")
    form.locator("input[name=signer_name]").fill("Nguyễn Văn Ký")
    form.locator("input[name=signer_title]").fill("Phó Bí thư")
    form.locator("button[type=submit]").click()
    plan = AssignmentPlan.objects.get()
    page.wait_for_url(live_server.url + plan.get_absolute_url())

    row = page.locator("tr[data-cadre=CAD1]")
    _add_cell(page, row, "hu-cq", "HU-CQ")
    findings = page.locator("[data-testid=plan-findings]")
    # One cell, one type: the live checks warn (and the school type has no cadre yet).
    expect(findings.locator("[data-rule=two_cell_types]")).to_be_visible()
    expect(findings.locator("[data-rule=priority_types] [data-code=TH]")).to_be_visible()
    expect(row.locator("[data-flag=two_cell_types]")).to_be_visible()

    _add_cell(page, page.locator("tr[data-cadre=CAD1]"), "trường", "XA-TH")
    expect(findings.locator("[data-rule]")).to_have_count(0)
    expect(page.locator("[data-testid=rules-pass]")).to_be_visible()
    expect(page.locator("[data-testid=plan-coverage] [data-tier=total]")).to_contain_text("2/3")

    page.locator("[data-testid=plan-issue]").click()
    expect(page.locator("[data-testid=issue-warning]")).to_have_count(0)
    page.locator("[data-testid=issue-confirm]").click()
    page.wait_for_url(live_server.url + plan.get_absolute_url())
    expect(page.locator("[data-testid=plan-number]")).to_contain_text("1-TB/HU")
    expect(page.locator("[data-testid=notice-pdf]")).to_be_visible()
    plan.refresh_from_db()
    assert (plan.status, plan.document_number) == (AssignmentPlan.Status.ISSUED, "1-TB/HU")
    assert not traffic.failures
    assert not traffic.console_errors
