"""Reading the dashboard and its lists as a person sees them (tests/reports/coverage/test_dashboard*.py)."""

from __future__ import annotations

import json
from io import BytesIO

import lxml.html
from django.urls import reverse
from openpyxl import load_workbook

from reports.coverage.dashboard import committee_lines, table_lines
from reports.coverage.selectors import Coverage

DASHBOARD = "reports:dashboard"
CELLS = "reports:coverage_cells"


def get_page(client, name: str = DASHBOARD, query: str = ""):
    response = client.get(reverse(name) + query)
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content)


def follow(client, href: str):
    """The page a link of the dashboard leads to (a path with its query)."""
    response = client.get(href)
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content)


def figures(doc) -> dict[str, tuple[int, int, int, str]]:
    """Every line of the coverage and committee tables: data-line → (cells, covered, not covered, text)."""
    lines = {}
    rows = doc.xpath("//*[@data-testid='coverage-table' or @data-testid='committee-table']//tbody/tr")
    for row in rows:
        numbers = [int(figure(row, key)) for key in FIGURE_KEYS]
        lines[row.get("data-line")] = (*numbers, figure(row, "text"))
    return lines


def figure(element, key: str) -> str:
    """The text of the one element marked data-figure=key inside ``element``."""
    (found,) = element.xpath(f".//*[@data-figure='{key}']")
    return found.text_content().strip()


def figure_link(element, key: str) -> str:
    (found,) = element.xpath(f".//a[@data-figure='{key}']")
    return found.get("href")


FIGURE_KEYS = ("cells", "covered", "not-covered")


def expected(cov: Coverage) -> dict[str, tuple[int, int, int, str]]:
    """The same lines straight from coverage(): what the page must show."""
    lines = {}
    for line in table_lines(cov):
        key = line.params.get("tier", "total") + (f"-{line.code}" if line.code else "")
        lines[key] = (line.row.cells, line.row.covered, line.not_covered, line.text)
    for line in committee_lines(cov):
        lines[f"committee-{line.code}"] = (line.row.cells, line.row.covered, line.not_covered, line.text)
    return lines


def cadre_figures(doc) -> tuple[int, int]:
    return int(figure(doc, "cadres-assigned")), int(figure(doc, "cadres-attended"))


def chart(doc, name: str) -> dict:
    return json.loads(doc.get_element_by_id(f"chart-{name}-data").text_content())


def listed_cells(doc) -> dict[str, str]:
    """The coverage cell list: code → the covered column's text."""
    rows = doc.xpath("//*[@data-testid='coverage-cell-table']//tbody/tr[@data-cell]")
    return {row.get("data-cell"): row.xpath("./td")[-1].text_content().strip() for row in rows}


def form_errors(doc) -> list[str]:
    found = doc.xpath(
        "//*[@data-testid='form-errors']//*[contains(@class, 'alert')] | //*[contains(@class, 'invalid-feedback')]"
    )
    return [element.text_content().strip() for element in found]


def sheet_rows(content: bytes) -> list[list]:
    sheet = load_workbook(BytesIO(content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]
