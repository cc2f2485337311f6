"""Browser journey of an invitation: organization staff invite a cadre from the cadre's page; the cadre
opens the link of the e-mail, chooses a password and lands signed in on their own page, on a 360 px
phone and on a desktop screen."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from assignments.models import Cadre
from cells.access.roles import Role
from cells.logins.services import user_create
from tests.cells.logins.helpers import NEW_PASSWORD, link_in
from tests.factories import CadreFactory, OrganizationFactory

pytestmark = pytest.mark.browser

SCREENS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1366, "height": 900}}


@pytest.fixture
def office(transactional_db):
    root = OrganizationFactory(code="HU", name="Huyện ủy Hóc Môn", place_name="Hóc Môn")
    staff = user_create(
        username="tochuc", password="Mat-khau-to-chuc-2026", role=Role.ORGANIZATION_STAFF, scope=root,
        full_name="Võ Văn Tổ",
    )  # fmt: skip
    cadre = CadreFactory(code="CB01", full_name="Nguyễn Thị Hoa", email="hoa@hocmon.vn", organization=root)
    return staff, cadre


@pytest.mark.parametrize("screen", SCREENS, ids=list(SCREENS))
def test_staff_invite_a_cadre_who_sets_a_password_and_sees_their_page(
    page: Page, live_server, login, traffic, office, screen
):
    staff, cadre = office
    page.set_viewport_size(SCREENS[screen])
    mail.outbox.clear()
    login(page, live_server, staff, password="Mat-khau-to-chuc-2026")

    page.goto(live_server.url + reverse("assignments:cadre_detail", args=[cadre.code]))
    expect(page.get_by_test_id("login-state")).to_have_text("Chưa có tài khoản")
    page.get_by_test_id("cadre-invite").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã gửi thư mời đến hoa@hocmon.vn.")
    expect(page.get_by_test_id("login-state")).to_contain_text("chưa đăng nhập")

    [message] = [message for message in mail.outbox if message.to == ["hoa@hocmon.vn"]]
    assert "Kính gửi đồng chí Nguyễn Thị Hoa," in message.body
    page.context.clear_cookies()  # the cadre opens the e-mail on their own device
    page.goto(live_server.url + link_in(message))
    expect(page.locator("h1")).to_have_text("Chọn mật khẩu")
    expect(page.locator("main")).to_contain_text("Tên đăng nhập: hoa@hocmon.vn")
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    page.get_by_role("button", name="Đặt mật khẩu").click()

    page.wait_for_url(live_server.url + reverse("assignments:my_visits"))
    expect(page.locator("main")).to_contain_text("Đã đặt mật khẩu, đồng chí đã đăng nhập.")
    expect(page.get_by_test_id("cadre-name")).to_contain_text("Nguyễn Thị Hoa")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SCREENS[screen]["width"], f"the page is {width}px wide"
    assert Cadre.objects.get(code="CB01").user.has_usable_password()
    assert not traffic.failures and not traffic.console_errors
