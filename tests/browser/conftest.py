"""Chromium journeys through Playwright against pytest-django's live_server.

Every test here is marked ``browser`` (`make test` runs them in their own pytest run, without xdist).
The live server serves static files through django.contrib.staticfiles, so the pages load the same
local Bootstrap, icons and htmx as in production; a request to any other host fails the test.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import ConsoleMessage, Page, Request, Response

from tests.conftest import PASSWORD, require

CHROMIUM = "/usr/bin/chromium"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
BASE_URL_WARNING = "Session-scoped fixtures defined as instance methods are deprecated"
# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a
# thread with a running loop unless told this is safe (it is: the test thread owns its connection).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def pytest_collection_modifyitems(config, items) -> None:
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            # pytest-playwright 0.10's fallback base_url fixture trips a pytest 9 deprecation; not ours.
            item.add_marker(pytest.mark.filterwarnings(f"ignore:{BASE_URL_WARNING}"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """The distribution's Chromium: Playwright may not download a browser build of its own."""
    require(os.path.exists(CHROMIUM), f"{CHROMIUM} is missing (make system-deps installs it)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@dataclass
class Traffic:
    """What the page asked for and what the console said."""

    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.failures.append(f"{response.status} {response.url}")

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def foreign(self) -> list[str]:
        return [url for url in self.requests if not is_local(url)]


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in LOCAL_HOSTS


@pytest.fixture
def traffic(page: Page) -> Iterator[Traffic]:
    """Records every request of the page; any request to another host fails the test."""
    recorded = Traffic()
    page.on("request", recorded.on_request)
    page.on("response", recorded.on_response)
    page.on("console", recorded.on_console)
    yield recorded
    assert not recorded.foreign(), f"requests left the machine: {recorded.foreign()}"


@pytest.fixture
def login(traffic: Traffic) -> Callable:
    """``login(page, live_server, user)``: log in through the form, as a person would."""

    def log_in(page: Page, live_server, user, password: str = PASSWORD) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.get_username())
        page.fill("input[name=password]", password)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")

    return log_in


@pytest.fixture
def click_nav() -> Callable:
    """``click_nav(page, "reports:dashboard")``: follow a menu entry as a person would.

    Opens the collapsed menu on a narrow screen and the entry's section when it sits in a dropdown.
    """

    def click(page: Page, url_name: str) -> None:
        toggler = page.locator(".navbar-toggler")
        if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
            toggler.click()
        entry = f"[data-nav='{url_name}']"
        link = page.locator(f"[data-testid=nav] {entry}")
        # ``has`` matches inside the section, so it takes the entry alone, not the path from the menu.
        section = page.locator("[data-testid=nav] [data-nav-section]").filter(has=page.locator(entry))
        if section.count() and not link.is_visible():
            section.locator("[data-bs-toggle=dropdown]").click()
        link.click()

    return click
