"""The coverage dashboard: its numbers are coverage()'s, its pickers change them, bad input is a form
error, every user sees their own subtree, and the query count does not grow with the data."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from cells.access.roles import Role
from cells.logins.services import user_create
from reports.coverage.selectors import Basis, Period, coverage
from tests.conftest import PASSWORD
from tests.reports.coverage.dashboard_pages import (
    DASHBOARD,
    cadre_figures,
    chart,
    expected,
    figure,
    figure_link,
    figures,
    form_errors,
    get_page,
    sheet_rows,
)
from tests.reports.coverage.dashboard_world import YEAR, build, grow

D = datetime.date


@pytest.fixture(autouse=True)
def english(client):
    """The tests read English msgids; Vietnamese is the default language of the pages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def world(tree, personas):
    return build(tree, personas)


@pytest.fixture
def leader_client(client, personas, world):
    client.force_login(personas["leader"])
    return client


PERIODS = {
    "?year=2026": (Period.year(YEAR), Basis.ATTENDED),
    "?year=2026&quarter=1": (Period.quarter(YEAR, 1), Basis.ATTENDED),
    "?year=2026&quarter=2&basis=attended": (Period.quarter(YEAR, 2), Basis.ATTENDED),
    "?year=2026&month=5": (Period.month(YEAR, 5), Basis.ATTENDED),
    "?date_from=2026-02-06&date_to=2026-05-15": (Period(D(2026, 2, 6), D(2026, 5, 15)), Basis.ATTENDED),
    "?year=2026&basis=assigned": (Period.year(YEAR), Basis.ASSIGNED),
    "?year=2025&quarter=1": (Period.quarter(2025, 1), Basis.ATTENDED),
}


# --- The numbers --------------------------------------------------------------------------------------
@pytest.mark.parametrize("query", PERIODS)
def test_the_page_shows_coverage_of_the_picked_period(leader_client, world, query):
    period, basis = PERIODS[query]
    cov = coverage(root=world.tree.root, period=period, basis=basis)
    doc = get_page(leader_client, query=query)
    assert figures(doc) == expected(cov)
    assert cadre_figures(doc) == (cov.cadres_assigned, cov.cadres_attended)


def test_the_figures_worked_out_by_hand(leader_client, world):
    """Q1 2026: only XA-AP1 was attended (05/02 and 04/03); Q2: HU-CQ and XB-AP1."""
    q1 = figures(get_page(leader_client, query="?year=2026&quarter=1"))
    assert q1["total"] == (4, 1, 3, "1/4 = 25%")
    assert q1["direct"] == (1, 0, 1, "0/1 = 0%")
    assert q1["subordinate"] == (3, 1, 2, "1/3 = 33.33%")
    assert q1["subordinate-AP_KP"] == (2, 1, 1, "1/2 = 50%")
    assert q1["subordinate-NG_CQ"] == (1, 0, 1, "0/1 = 0%")
    assert q1["committee-XA"] == (2, 1, 1, "1/2 = 50%")
    assert q1["committee-XB"] == (1, 0, 1, "0/1 = 0%")
    q2 = figures(get_page(leader_client, query="?year=2026&quarter=2"))
    assert q2["total"] == (4, 2, 2, "2/4 = 50%")
    assert q2["direct-NG_CQ"] == (1, 1, 0, "1/1 = 100%")
    assert q2["committee-XB"] == (1, 1, 0, "1/1 = 100%")
    assigned = figures(get_page(leader_client, query="?year=2026&basis=assigned"))
    assert assigned["total"] == (4, 2, 2, "2/4 = 50%")


def test_vietnamese_pages_write_the_official_form(client, personas, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.force_login(personas["staff"])
    with translation.override("vi"):
        doc = get_page(client, query="?year=2026&quarter=1")
    assert figures(doc)["subordinate"][3] == "1/3 = 33,33%"
    assert "Quý 1/2026" in doc.text_content()


@freeze_time("2026-06-15 03:00:00")
def test_without_parameters_the_page_shows_this_year_attended(leader_client, world):
    doc = get_page(leader_client)
    assert figures(doc) == expected(coverage(root=world.tree.root, period=Period.year(YEAR)))
    assert "Year 2026" in doc.text_content()


def test_visits_per_month_are_the_attended_visits_of_the_year(leader_client, world):
    doc = get_page(leader_client, query="?year=2026&quarter=2")
    # 2026: XA-AP1 05/02 and 04/03, XB-AP1 10/05, HU-CQ 20/05 (the missed visit and HU2's do not count).
    visits = [0, 1, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0]
    cells = doc.xpath("//*[@data-testid='months-table']//a[@data-month]")
    assert [int(cell.text_content()) for cell in cells] == visits
    assert chart(doc, "months")["datasets"][0]["data"] == visits
    may = doc.xpath("//*[@data-testid='months-table']//a[@data-month='5']")[0].get("href")
    assert may == (
        reverse("assignments:visit_list") + "?date_from=2026-05-01&date_to=2026-05-31&status=attended"
    )
    rows = get_page(leader_client, "assignments:visit_list", may[len(reverse("assignments:visit_list")) :])
    listed = [
        row.text_content() for row in rows.xpath("//*[@data-testid='visit-table']//tbody/tr[@data-visit]")
    ]
    assert len(listed) == 2
    assert any("HU-CQ" in row for row in listed) and any("XB-AP1" in row for row in listed)


def test_charts_carry_the_table_numbers(leader_client, world):
    doc = get_page(leader_client, query="?year=2026&quarter=2")
    cov = coverage(root=world.tree.root, period=Period.quarter(YEAR, 2))
    groups = chart(doc, "groups")
    assert groups["labels"] == [group.name for group in cov.direct.groups]
    assert groups["datasets"][0]["data"] == [float(g.percent) for g in cov.direct.groups]
    assert groups["datasets"][1]["data"] == [float(g.percent) for g in cov.subordinate.groups]
    for name in ("groups", "months", "comparison"):
        (canvas,) = doc.xpath(f"//canvas[@data-chart='{name}']")
        assert canvas.get("role") == "img" and canvas.get("aria-label")
        assert canvas.get("data-chart-source") == f"chart-{name}-data"
    hidden = doc.xpath("//*[@data-testid='chart-groups-table']//tbody/tr")
    assert [row.xpath("./th")[0].text_content() for row in hidden] == groups["labels"]


def test_this_period_against_the_same_period_a_year_before(leader_client, world):
    doc = get_page(leader_client, query="?year=2026")
    rows = {
        row.xpath("./th")[0].text_content(): [td.text_content() for td in row.xpath("./td")]
        for row in doc.xpath("//*[@data-testid='compare-table']//tbody/tr")
    }
    # 2025: one cadre assigned (CAD1), one attended (XA-AP1 on 03/03/2025); 2026: two and two.
    assert rows["Cadres assigned"] == ["1", "2", "2, up 1"]
    assert rows["Cadres who attended"] == ["1", "2", "2, up 1"]
    assert rows["Cells covered"] == ["1", "3", "3, up 2"]
    assert rows["Coverage"] == ["1/4 = 25%", "3/4 = 75%", "75%, up 50 points"]
    assert rows["Ấp - khu phố"] == ["1/2 = 50%", "2/2 = 100%", "100%, up 50 points"]
    assert "Year 2026 against Year 2025" in doc.text_content()
    comparison = chart(doc, "comparison")
    assert comparison["datasets"][0]["data"][0] == 25.0 and comparison["datasets"][1]["data"][0] == 75.0
    quarter = get_page(leader_client, query="?year=2026&quarter=1")
    assert "Quarter 1/2026 against Quarter 1/2025" in quarter.text_content()


def test_cells_never_visited_this_year_link_to_their_list(leader_client, world):
    doc = get_page(leader_client, query="?year=2026&quarter=1")
    assert figure(doc, "never-visited") == "1"  # XA-TH: a missed visit only
    link = figure_link(doc, "never-visited")
    page = leader_client.get(link).content.decode()
    assert "XA-TH" in page and "XA-AP1" not in page and "HU-CQ" not in page


def test_open_escalations_link_to_the_queue(leader_client, world):
    doc = get_page(leader_client, query="?year=2026")
    assert figure(doc, "escalations-open") == "1"
    assert figure(doc, "escalations-directed") == "1"
    assert figure_link(doc, "escalations-open") == reverse("assignments:escalation_list") + "?status=open"
    assert leader_client.get(figure_link(doc, "escalations-open")).status_code == 200


def test_cadre_figures_link_to_their_lists(leader_client, world):
    doc = get_page(leader_client, query="?year=2026&quarter=2")
    assert figure_link(doc, "cadres-assigned") == reverse("assignments:plan_list")
    attended = figure_link(doc, "cadres-attended")
    assert (
        attended
        == reverse("assignments:visit_list") + "?date_from=2026-04-01&date_to=2026-06-30&status=attended"
    )


@freeze_time("2026-06-15 03:00:00")
def test_cadres_behind_come_from_the_compliance_strips(leader_client, world):
    """Ended months January–May: CAD1 attended in February, March and May; CAD2 only in May."""
    doc = get_page(leader_client, query="?year=2026&quarter=2")
    behind = [item.text_content().strip() for item in doc.xpath("//*[@data-testid='cadres-behind']//li")]
    assert behind == ["Võ Thị Khác: 4 months without attendance", "Lê Văn Cán: 2 months without attendance"]
    strips = doc.xpath("//*[@data-testid='cadre-strips']//tbody/tr[@data-cadre]")
    assert [strip.get("data-cadre") for strip in strips] == ["CAD1", "CAD2"]


# --- The pickers ------------------------------------------------------------------------------------
def test_the_picker_keeps_the_chosen_values(leader_client, world):
    doc = get_page(leader_client, query="?year=2025&quarter=3&basis=assigned")
    assert doc.xpath("//input[@name='year']")[0].get("value") == "2025"
    assert doc.xpath("//select[@name='quarter']/option[@selected]")[0].get("value") == "3"
    assert doc.xpath("//select[@name='basis']/option[@selected]")[0].get("value") == "assigned"
    assert "Quarter 3/2025 (Assigned)" in doc.text_content()


def test_figure_links_carry_the_period_and_basis(leader_client, world):
    doc = get_page(leader_client, query="?year=2026&quarter=2&basis=assigned")
    (row,) = doc.xpath("//tr[@data-line='subordinate-AP_KP']")
    assert figure_link(row, "covered") == (
        reverse("reports:coverage_cells")
        + "?year=2026&quarter=2&basis=assigned&tier=subordinate&group=AP_KP&covered=yes"
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?year=abc", "Enter a whole number."),
        ("?year=1850", "Ensure this value is greater than or equal to 2000."),
        ("?year=2026&quarter=5", "Select a valid choice. 5 is not one of the available choices."),
        ("?year=2026&quarter=1&month=2", "Pick a quarter or a month, not both."),
        ("?date_from=2026-05-01", "Give both ends of the range: from and to."),
        ("?date_from=2026-05-01&date_to=2026-04-01", "The period starts after it ends."),
        ("?date_from=2026-13-01&date_to=2026-12-31", "Enter a valid date."),
        ("?basis=everything", "Select a valid choice. everything is not one of the available choices."),
    ],
)
def test_bad_parameters_are_form_errors(leader_client, world, query, message):
    doc = get_page(leader_client, query=query)
    assert message in form_errors(doc)
    assert not doc.xpath("//*[@data-testid='coverage-table']")
    export = leader_client.get(reverse(DASHBOARD) + query + "&export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/html")


def test_htmx_requests_get_the_body_alone(leader_client, world):
    response = leader_client.get(reverse(DASHBOARD) + "?year=2026&quarter=1", headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<div id="dashboard-body"')
    assert "<html" not in content and "chart-groups-data" in content
    # The full page and the htmx body share the URL: caches (Back in the browser) keep them apart.
    assert "HX-Request" in response["Vary"]


def test_only_get(leader_client, world):
    assert leader_client.post(reverse(DASHBOARD)).status_code == 405


# --- The XLSX --------------------------------------------------------------------------------------
def test_the_xlsx_holds_the_table_of_the_period(leader_client, world):
    response = leader_client.get(reverse(DASHBOARD) + "?year=2026&quarter=1&export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="coverage-HU-20260101-20260331.xlsx"' in response["Content-Disposition"]
    rows = sheet_rows(response.content)
    by_label = {row[0]: row for row in rows if row and row[0]}
    assert by_label["Total"][2:6] == [4, 1, 25.0, "1/4 = 25%"]
    assert by_label["Subordinate cells of grassroots committees"][2:6] == [3, 1, 33.33, "1/3 = 33.33%"]
    assert by_label["Đảng bộ xã Xuân Thới Sơn"][1:6] == ["XA", 2, 1, 50.0, "1/2 = 50%"]
    assert by_label["Cadres assigned"][1] == 2


# --- Scoping --------------------------------------------------------------------------------------------
def test_a_committee_staff_sees_its_subtree_only(client, tree, world):
    user = user_create(
        username="xa-staff", password=PASSWORD, role=Role.ORGANIZATION_STAFF, scope=tree.committee
    )
    client.force_login(user)
    doc = get_page(client, query="?year=2026")
    lines = figures(doc)
    # XA's own cells hang right under it: the direct tier of its dashboard.
    assert lines["total"] == (2, 1, 1, "1/2 = 50%")
    assert lines["direct"] == (2, 1, 1, "1/2 = 50%")
    assert lines["subordinate"] == (0, 0, 0, "—")
    text = doc.text_content()
    assert "Bà Điểm" not in text and "Hóc Môn" not in text
    assert [int(a.text_content()) for a in doc.xpath("//*[@data-testid='months-table']//a[@data-month]")][
        :5
    ] == [0, 1, 1, 0, 0]
    assert figure(doc, "escalations-open") == "1"


def test_an_outsider_sees_the_figures_of_their_own_root(client, personas, world):
    client.force_login(personas["outsider"])
    doc = get_page(client, query="?year=2026")
    lines = figures(doc)
    assert lines["total"] == (1, 1, 0, "1/1 = 100%")
    assert set(lines) == set(expected(coverage(root=world.tree.other_root, period=Period.year(YEAR))))
    text = doc.text_content()
    assert "Hóc Môn" not in text and "Xuân Thới Sơn" not in text
    assert figure(doc, "escalations-open") == "0"
    assert [int(a.text_content()) for a in doc.xpath("//*[@data-testid='months-table']//a[@data-month]")][
        :3
    ] == [0, 1, 0]


# --- Query counts ------------------------------------------------------------------------------------
# Session, user, groups, profile, scope (5); coverage of the period and of the year before (5 each); visits
# per month, never-visited cells, escalations (3); the compliance strips (3); the unread notifications (1).
DASHBOARD_QUERIES = 22


def _dashboard_queries(client, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(DASHBOARD_QUERIES) as captured:
        response = client.get(reverse(DASHBOARD) + "?year=2026&quarter=2")
    assert response.status_code == 200
    return len(captured)


def test_the_dashboard_query_count_does_not_grow(leader_client, world, django_assert_max_num_queries):
    small = _dashboard_queries(leader_client, django_assert_max_num_queries)
    grow(world, 30)
    large = _dashboard_queries(leader_client, django_assert_max_num_queries)
    assert small == large
