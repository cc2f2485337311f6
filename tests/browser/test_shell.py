"""The shell in a real browser: each role's menu, the language switch, logging out, local assets."""

from __future__ import annotations

import re

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import Page, expect

from cells.access.roles import Role
from cells.logins.services import user_create
from tests.conftest import PASSWORD

# URL names of later milestones: in the menu exactly when their page exists.
LATER = {"assignments:plan_list", "assignments:my_visits"}
MENUS = {
    Role.ORGANIZATION_STAFF: [
        "home", "cells:tree", "cells:cell_list", "cells:member_list", "cells:meeting_list",
        "assignments:cadre_list", "cells:import_upload", "cells:login_list", "assignments:plan_list",
        "assignments:visit_list", "assignments:note_review_list", "assignments:escalation_list", "assignments:operations",
        "reports:dashboard", "reports:compliance", "reports:report_list",
    ],
    Role.LEADERSHIP: [
        "home", "cells:tree", "cells:cell_list", "cells:member_list", "cells:meeting_list",
        "assignments:cadre_list", "assignments:plan_list", "assignments:visit_list",
        "assignments:note_review_list", "assignments:escalation_list", "reports:dashboard",
        "reports:compliance", "reports:report_list",
    ],
    Role.CADRE: ["home", "assignments:my_visits", "assignments:my_meetings", "assignments:my_notes",
                 "assignments:note_unplanned"],
    Role.GRASSROOTS_STAFF: ["home", "cells:tree", "cells:cell_list", "cells:meeting_list",
                            "assignments:assigned_cadres"],
}  # fmt: skip
NEVER = {
    Role.LEADERSHIP: ["cells:import_upload", "cells:login_list", "assignments:my_visits", "assignments:operations"],
    Role.CADRE: ["cells:meeting_list", "cells:tree", "cells:cell_list", "cells:member_list", "assignments:cadre_list",
                 "cells:import_upload", "assignments:visit_list", "reports:compliance", "reports:report_list",
                 "assignments:operations"],
    Role.GRASSROOTS_STAFF: ["cells:member_list", "assignments:cadre_list", "cells:import_upload",
                            "assignments:plan_list", "assignments:visit_list", "assignments:my_visits",
                            "assignments:note_review_list", "assignments:escalation_list", "reports:dashboard",
                            "reports:compliance", "reports:report_list", "assignments:operations"],
    Role.ORGANIZATION_STAFF: ["assignments:my_visits"],
}  # fmt: skip
BOOTSTRAP_LIGHT = "rgb(248, 249, 250)"  # .btn-light in Bootstrap 5.3
APP_NAVBAR = "rgb(165, 14, 14)"  # static/css/app.css


def exists(url_name: str) -> bool:
    try:
        reverse(url_name)
    except NoReverseMatch:
        return False
    return True


def expected_menu(role: Role) -> list[str]:
    return [name for name in MENUS[role] if name not in LATER or exists(name)]


def menu(page: Page) -> list[str]:
    return page.locator("[data-testid=nav] [data-nav]").evaluate_all(
        "links => links.map(link => link.dataset.nav)"
    )


def switch_language(page: Page, code: str) -> None:
    page.click(f"[data-testid=language-switcher] button[value={code}]")
    expect(page.locator("html")).to_have_attribute("lang", code)


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_each_role_sees_its_menu_switches_language_and_logs_out(
    page: Page, live_server, login, traffic, tree, role
):
    scope = tree.committee if role == Role.GRASSROOTS_STAFF else tree.root
    user = user_create(username=f"u-{role.value}", password=PASSWORD, role=role, scope=scope)

    login(page, live_server, user)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_contain_text("Xin chào")
    assert menu(page) == expected_menu(role)
    for name in NEVER[role]:
        assert name not in menu(page)
    expect(page.locator("[data-nav=home]")).to_have_text("Trang chủ")
    expect(page.locator("[data-nav=home]")).to_have_attribute("aria-current", "page")

    switch_language(page, "en")
    expect(page.locator("h1")).to_contain_text("Welcome")
    expect(page.locator("[data-nav=home]")).to_have_text("Home")
    assert menu(page) == expected_menu(role)
    page.click("[data-testid=user-menu]")  # Bootstrap's dropdown: needs its JavaScript
    expect(page.locator("[data-testid=logout]")).to_be_visible()
    expect(page.locator("[data-testid=logout]")).to_have_text("Log out")
    page.keyboard.press("Escape")

    switch_language(page, "vi")
    expect(page.locator("[data-nav=home]")).to_have_text("Trang chủ")
    page.click("[data-testid=user-menu]")
    expect(page.locator("[data-testid=logout]")).to_have_text("Đăng xuất")
    page.click("[data-testid=logout]")
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    expect(page.locator("main h1")).to_have_text("Đăng nhập")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    assert traffic.console_errors == []


def menu_rows(page: Page) -> dict:
    """The top-level entries of the menu: how many lines their labels and the row itself take."""
    return page.locator("[data-testid=nav]").evaluate(
        """nav => {
            const entries = [...nav.children].map(item => item.firstElementChild.getBoundingClientRect());
            const line = parseFloat(getComputedStyle(nav.firstElementChild.firstElementChild).lineHeight);
            return {
                rows: new Set(entries.map(box => Math.round(box.top))).size,
                wrapped: entries.filter(box => box.height > 2 * line).length,
            };
        }"""
    )


def test_staff_menu_fits_one_line_and_its_sections_open_by_keyboard(
    page: Page, live_server, login, click_nav, traffic, tree
):
    page.set_viewport_size({"width": 1280, "height": 900})
    user = user_create(username="wide", password=PASSWORD, role=Role.ORGANIZATION_STAFF, scope=tree.root)
    login(page, live_server, user)
    assert menu_rows(page) == {"rows": 1, "wrapped": 0}
    organization = page.locator("[data-nav-section=organization] > [data-bs-toggle=dropdown]")
    expect(organization).to_have_text("Tổ chức")
    expect(page.locator("[data-nav='cells:tree']")).to_be_hidden()

    page.focus("[data-nav=home]")
    page.keyboard.press("Tab")
    expect(organization).to_be_focused()
    page.keyboard.press("Enter")
    expect(organization).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    expect(page.locator("[data-nav='cells:tree']")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("[data-nav='cells:tree']")).to_be_hidden()
    expect(organization).to_be_focused()

    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("[data-nav='cells:cell_list']")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}{reverse('cells:cell_list')}")
    expect(page.locator("[data-nav='cells:cell_list']")).to_have_attribute("aria-current", "page")
    expect(page.locator("[data-nav=home]")).not_to_have_attribute("aria-current", "page")
    expect(organization).to_have_class(re.compile(r"\bactive\b"))
    expect(organization).to_have_attribute("aria-current", "true")
    reports = page.locator("[data-nav-section=reports] > [data-bs-toggle=dropdown]")
    expect(reports).not_to_have_class(re.compile(r"\bactive\b"))

    switch_language(page, "en")
    expect(organization).to_have_text("Organization")
    assert menu_rows(page) == {"rows": 1, "wrapped": 0}

    page.set_viewport_size({"width": 360, "height": 740})  # on a phone: the collapsed menu, then the section
    click_nav(page, "reports:compliance")
    page.wait_for_url(f"{live_server.url}{reverse('reports:compliance')}")
    expect(reports).to_have_class(re.compile(r"\bactive\b"))
    assert traffic.console_errors == []


def test_a_cadres_phone_menu_is_flat(page: Page, live_server, login, click_nav, traffic, tree):
    page.set_viewport_size({"width": 360, "height": 740})
    user = user_create(username="phone", password=PASSWORD, role=Role.CADRE, scope=tree.root)
    login(page, live_server, user)
    expect(page.locator("[data-testid=nav] [data-bs-toggle=dropdown]")).to_have_count(0)
    page.click(".navbar-toggler")
    for name in expected_menu(Role.CADRE):
        expect(page.locator(f"[data-nav='{name}']")).to_be_visible()
    click_nav(page, "assignments:my_meetings")
    page.wait_for_url(f"{live_server.url}{reverse('assignments:my_meetings')}")
    expect(page.locator("[data-nav='assignments:my_meetings']")).to_have_attribute("aria-current", "page")
    assert traffic.console_errors == []


def assert_assets_applied(page: Page) -> None:
    styles = page.evaluate(
        """async () => {
            await document.fonts.ready;
            const css = (selector, name) => getComputedStyle(document.querySelector(selector))[name];
            return {
                button: css("[data-testid=language-switcher] .btn-light", "backgroundColor"),
                navbar: css(".app-navbar", "backgroundColor"),
                container: css("main", "paddingTop"),
                bootstrap: typeof window.bootstrap?.Dropdown,
                htmx: typeof window.htmx?.ajax,
                icons: document.fonts.check("1em bootstrap-icons"),
            };
        }"""
    )
    assert styles == {
        "button": BOOTSTRAP_LIGHT,
        "navbar": APP_NAVBAR,
        "container": "16px",  # .py-3
        "bootstrap": "function",
        "htmx": "function",
        "icons": True,
    }


def test_login_and_home_pages_load_only_local_assets(page: Page, live_server, login, traffic, tree):
    user = user_create(username="assets", password=PASSWORD, role=Role.ORGANIZATION_STAFF, scope=tree.root)
    page.goto(f"{live_server.url}/accounts/login/")
    page.wait_for_load_state("networkidle")
    assert_assets_applied(page)

    login(page, live_server, user)
    page.wait_for_load_state("networkidle")
    assert_assets_applied(page)

    static = [url for url in traffic.requests if "/static/" in url]
    for asset in (
        "vendor/bootstrap/css/bootstrap.min.css",
        "vendor/bootstrap/js/bootstrap.bundle.min.js",
        "vendor/bootstrap-icons/bootstrap-icons.min.css",
        "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
        "django_htmx/htmx-2.min.js",
        "css/app.css",
    ):
        assert any(asset in url for url in static), f"{asset} was not loaded"
    assert traffic.failures == []
    assert traffic.console_errors == []  # a CSP violation would show here


def test_the_console_check_sees_a_csp_violation(page: Page, live_server, traffic, db):
    """The strict CSP blocks inline scripts, and the recorder above would report it."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true";
            document.head.appendChild(script);
        }"""
    )
    assert page.evaluate("window.inlineRan === undefined")
    assert any("Content Security Policy" in message for message in traffic.console_errors)
