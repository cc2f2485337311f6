"""Browser journey: organization staff import a spreadsheet of organizations and find the new cell."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from cells.access.roles import Role
from cells.logins.services import user_create
from tests.conftest import PASSWORD
from tests.factories import OrganizationFactory, cell_type

pytestmark = pytest.mark.browser

ORGANIZATIONS_CSV = (
    "\ufeffcode,name,kind,parent_code,cell_type_code\n"
    "XN-AP7,Chi bộ ấp 7,cell,XN,AP\n"  # the child comes before its parent, as spreadsheets often have it
    "XN,Đảng bộ xã Nhị Bình,committee,HU,\n"
)


@pytest.fixture
def import_staff(transactional_db):
    cell_type("AP")  # live_server flushes the migration data: re-create what the journey needs
    root = OrganizationFactory(code="HU", name="Huyện ủy Hóc Môn")
    return user_create(username="import-staff", password=PASSWORD, role=Role.ORGANIZATION_STAFF, scope=root)


def test_staff_imports_organizations_and_finds_the_new_cell(
    page: Page, live_server, import_staff, login, traffic
):
    login(page, live_server, import_staff)

    page.goto(live_server.url + reverse("cells:import_upload"))
    form = page.locator("[data-testid=import-form]")
    form.locator("select[name=kind]").select_option("organizations")
    form.locator("input[name=file]").set_input_files(
        files=[{"name": "to-chuc.csv", "mimeType": "text/csv", "buffer": ORGANIZATIONS_CSV.encode("utf-8")}]
    )
    form.locator("button[type=submit]").click()

    expect(page.locator("[data-count=created]")).to_contain_text("2")
    expect(page.locator("[data-section=created] tbody tr")).to_have_count(2)
    page.locator("[data-testid=import-confirm]").click()
    expect(page.locator(".alert-success")).to_contain_text("2")
    assert page.url == live_server.url + reverse("cells:import_upload")

    page.goto(live_server.url + reverse("cells:tree") + "?q=XN-AP7")
    expect(page.locator("input[name=q]")).to_have_value("XN-AP7")
    link = page.locator("a[data-code='XN-AP7']")
    expect(link).to_be_visible()
    expect(link).to_have_text("Chi bộ ấp 7 – Đảng bộ xã Nhị Bình")  # labelled though listed before its parent
    assert not traffic.failures
