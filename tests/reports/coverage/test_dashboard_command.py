"""One period, three outputs: ``coverage_report --format json``, the dashboard page and the dashboard's
XLSX show the same figures (issue: "the command's JSON matches the page and the XLSX")."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from tests.reports.coverage.dashboard_pages import DASHBOARD, cadre_figures, figures, get_page, sheet_rows
from tests.reports.coverage.dashboard_world import build, grow

# The same period written as the command's arguments and as the dashboard's parameters.
PERIODS = [
    (["--year", "2026"], "?year=2026"),
    (["--year", "2026", "--quarter", "1"], "?year=2026&quarter=1"),
    (["--year", "2026", "--month", "5", "--basis", "assigned"], "?year=2026&month=5&basis=assigned"),
    (["--from", "2026-02-06", "--to", "2026-05-15"], "?date_from=2026-02-06&date_to=2026-05-15"),
    (["--year", "2025", "--basis", "assigned"], "?year=2025&basis=assigned"),
]
FRACTION = re.compile(r"^(\d+)/(\d+) = ([\d.]+)%$")


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def world(tree, personas):
    world = build(tree, personas)
    grow(world, 7)
    return world


def command_json(args: list[str]) -> dict:
    out = StringIO()
    call_command("coverage_report", "--root", "HU", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def json_lines(data: dict) -> dict[str, tuple[int, int, float]]:
    """The command's figures keyed like the page's rows (data-line)."""
    lines = {}
    for tier in ("direct", "subordinate"):
        lines[tier] = _numbers(data[tier])
        for group in data[tier]["groups"]:
            lines[f"{tier}-{group['code']}"] = _numbers(group)
    lines["total"] = _numbers(data["total"])
    for committee in data["committees"]:
        lines[f"committee-{committee['code']}"] = _numbers(committee)
    return lines


def _numbers(row: dict) -> tuple[int, int, float]:
    return row["cells"], row["covered"], row["percent"]


def page_lines(doc) -> dict[str, tuple[int, int, float]]:
    """The page's rows as numbers: cells and covered from their links, the percent from the official text."""
    lines = {}
    for key, (cells, covered, not_covered, text) in figures(doc).items():
        if cells == 0:  # a share of nothing reads "—", as the command's 0.0 means none
            assert text == "—" and covered == not_covered == 0
            lines[key] = (0, 0, 0.0)
            continue
        match = FRACTION.match(text)
        assert match, text
        assert (int(match[1]), int(match[2])) == (covered, cells) and not_covered == cells - covered
        lines[key] = (cells, covered, float(match[3]))
    return lines


def xlsx_lines(rows: list[list]) -> list[tuple[str, int, int, float]]:
    """Every table row of the workbook: (code, cells, covered, percent), in the sheet's order."""
    return [
        (row[1] or "", row[2], row[3], row[4]) for row in rows if len(row) >= 5 and isinstance(row[2], int)
    ]


def json_in_sheet_order(data: dict) -> list[tuple[str, int, int, float]]:
    lines = []
    for tier in ("direct", "subordinate"):
        lines.append(("", *_numbers(data[tier])))
        lines.extend((group["code"], *_numbers(group)) for group in data[tier]["groups"])
    lines.append(("", *_numbers(data["total"])))
    lines.extend((committee["code"], *_numbers(committee)) for committee in data["committees"])
    return lines


@pytest.mark.parametrize(("args", "query"), PERIODS, ids=[query for _args, query in PERIODS])
def test_the_command_the_page_and_the_xlsx_agree(client, personas, world, args, query):
    data = command_json(args)
    client.force_login(personas["leader"])
    doc = get_page(client, query=query)

    assert page_lines(doc) == json_lines(data)
    assert cadre_figures(doc) == (data["cadres"]["assigned"], data["cadres"]["attended"])
    start, end = data["from"], data["to"]
    assert f"{start[8:10]}/{start[5:7]}/{start[:4]}" in doc.text_content()
    assert f"{end[8:10]}/{end[5:7]}/{end[:4]}" in doc.text_content()

    workbook = client.get(reverse(DASHBOARD) + query + "&export=xlsx")
    rows = sheet_rows(workbook.content)
    assert xlsx_lines(rows) == json_in_sheet_order(data)
    by_label = {row[0]: row for row in rows if row and row[0]}
    assert (by_label["Cadres assigned"][1], by_label["Cadres who attended"][1]) == (
        data["cadres"]["assigned"],
        data["cadres"]["attended"],
    )
