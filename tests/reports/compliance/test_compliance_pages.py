"""The compliance pages: the grid, the evaluation sheet and its XLSX, exempt months; scoping, roles and
query counts."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time
from openpyxl import load_workbook

from assignments.models import CadreExemption
from reports.compliance import selectors as compliance
from tests.assignments.visits.factories import issued_plan
from tests.factories import CadreFactory, CellFactory, cell_type
from tests.reports.compliance.compliance_year import NOW, TODAY, YEAR, D, at, attend, build_year, note

GRID = reverse("reports:compliance")
SHEET = reverse("reports:evaluation_sheet")
EXEMPTIONS = reverse("reports:exemption_list")
NEW_EXEMPTION = reverse("reports:exemption_create")


@pytest.fixture(autouse=True)
def english(client):
    """These tests read the English texts; the product's default language is Vietnamese."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"), freeze_time(NOW):
        yield


@pytest.fixture
def year(tree, personas):
    return build_year(tree)


def _row(html: str, code: str) -> str:
    match = re.search(rf'<tr data-cadre="{code}".*?</tr>', html, re.S)
    assert match, f"no row for {code}"
    return match.group(0)


def _states(row_html: str) -> list[str]:
    return re.findall(r'data-state="(\w+)"', row_html)


# --- The grid -------------------------------------------------------------------------------------------
def test_grid_shows_each_month_in_words(client_for, staff, year):
    response = client_for(staff).get(GRID)
    assert response.context["form"]["year"].value() == 2026  # this year unless another is asked for
    html = response.content.decode()
    k1 = _row(html, "K1")
    assert _states(k1) == ["attended", "exempt", "missed", "attended", "attended"] + ["pending"] * 7
    # The state is written out for screen readers, never colour alone.
    assert '<span class="visually-hidden">Month 4/2026: Attended, 2 attended visits</span>' in k1
    assert "Month 2/2026: Exempt (Illness)" in k1
    assert "Month 3/2026: Not attended" in k1
    assert "Month 6/2026: To come" in k1
    assert '<td class="text-center" data-testid="compliant">3/4</td>' in k1
    # Each month leads to the cadre's visits of that month.
    visits = reverse("assignments:visit_list")
    assert f'href="{visits}?cadre={year.k1.pk}&amp;date_from=2026-03-01&amp;date_to=2026-03-31"' in k1
    assert 'data-cadre="K4"' not in html  # in no plan


def test_grid_filters(client_for, leader, year):
    client = client_for(leader)
    behind = client.get(GRID, {"year": YEAR, "behind": "on"}).content.decode()
    assert re.findall(r'<tr data-cadre="(\w+)"', behind) == ["K2", "K1"]
    search = client.get(GRID, {"year": YEAR, "q": "Cao"}).content.decode()
    assert re.findall(r'<tr data-cadre="(\w+)"', search) == ["K3"]
    other_year = client.get(GRID, {"year": 2025}).content.decode()
    assert "No cadres match" in other_year
    assert "exempt-link" not in behind  # leadership reads; only staff exempt a month


def test_a_wrong_year_is_an_error_of_the_field_and_shows_this_year(client_for, staff, year):
    response = client_for(staff).get(GRID, {"year": "abc"})
    assert response.status_code == 200
    assert "Enter a whole number." in response.content.decode()
    assert response.context["year"] == 2026


def test_grid_links_to_exempting_a_month_for_staff(client_for, staff, year):
    html = client_for(staff).get(GRID).content.decode()
    assert f"{NEW_EXEMPTION}?cadre={year.k2.pk}&amp;year=2026" in _row(html, "K2")


def test_the_outsider_sees_only_their_own_roots_cadres(client_for, outsider, year):
    html = client_for(outsider).get(GRID).content.decode()
    assert "data-cadre=" not in html
    sheet = client_for(outsider).get(SHEET, {"export": "xlsx"})
    rows = list(load_workbook(BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert len(rows) == 8  # the header block and the column titles, no cadre
    assert "HU2" in rows[1][1]


@pytest.mark.parametrize("persona", ["cadre_user", "grassroots"])
def test_cadres_and_grassroots_may_not_open_the_pages(client_for, persona, request, year):
    client = client_for(request.getfixturevalue(persona))
    for url in (GRID, SHEET, EXEMPTIONS, NEW_EXEMPTION):
        assert client.get(url).status_code == 403


def test_wrong_method(client_for, staff, year):
    client = client_for(staff)
    assert client.post(GRID).status_code == 405
    assert client.post(SHEET).status_code == 405
    exemption = CadreExemption.objects.get(cadre=year.k1)
    assert client.get(reverse("reports:exemption_delete", args=[exemption.pk])).status_code == 405


def test_dashboard_partial(year):
    """The strips and the cadres behind, as the dashboard includes them with compliance.dashboard_context."""
    context = compliance.dashboard_context(root=year.root, year=YEAR, today=TODAY)
    html = render_to_string("reports/dashboard/_cadres.html", context)
    assert _states(_row(html, "K2")) == ["missed", "missed", "exempt", "missed"] + ["pending"] * 8
    assert "Month 3/2026: Exempt (Leave)" in _row(html, "K2")
    behind = re.search(r'data-testid="cadres-behind".*', html, re.S).group(0)
    assert re.findall(r">([^<>]+)</a>: (\d+ months? without attendance)", behind) == [
        ("Bùi Thị Hai", "3 months without attendance"),
        ("An Văn Một", "1 month without attendance"),
    ]
    assert f'href="{GRID}?year=2026&amp;behind=on"' in behind
    assert f'href="{GRID}?year=2026&amp;q=K2"' in behind


# --- The sheet ------------------------------------------------------------------------------------------
def test_sheet_page_shows_the_parts_and_says_it_is_a_suggestion(client_for, leader, year):
    html = client_for(leader).get(SHEET).content.decode()
    assert "Suggested grade for one criterion." in html
    assert "QĐ 366-QĐ/TW" in html
    assert "Exempt months and months not over yet are left out of the required months." in html
    assert "The year is not over" in html
    table = re.search(r'data-testid="evaluation-table".*?</table>', html, re.S).group(0)
    for header in ("Attendance (50)", "Cell types (20)", "Notes (20)", "Contribution (10)", "Score (100)"):
        assert header in table
    k1 = re.search(r"<tr[^>]*>\s*<td[^>]*>K1</td>.*?</tr>", table, re.S).group(0)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", k1, re.S)]
    assert cells == [
        "K1", "An Văn Một", "3/4", "1", "7", "2", "2", "1/3", "1", "0",
        "37.50", "20.00", "6.67", "10.00", "74.17", "Well completed duties",
    ]  # fmt: skip


def test_sheet_xlsx_read_back(client_for, staff, year):
    response = client_for(staff).get(SHEET, {"year": YEAR, "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="evaluation-HU-2026.xlsx"' in response["Content-Disposition"]
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Cadre evaluation sheet: attending cell meetings"
    assert rows[1][:2] == ("Committee", "Huyện ủy Hóc Môn (HU)")
    assert rows[2][:2] == ("Year", 2026)
    assert rows[3][:2] == ("Figures as of", "15/05/2026")
    assert "suggestion for one criterion" in rows[4][0]
    header = rows[7]
    assert header[:5] == ("Code", "Cadre", "Position", "Months compliant", "Months required")
    assert header[-6:] == (
        "Attendance (50)",
        "Cell types (20)",
        "Notes (20)",
        "Contribution (10)",
        "Score (100)",
        "Suggested grade",
    )
    lines = {row[0]: dict(zip(header, row, strict=True)) for row in rows[8:]}
    assert list(lines) == ["K3", "K2", "K1"]
    k1 = lines["K1"]
    assert (k1["Months compliant"], k1["Months required"], k1["Exempt months"], k1["Months not over"]) == (
        3,
        4,
        1,
        7,
    )
    assert (k1["Cells attended"], k1["Cell types attended"]) == (2, 2)
    assert (k1["Notes due"], k1["Notes on time"], k1["Notes late"], k1["Escalations raised"]) == (3, 1, 2, 1)
    assert (k1["Attendance (50)"], k1["Cell types (20)"], k1["Notes (20)"], k1["Contribution (10)"]) == (
        37.5,
        20.0,
        6.67,
        10.0,
    )
    assert (k1["Score (100)"], k1["Suggested grade"]) == (74.17, "Well completed duties")
    assert (lines["K3"]["Score (100)"], lines["K3"]["Suggested grade"]) == (
        90.0,
        "Excellently completed duties",
    )
    assert (lines["K2"]["Score (100)"], lines["K2"]["Suggested grade"]) == (20.0, "Did not complete duties")


def test_sheet_xlsx_in_vietnamese(client, staff, year):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.force_login(staff)
    with translation.override("vi"):
        response = client.get(SHEET, {"export": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    grades = {row[0]: row[-1] for row in rows[8:]}
    assert grades == {
        "K1": "Hoàn thành tốt nhiệm vụ",
        "K2": "Không hoàn thành nhiệm vụ",
        "K3": "Hoàn thành xuất sắc nhiệm vụ",
    }


# --- Exempt months --------------------------------------------------------------------------------------
def _exempt_form(cadre, month=6, **fields) -> dict:
    return {
        "cadre": cadre.pk,
        "year": YEAR,
        "month": month,
        "reason": "illness",
        "detail": "Nằm viện",
        **fields,
    }


def test_staff_exempt_a_month_and_the_grid_follows(client_for, staff, year):
    client = client_for(staff)
    response = client.post(NEW_EXEMPTION, _exempt_form(year.k2, month=4))
    assert response.status_code == 302
    exemption = CadreExemption.objects.get(cadre=year.k2, year=YEAR, month=4)
    assert (exemption.reason, exemption.detail, exemption.created_by) == ("illness", "Nằm viện", staff)
    listing = client.get(response["Location"]).content.decode()
    assert "Bùi Thị Hai is exempt for 04/2026." in listing
    assert "04/2026" in listing
    grid = client.get(GRID).content.decode()
    assert _states(_row(grid, "K2"))[:4] == ["missed", "missed", "exempt", "exempt"]


def test_a_duplicate_month_is_refused_with_a_clear_error(client_for, staff, year):
    response = client_for(staff).post(NEW_EXEMPTION, _exempt_form(year.k1, month=2))
    assert response.status_code == 200
    assert "An Văn Một is already exempt for 02/2026." in response.content.decode()
    assert CadreExemption.objects.filter(cadre=year.k1).count() == 1


def test_detail_is_required(client_for, staff, year):
    response = client_for(staff).post(NEW_EXEMPTION, _exempt_form(year.k2, detail="   "))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not CadreExemption.objects.filter(cadre=year.k2, month=6).exists()


def test_the_form_is_prefilled_from_the_grid_link(client_for, staff, year):
    response = client_for(staff).get(NEW_EXEMPTION, {"cadre": year.k2.pk, "year": YEAR, "month": 3})
    form = response.context["form"]
    assert (form.initial["cadre"], form.initial["year"], form.initial["month"]) == (year.k2.pk, YEAR, 3)


def test_another_roots_cadre_cannot_be_exempted(client_for, staff, outsider, tree, year):
    stranger = CadreFactory(code="X1", organization=tree.other_root)
    response = client_for(staff).post(NEW_EXEMPTION, _exempt_form(stranger))
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not CadreExemption.objects.filter(cadre=stranger).exists()


def test_leadership_reads_the_list_but_may_not_exempt(client_for, leader, year):
    client = client_for(leader)
    html = client.get(EXEMPTIONS, {"year": YEAR}).content.decode()
    assert "Nằm viện" in html and "exemption-delete" not in html and "exemption-create" not in html
    assert client.post(NEW_EXEMPTION, _exempt_form(year.k2)).status_code == 403
    exemption = CadreExemption.objects.get(cadre=year.k1)
    assert client.post(reverse("reports:exemption_delete", args=[exemption.pk])).status_code == 403
    assert CadreExemption.objects.filter(pk=exemption.pk).exists()


def test_staff_remove_an_exemption_and_the_month_counts_again(client_for, staff, year):
    client = client_for(staff)
    exemption = CadreExemption.objects.get(cadre=year.k1)
    listing = client.get(EXEMPTIONS).content.decode()
    assert reverse("reports:exemption_delete", args=[exemption.pk]) in listing
    response = client.post(reverse("reports:exemption_delete", args=[exemption.pk]))
    assert response.status_code == 302
    assert not CadreExemption.objects.filter(pk=exemption.pk).exists()
    assert _states(_row(client.get(GRID).content.decode(), "K1"))[1] == "missed"


def test_another_roots_exemption_is_a_404(client_for, outsider, year):
    exemption = CadreExemption.objects.get(cadre=year.k1)
    assert (
        client_for(outsider).post(reverse("reports:exemption_delete", args=[exemption.pk])).status_code == 404
    )
    assert CadreExemption.objects.filter(pk=exemption.pk).exists()
    assert "Nằm viện" not in client_for(outsider).get(EXEMPTIONS).content.decode()


# --- Query counts ---------------------------------------------------------------------------------------
def _cadres_with_a_year(tree, count: int) -> None:
    a = CellFactory(code="A", parent=tree.committee, cell_type=cell_type("AP"))
    t = CellFactory(code="T", parent=tree.committee, cell_type=cell_type("TH"))
    people = [CadreFactory(organization=tree.root) for _i in range(count)]
    issued_plan(tree.root, YEAR, [(k, a) for k in people])
    for k in people:
        for month in (1, 2, 3):
            note(attend(k, a if month < 3 else t, D(YEAR, month, 7)), at(D(YEAR, month, 8)))
        CadreExemption.objects.create(cadre=k, year=YEAR, month=4, reason="leave", detail="Nghỉ phép")


@pytest.mark.parametrize("cadres", [1, 8])
def test_page_query_counts_do_not_grow(client_for, staff, tree, cadres, django_assert_max_num_queries):
    _cadres_with_a_year(tree, cadres)
    client = client_for(staff)
    with django_assert_max_num_queries(11):
        grid = client.get(GRID)
    assert grid.content.decode().count("<tr data-cadre=") == cadres
    with django_assert_max_num_queries(12):
        sheet = client.get(SHEET)
    assert sheet.status_code == 200
    with django_assert_max_num_queries(11):
        export = client.get(SHEET, {"export": "xlsx"})
    assert len(list(load_workbook(BytesIO(export.content)).active.iter_rows())) == 8 + cadres
    with django_assert_max_num_queries(9):
        listing = client.get(EXEMPTIONS)
    assert listing.content.decode().count("exemption-delete") == cadres
