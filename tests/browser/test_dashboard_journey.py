"""Leadership opens the coverage dashboard, changes the quarter (the table and the chart follow without a
page reload), then clicks a figure and lands on the cells behind it. Chart.js comes from the app itself
and the strict CSP holds: no request leaves the machine, no console error."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.reports.coverage.dashboard_world import build

pytestmark = pytest.mark.browser

GROUPS_CHART = """() => Chart.getChart(document.querySelector('canvas[data-chart=groups]')).data.datasets.map(d => d.data)"""


def wait_for_chart(page: Page, data: list[list[float]]) -> None:
    """Until the groups chart on the page (a new canvas after each swap) shows ``data``."""
    page.wait_for_function(
        "expected => { const chart = window.Chart && Chart.getChart(document.querySelector('canvas[data-chart=groups]'));"
        " return !!chart && JSON.stringify(chart.data.datasets.map(d => d.data)) === expected; }",
        arg=json.dumps(data, separators=(",", ":")),
    )


def chart_data(page: Page) -> list[list[float]]:
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart=groups]'))"
    )
    return page.evaluate(GROUPS_CHART)


def row(page: Page, line: str):
    return page.locator(f"[data-testid=coverage-table] tr[data-line='{line}']")


def test_leadership_changes_the_quarter_and_opens_the_cells_behind_a_figure(
    page: Page, live_server, login, click_nav, traffic, tree, personas
):
    build(tree, personas)
    login(page, live_server, personas["leader"])
    click_nav(page, "reports:dashboard")
    page.wait_for_url(f"{live_server.url}{reverse('reports:dashboard')}")
    page.goto(f"{live_server.url}{reverse('reports:dashboard')}?year=2026")
    expect(row(page, "total").locator("[data-figure=text]")).to_have_text("3/4 = 75%")
    assert chart_data(page) == [[0, 0, 100], [100, 0, 0]]

    # Quarter 1: only XA-AP1 was attended. The picker swaps the figures in place (htmx) and the URL follows.
    page.select_option("select[name=quarter]", "1")
    page.wait_for_url("**quarter=1**")
    expect(row(page, "total").locator("[data-figure=text]")).to_have_text("1/4 = 25%")
    expect(row(page, "subordinate-AP_KP").locator("[data-figure=covered]")).to_have_text("1")
    expect(page.locator("#coverage-heading")).to_contain_text("Quý 1/2026")
    wait_for_chart(page, [[0, 0, 0], [50, 0, 0]])
    assert chart_data(page) == [[0, 0, 0], [50, 0, 0]]

    # Quarter 2: HU-CQ (direct, agency) and XB-AP1.
    page.select_option("select[name=quarter]", "2")
    page.wait_for_url("**quarter=2**")
    expect(row(page, "total").locator("[data-figure=text]")).to_have_text("2/4 = 50%")
    wait_for_chart(page, [[0, 0, 100], [50, 0, 0]])
    assert chart_data(page) == [[0, 0, 100], [50, 0, 0]]

    # The covered figure of the total opens exactly those two cells.
    row(page, "total").locator("a[data-figure=covered]").click()
    page.wait_for_url(f"**{reverse('reports:coverage_cells')}?**")
    listed = page.locator("[data-testid=coverage-cell-table] tbody tr[data-cell]")
    expect(listed).to_have_count(2)
    assert sorted(listed.evaluate_all("rows => rows.map(r => r.dataset.cell)")) == ["HU-CQ", "XB-AP1"]
    expect(page.locator("[data-testid=coverage-cells-summary]")).to_contain_text("Quý 2/2026")

    # Back twice: the second quarter, then the first, each drawn again.
    page.go_back()
    expect(row(page, "total").locator("[data-figure=text]")).to_have_text("2/4 = 50%")
    wait_for_chart(page, [[0, 0, 100], [50, 0, 0]])
    page.go_back()
    page.wait_for_url("**quarter=1**")
    expect(row(page, "total").locator("[data-figure=text]")).to_have_text("1/4 = 25%")
    wait_for_chart(page, [[0, 0, 0], [50, 0, 0]])

    assert any("/static/vendor/chartjs/chart.umd.min.js" in url for url in traffic.requests)
    assert traffic.failures == []
    assert traffic.console_errors == []  # a CSP violation would show here


def test_without_javascript_the_picker_reloads_the_page(
    browser, browser_context_args, live_server, tree, personas
):
    """The picker is a plain GET form: with JavaScript off it submits and the page shows the quarter."""
    build(tree, personas)
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", personas["leader"].get_username())
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.goto(f"{live_server.url}{reverse('reports:dashboard')}?year=2026")
    page.select_option("select[name=quarter]", "2")
    page.click("[data-testid=period-submit]")
    page.wait_for_url("**quarter=2**")
    expect(row(page, "total").locator("[data-figure=text]")).to_have_text("2/4 = 50%")
    context.close()
