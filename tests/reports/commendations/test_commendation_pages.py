"""The commendation list page (and its XLSX), the adjust form and undoing an adjustment, on the
hand-built 2026 of tests/reports/periodic/annual_data.py; read in English, "today" 15/01/2027."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time
from openpyxl import load_workbook

from assignments.models import Assignment, AssignmentPlan
from reports.commendations.services import commendation_adjust
from reports.models import CommendationAdjustment
from tests.factories import CadreFactory, CellFactory
from tests.reports.periodic.annual_data import YEAR, D, attend, build_years, note

NOW = "2027-01-15 03:00:00"  # 10:00 in Hồ Chí Minh City
LIST = reverse("reports:commendation_list")


@pytest.fixture(autouse=True)
def english(client):
    """These tests read the English texts; the product's default language is Vietnamese."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"), freeze_time(NOW):
        yield


@pytest.fixture
def years(tree, personas):
    return build_years(tree)


def _adjust_url(cadre, year: int = YEAR) -> str:
    return reverse("reports:commendation_adjust", args=[year, cadre.pk])


def _table(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="commendations-{testid}".*?</table>', html, re.S)
    return match.group(0) if match else ""


def _codes(table_html: str) -> list[str]:
    return re.findall(r'<tr data-cadre="([^"]+)"', table_html)


def _row(html: str, code: str) -> str:
    return re.search(rf'<tr data-cadre="{code}">.*?</tr>', html, re.S).group(0)


def test_the_list_shows_proposed_and_other_cadres_with_their_criteria(client_for, staff, years):
    html = client_for(staff).get(LIST, {"year": YEAR}).content.decode()
    assert "Commendations 2026" in html
    assert _codes(_table(html, "proposed")) == ["K3", "K1"]
    assert _codes(_table(html, "others")) == ["K4", "K2", "K5"]
    k3 = _row(html, "K3")
    assert "11/11" in k3 and "1 exempt month" in k3 and "Meets the criteria" in k3
    k4 = _row(html, "K4")
    assert "12/12" in k4 and "11/12" in k4 and "Does not meet the criteria" in k4
    assert html.count('data-testid="adjust-form"') == 5


def test_the_year_defaults_to_this_year(client_for, staff, years):
    html = client_for(staff).get(LIST).content.decode()
    assert "Commendations 2027" in html  # no plan yet for 2027: nothing to list
    assert 'data-testid="commendations-proposed-empty"' in html


def test_leadership_reads_the_list_without_the_forms(client_for, leader, years):
    html = client_for(leader).get(LIST, {"year": YEAR}).content.decode()
    assert _codes(_table(html, "proposed")) == ["K3", "K1"]
    assert 'data-testid="adjust-form"' not in html


def test_the_list_as_xlsx(client_for, staff, years):
    commendation_adjust(
        root=years.root, year=YEAR, cadre=years.k4, proposed=True, reason="Bão số 3", by=staff
    )
    response = client_for(staff).get(LIST, {"year": YEAR, "export": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="commendations-HU-2026.xlsx"'
    rows = [
        list(row)
        for row in load_workbook(BytesIO(response.content), read_only=True).active.iter_rows(values_only=True)
    ]
    assert rows[0][0] == "Cadres proposed for commendation, 2026"
    assert rows[3][:5] == ["No.", "Code", "Cadre", "Position", "Months attended"]
    assert [row[1] for row in rows[4:]] == ["K3", "K4", "K1"]
    assert rows[4][4:10] == [11, 11, 1, 11, 11, "Meets the criteria"]
    assert rows[5][9:] == ["Added by staff", "Bão số 3"]


def test_staff_add_a_cadre(client_for, staff, years):
    response = client_for(staff).post(_adjust_url(years.k4), {"proposed": "true", "reason": "Trễ do bão"})
    assert response.status_code == 302 and response["Location"] == f"{LIST}?year=2026"
    adjustment = CommendationAdjustment.objects.get()
    assert (adjustment.cadre, adjustment.proposed, adjustment.reason) == (years.k4, True, "Trễ do bão")
    html = client_for(staff).get(response["Location"]).content.decode()
    assert "Dương Thị Bốn is proposed for commendation for 2026." in html
    assert _codes(_table(html, "proposed")) == ["K3", "K4", "K1"]
    assert "Added by staff" in _row(html, "K4") and "Trễ do bão" in _row(html, "K4")


def test_a_missing_reason_is_a_clear_error_and_keeps_the_choice(client_for, staff, years):
    response = client_for(staff).post(_adjust_url(years.k1), {"proposed": "false", "reason": "   "})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Give the reason for changing the commendation list." in html
    assert re.search(r'<input[^>]*value="false"[^>]*checked', html)  # still "Do not propose"
    assert "An Văn Một (K1)" in html and "12/12" in html
    assert not CommendationAdjustment.objects.exists()


def test_the_form_page_starts_from_the_opposite_of_where_the_cadre_stands(client_for, staff, years):
    html = client_for(staff).get(_adjust_url(years.k1)).content.decode()
    assert re.search(r'<input[^>]*value="false"[^>]*checked', html)  # K1 is proposed: take off
    html = client_for(staff).get(_adjust_url(years.k5)).content.decode()
    assert re.search(r'<input[^>]*value="true"[^>]*checked', html)


def test_undo_an_adjustment(client_for, staff, years):
    adjustment = commendation_adjust(
        root=years.root, year=YEAR, cadre=years.k1, proposed=False, reason="Đã khen", by=staff
    )
    response = client_for(staff).post(reverse("reports:commendation_remove", args=[adjustment.pk]))
    assert response.status_code == 302 and response["Location"] == f"{LIST}?year=2026"
    assert not CommendationAdjustment.objects.exists()


def test_a_cadre_outside_the_plan_of_that_year_is_404(client_for, staff, tree, years):
    stranger = CadreFactory(organization=tree.root)
    assert client_for(staff).get(_adjust_url(stranger)).status_code == 404
    assert (
        client_for(staff).post(_adjust_url(years.k3, 2025), {"proposed": "true", "reason": "x"}).status_code
        == 404
    )


def test_leadership_and_other_roots_cannot_adjust(client_for, leader, outsider, staff, years):
    data = {"proposed": "true", "reason": "Có lý do"}
    assert client_for(leader).post(_adjust_url(years.k4), data).status_code == 403
    assert client_for(outsider).post(_adjust_url(years.k4), data).status_code == 404
    adjustment = commendation_adjust(
        root=years.root, year=YEAR, cadre=years.k4, proposed=True, reason="x", by=staff
    )
    assert (
        client_for(outsider).post(reverse("reports:commendation_remove", args=[adjustment.pk])).status_code
        == 404
    )
    assert (
        client_for(leader).post(reverse("reports:commendation_remove", args=[adjustment.pk])).status_code
        == 403
    )
    assert CommendationAdjustment.objects.count() == 1


def _grow(tree, staff) -> None:
    """Ten more plan cadres, each with a year of visits and notes and half of them adjusted."""
    plan = AssignmentPlan.objects.get(root=tree.root, year=YEAR)
    for index in range(10):
        cell = CellFactory(code=f"XA-G{index}", parent=tree.committee)
        cadre = CadreFactory(code=f"KG{index}", organization=tree.root)
        Assignment.objects.create(plan=plan, cadre=cadre, cell=cell)
        for month in (2, 7, 11):
            note(attend(cadre, cell, D(YEAR, month, 4)), D(YEAR, month, 4))
        if index % 2:
            commendation_adjust(
                root=tree.root, year=YEAR, cadre=cadre, proposed=True, reason="Tích cực", by=staff
            )


@pytest.mark.parametrize("export", ["", "xlsx"])
def test_query_count_does_not_grow(client_for, staff, tree, years, django_assert_max_num_queries, export):
    client = client_for(staff)
    query = {"year": YEAR, "export": export} if export else {"year": YEAR}
    client.get(LIST, query)  # warm the session and the user's scope
    with django_assert_max_num_queries(13):
        assert client.get(LIST, query).status_code == 200
    _grow(tree, staff)
    with django_assert_max_num_queries(13):
        assert client.get(LIST, query).status_code == 200
