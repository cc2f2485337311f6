"""A cadre on a 360 px phone: their page fits the screen (no horizontal scroll), the touch targets are large,
and the calendar link they make serves their visit."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from assignments.models import Assignment, Visit
from tests.assignments.cadre_pages.factories import meeting, plan, visit
from tests.factories import CellFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
LONG_PLACE = "Hội trường Văn phòng Ấp Tân Thới Nhì, số 123/45 đường Nguyễn Ảnh Thủ, xã Xuân Thới Sơn"


@pytest.fixture
def phone_cadre(tree, personas):
    """CAD1 with this year's cells, upcoming meetings with long places, a planned visit and one to re-date."""
    today = timezone.localdate()
    cadre = personas["cadre"].cadre
    issued = plan(tree.root, today.year)
    long_named = CellFactory(
        code="XA-KP-VERY-LONG-CODE-0001",
        name="Chi bộ Khu phố Tân Thới Nhì và các tổ dân phố liền kề số một hai ba",
        parent=tree.committee,
    )
    for cell in (tree.cell, tree.cell2, long_named):
        Assignment.objects.create(plan=issued, cadre=cadre, cell=cell)
        for weeks in (1, 5, 9):
            meeting(cell, today + datetime.timedelta(weeks=weeks), place=LONG_PLACE)
    planned = meeting(tree.cell, today + datetime.timedelta(days=3), place="Hội trường ấp 1")
    visit(cadre, planned)
    visit(cadre, None, Visit.Status.NEEDS_DATE, cell=tree.cell2)
    return personas["cadre"]


def assert_fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px screen"


def test_cadre_page_fits_a_phone_and_the_calendar_link_works(
    page: Page, live_server, login, traffic, phone_cadre, tmp_path
):
    page.set_viewport_size(PHONE)
    login(page, live_server, phone_cadre)

    page.goto(live_server.url + reverse("assignments:my_visits"))
    expect(page.locator("[data-testid=planned-visits] [data-visit]")).to_have_count(1)
    expect(page.locator("[data-testid=planned-visits]")).to_contain_text("Hội trường ấp 1")
    expect(page.locator("[data-testid=needs-date-visits] [data-visit]")).to_have_count(1)
    expect(page.locator("[data-testid=my-cell]")).to_have_count(3)
    expect(page.locator("[data-testid=year-glance] [data-month]")).to_have_count(12)
    page.screenshot(path=str(tmp_path / "my-visits-360.png"), full_page=True)
    assert_fits_the_phone(page)
    for target in page.locator("[data-testid=planned-visits] a, [data-testid=my-calendar-link]").all():
        assert target.bounding_box()["height"] >= 44

    page.click("[data-testid=my-calendar-link]")
    page.click("[data-testid=feed-create]")
    feed_url = page.locator("[data-testid=feed-url]").input_value()
    assert feed_url.startswith(live_server.url + "/feed/") and feed_url.endswith(".ics")
    page.screenshot(path=str(tmp_path / "my-calendar-360.png"), full_page=True)
    assert_fits_the_phone(page)
    for button in page.locator("main .btn").all():
        assert button.bounding_box()["height"] >= 44

    feed = page.request.get(feed_url)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert "Dự sinh hoạt chi bộ ấp 1" in feed.text()

    page.click("[data-testid=feed-revoke]")
    expect(page.locator("[data-testid=revoke-warning]")).to_be_visible()  # it asks first
    assert page.request.get(feed_url).status == 200
    page.click("[data-testid=revoke-confirm]")
    expect(page.locator("[data-testid=no-feed]")).to_be_visible()
    assert page.request.get(feed_url).status == 404
    assert [failure for failure in traffic.failures if feed_url not in failure] == []
    assert traffic.console_errors == []
