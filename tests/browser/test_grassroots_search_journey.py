"""A commune's office looks up one of its cells by typing without diacritics ("tan xuan") and lands on the
cell's meeting schedule, on a desktop and on a 360 px phone. Cells named alike in other communes
("Chi bộ Ấp 4") read with their committee's name, so the right one is plain to see."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from cells.access.roles import Role
from cells.logins.services import user_create
from cells.meetings.services import meeting_create, schedule_set
from tests.conftest import PASSWORD
from tests.factories import CellFactory, OrganizationFactory

pytestmark = pytest.mark.browser

SCREENS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 360, "height": 740}}
AP3 = "Chi bộ Ấp 3 – Đảng bộ xã Tân Xuân"
AP4 = "Chi bộ Ấp 4 – Đảng bộ xã Tân Xuân"
OTHER_AP4 = "Chi bộ Ấp 4 – Đảng bộ xã Tân Hiệp"


@pytest.fixture
def commune(tree):
    """Tân Xuân with two cells (Ấp 3 has a schedule and a meeting ahead), its office's login, and Tân
    Hiệp next door with its own "Chi bộ Ấp 4"."""
    tan_xuan = OrganizationFactory(code="TX", name="Đảng bộ xã Tân Xuân", parent=tree.root)
    tan_hiep = OrganizationFactory(code="TH", name="Đảng bộ xã Tân Hiệp", parent=tree.root)
    ap3 = CellFactory(code="TX-AP3", name="Chi bộ Ấp 3", parent=tan_xuan)
    CellFactory(code="TX-AP4", name="Chi bộ Ấp 4", parent=tan_xuan)
    CellFactory(code="TH-AP4", name="Chi bộ Ấp 4", parent=tan_hiep)
    schedule_set(cell=ap3, day=5, start_time=datetime.time(19, 30), place="Nhà văn hóa Ấp 3")
    meeting_day = timezone.localdate() + datetime.timedelta(days=10)
    meeting_create(cell=ap3, date=meeting_day, start_time=datetime.time(19, 30), place="Nhà văn hóa Ấp 3")
    user = user_create(
        username="vanphongtanxuan",
        password=PASSWORD,
        role=Role.GRASSROOTS_STAFF,
        scope=tan_xuan,
        full_name="Phạm Thị Thu",
    )
    return {"user": user, "meeting_day": meeting_day}


@pytest.fixture(params=list(SCREENS))
def screen_page(request, browser: Browser, browser_context_args: dict, traffic) -> Iterator[Page]:
    """A Vietnamese browser at desktop or phone size (the traffic fixture's page is not used here)."""
    context = browser.new_context(**browser_context_args, locale="vi-VN", viewport=SCREENS[request.param])
    page = context.new_page()
    page.on("request", traffic.on_request)
    yield page
    context.close()


def log_in(page: Page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.get_username())
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def assert_fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport or viewport > 1000, f"the page is {width}px wide on a {viewport}px screen"


def search(page: Page, text: str) -> None:
    field = page.locator("main form[method=get] input[name=q]")
    field.fill(text)
    field.press("Enter")
    page.wait_for_load_state()


def test_the_office_finds_its_cell_without_diacritics_and_opens_its_schedule(
    screen_page: Page, live_server, click_nav, commune, tmp_path
):
    page = screen_page
    log_in(page, live_server, commune["user"])
    click_nav(page, "cells:cell_list")
    search(page, "tan xuan")

    table = page.locator("[data-testid=cell-table]")
    expect(table).to_contain_text(AP3)
    expect(table).to_contain_text(AP4)
    expect(table).not_to_contain_text(OTHER_AP4)  # another commune's cell stays out of its office's sight
    search(page, "ấp 3")
    expect(table.locator("tbody tr")).to_have_count(1)
    page.screenshot(path=str(tmp_path / "cells-search.png"), full_page=True)
    assert_fits(page)

    table.get_by_role("link", name=AP3).click()
    expect(page.locator("[data-testid=organization-title]")).to_have_text(AP3)
    schedule = page.locator("[data-testid=schedule]")
    expect(schedule).to_contain_text("ngày 5 hằng tháng, lúc 19:30")
    expect(schedule).to_contain_text("Nhà văn hóa Ấp 3")
    expect(page.locator("[data-testid=upcoming-meetings]")).to_contain_text(
        commune["meeting_day"].strftime("%d/%m/%Y")
    )
    page.screenshot(path=str(tmp_path / "cell-schedule.png"), full_page=True)
    assert_fits(page)


def test_the_office_finds_its_meetings_without_diacritics_and_reaches_the_schedule(
    screen_page: Page, live_server, click_nav, commune
):
    page = screen_page
    log_in(page, live_server, commune["user"])
    click_nav(page, "cells:meeting_list")
    search(page, "TAN XUAN ap 3")

    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(AP3)
    assert_fits(page)

    rows.first.get_by_role("link", name=commune["meeting_day"].strftime("%d/%m/%Y")).click()
    expect(page.locator("main h1")).to_contain_text(AP3)
    page.get_by_role("link", name="Lịch sinh hoạt").first.click()
    page.wait_for_url(live_server.url + reverse("cells:schedule_edit", args=["TX-AP3"]))
    expect(page.locator("main")).to_contain_text(AP3)
    expect(page.locator("input[name=place]")).to_have_value("Nhà văn hóa Ấp 3")
    assert_fits(page)
