"""The lists behind the dashboard's figures (reports:coverage_cells): every number on the dashboard opens
exactly the cells it counts, the list filters by tier, group, committee and coverage, exports CSV/XLSX,
refuses bad input with a form error and stays inside the user's subtree."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from cells.access.roles import Role
from cells.logins.services import user_create
from reports.coverage.selectors import Period, cells_by_coverage
from tests.conftest import PASSWORD
from tests.reports.coverage.dashboard_pages import (
    CELLS,
    FIGURE_KEYS,
    figures,
    follow,
    form_errors,
    get_page,
    listed_cells,
    sheet_rows,
)
from tests.reports.coverage.dashboard_world import YEAR, build, grow


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def world(tree, personas):
    return build(tree, personas)


@pytest.fixture
def staff_client(client, personas, world):
    client.force_login(personas["staff"])
    return client


def cells_query(query: str) -> str:
    return reverse(CELLS) + query


@pytest.mark.parametrize("query", ["?year=2026", "?year=2026&quarter=1", "?year=2026&basis=assigned"])
def test_every_figure_opens_the_cells_it_counts(staff_client, world, query):
    doc = get_page(staff_client, query=query)
    shown = figures(doc)
    rows = doc.xpath("//*[@data-testid='coverage-table' or @data-testid='committee-table']//tbody/tr")
    assert len(rows) == len(shown) > 10
    for row in rows:
        for position, key in enumerate(FIGURE_KEYS):
            (link,) = row.xpath(f".//a[@data-figure='{key}']")
            listed = listed_cells(follow(staff_client, link.get("href")))
            assert len(listed) == shown[row.get("data-line")][position], (row.get("data-line"), key)
            if key != "cells":
                assert set(listed.values()) <= {"Yes" if key == "covered" else "No"}


def test_the_list_of_one_group_and_tier(staff_client, world):
    tree = world.tree
    doc = get_page(staff_client, CELLS, "?year=2026&quarter=1&tier=subordinate&group=AP_KP")
    assert listed_cells(doc) == {tree.cell.code: "Yes", tree.sibling_cell.code: "No"}
    assert "2 cells of Huyện ủy Hóc Môn, Quarter 1/2026 (Attended)" in doc.text_content()
    covered = get_page(staff_client, CELLS, "?year=2026&quarter=1&tier=subordinate&group=AP_KP&covered=yes")
    assert listed_cells(covered) == {tree.cell.code: "Yes"}
    direct = get_page(staff_client, CELLS, "?year=2026&quarter=2&tier=direct")
    assert listed_cells(direct) == {tree.direct_cell.code: "Yes"}


def test_a_committee_by_code_or_by_key(staff_client, world):
    committee = world.tree.committee
    by_code = listed_cells(get_page(staff_client, CELLS, "?year=2026&committee=XA"))
    by_key = listed_cells(get_page(staff_client, CELLS, f"?year=2026&committee={committee.pk}"))
    assert by_code == by_key == {"XA-AP1": "Yes", "XA-TH": "No"}


def test_the_assigned_basis(staff_client, world):
    doc = get_page(staff_client, CELLS, "?year=2026&basis=assigned&covered=yes")
    assert listed_cells(doc) == {"XA-AP1": "Yes", "XB-AP1": "Yes"}


def test_the_list_matches_the_selector(staff_client, world):
    grow(world, 5)
    doc = get_page(staff_client, CELLS, "?year=2026&month=1&covered=yes")
    expected = cells_by_coverage(root=world.tree.root, period=Period.month(YEAR, 1), covered=True)
    assert set(listed_cells(doc)) == {cell.code for cell in expected} != set()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?group=NOPE", "There is no cell type group NOPE."),
        ("?committee=HU2", "There is no grassroots committee HU2 here."),
        ("?committee=XA-AP1", "There is no grassroots committee XA-AP1 here."),  # a cell, not a committee
        ("?tier=middle", "Select a valid choice. middle is not one of the available choices."),
        ("?covered=maybe", "Select a valid choice. maybe is not one of the available choices."),
        ("?year=2026&quarter=2&month=4", "Pick a quarter or a month, not both."),
        ("?date_from=2026-03-01&date_to=2026-02-01", "The period starts after it ends."),
    ],
)
def test_bad_parameters_are_form_errors(staff_client, world, query, message):
    doc = get_page(staff_client, CELLS, query)
    assert message in form_errors(doc)
    assert not listed_cells(doc)
    export = staff_client.get(cells_query(query + "&export=csv"))
    assert export.status_code == 200 and export["Content-Type"].startswith("text/html")


def test_csv_and_xlsx_of_the_list(staff_client, world):
    query = "?year=2026&quarter=1&tier=subordinate&group=AP_KP&sort=code"
    csv = staff_client.get(cells_query(query + "&export=csv"))
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Code,Name,Parent,Cell type,Group,Covered"
    assert lines[1].startswith("XA-AP1,") and lines[1].endswith(",Yes")
    assert lines[2].startswith("XB-AP1,") and lines[2].endswith(",No")
    assert len(lines) == 3
    xlsx = staff_client.get(cells_query(query + "&export=xlsx"))
    rows = sheet_rows(xlsx.content)
    assert [row[0] for row in rows] == ["Code", "XA-AP1", "XB-AP1"]
    assert [row[-1] for row in rows[1:]] == ["Yes", "No"]


def test_a_committee_staff_lists_only_its_cells(client, tree, world):
    user = user_create(
        username="xa-staff", password=PASSWORD, role=Role.ORGANIZATION_STAFF, scope=tree.committee
    )
    client.force_login(user)
    assert set(listed_cells(get_page(client, CELLS, "?year=2026"))) == {"XA-AP1", "XA-TH"}
    doc = get_page(client, CELLS, "?year=2026&committee=XB")
    assert "There is no grassroots committee XB here." in form_errors(doc)


def test_an_outsider_lists_its_own_cells(client, personas, world):
    client.force_login(personas["outsider"])
    assert listed_cells(get_page(client, CELLS, "?year=2026")) == {"HU2-AP": "Yes"}
    doc = get_page(client, CELLS, f"?year=2026&committee={world.tree.committee.pk}")
    assert f"There is no grassroots committee {world.tree.committee.pk} here." in form_errors(doc)


def test_only_get(staff_client, world):
    assert staff_client.post(cells_query("?year=2026")).status_code == 405


LIST_QUERIES = 12


def _list_queries(client, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(LIST_QUERIES) as captured:
        response = client.get(cells_query("?year=2026&committee=XA&group=AP_KP&covered=yes"))
    assert response.status_code == 200
    return len(captured)


def test_the_list_query_count_does_not_grow(staff_client, world, django_assert_max_num_queries):
    small = _list_queries(staff_client, django_assert_max_num_queries)
    grow(world, 60)  # more than a page
    large = _list_queries(staff_client, django_assert_max_num_queries)
    assert small == large
