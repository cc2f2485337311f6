"""The visit form: a searchable cadre picker, then only that cadre's cells' meetings in the plan of the
meeting's year, grouped by cell, upcoming first and bounded; the same form without JavaScript; and the
unplanned attendance form's cells, those of the meeting's year. Asserted in Vietnamese."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assignment, AssignmentPlan, Cadre, Visit
from assignments.visits import services as visits
from assignments.visits.selectors import MEETING_CHOICES_LIMIT
from cells.models import Meeting
from tests.assignments.visits.factories import issued_plan, meeting_on, next_year
from tests.factories import CadreFactory, CellFactory

pytestmark = pytest.mark.django_db

CELL_GROUP = "Chi bộ ấp 1 – Đảng bộ xã Xuân Thới Sơn"
DIRECT_GROUP = "Chi bộ cơ quan – Huyện ủy Hóc Môn"
SIBLING_GROUP = "Chi bộ ấp Bà Điểm – Đảng bộ xã Bà Điểm"


def text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", body)


def groups(response) -> list[str]:
    """The cell groups of the meeting list, in order."""
    return re.findall(r'<optgroup label="([^"]+)"', response.content.decode())


def options(response) -> set[int]:
    select = response.content.decode().split('name="meeting"', 1)
    return {int(pk) for pk in re.findall(r'<option value="(\d+)"', select[1])} if len(select) > 1 else set()


@pytest.fixture
def cad1(personas) -> Cadre:
    return Cadre.objects.get(code="CAD1")


@pytest.fixture
def cad2(personas) -> Cadre:
    return Cadre.objects.get(code="CAD2")


@pytest.fixture
def year() -> int:
    return next_year()


@pytest.fixture
def world(tree, cad1, cad2, year, staff):
    """Next year's issued plan: CAD1 → XA-AP1, HU-CQ; CAD2 → XA-AP1, XB-AP1; meetings of each cell."""
    issued_plan(
        tree.root,
        year,
        [(cad1, tree.cell), (cad1, tree.direct_cell), (cad2, tree.cell), (cad2, tree.sibling_cell)],
    )
    m = {
        "cell": meeting_on(tree.cell, date(year, 2, 5)),
        "direct": meeting_on(tree.direct_cell, date(year, 1, 10)),
        "sibling": meeting_on(tree.sibling_cell, date(year, 1, 7)),
        "cancelled": meeting_on(tree.cell, date(year, 3, 5), status=Meeting.Status.CANCELLED),
        "taken": meeting_on(tree.cell, date(year, 4, 5)),
    }
    visits.visit_plan(cadre=cad2, meeting=m["taken"], by=staff)
    return m


URL = "assignments:visit_create"
QUERIES_UNPLANNED = 6


def test_the_form_lists_no_cadre_until_a_name_is_typed(client_for, staff, world):
    page = client_for(staff).get(reverse(URL))
    shown = text(page)
    assert "Gõ một phần họ tên hoặc mã cán bộ" in shown
    assert (
        "Chọn cán bộ trước: các buổi sinh hoạt của chi bộ được phân công cho cán bộ sẽ hiện ở đây." in shown
    )
    assert "Lê Văn Cán" not in shown and "Võ Thị Khác" not in shown
    assert 'name="meeting"' not in page.content.decode()


def test_typing_part_of_a_name_offers_the_matching_cadres(client_for, staff, world, cad1):
    response = client_for(staff).get(reverse(URL), {"cadre_q": "văn cán"}, headers={"HX-Request": "true"})
    assert f'name="cadre" id="cadre-{cad1.pk}" value="{cad1.pk}"' in response.content.decode()
    assert "Lê Văn Cán" in text(response) and "Võ Thị Khác" not in text(response)
    nothing = client_for(staff).get(reverse(URL), {"cadre_q": "không ai"})
    assert "Không có cán bộ nào khớp." in text(nothing)


def test_the_chosen_cadres_meetings_come_grouped_by_cell_soonest_first(client_for, staff, world, cad1):
    response = client_for(staff).get(reverse(URL), {"cadre": cad1.pk}, headers={"HX-Request": "true"})
    assert groups(response) == [DIRECT_GROUP, CELL_GROUP]
    # Not another cadre's cell, not a cancelled meeting, not one another cadre has taken.
    assert options(response) == {world["direct"].pk, world["cell"].pk}
    assert "Các buổi sinh hoạt sắp tới của chi bộ được phân công cho Lê Văn Cán" in text(response)


def test_a_taken_meeting_is_offered_once_two_cadres_may_go_together(client_for, staff, world, cad1):
    response = client_for(staff).get(reverse(URL), {"cadre": cad1.pk, "together_allowed": "on"})
    assert world["taken"].pk in options(response)


def test_a_meeting_the_cadre_already_attends_is_not_offered_again(client_for, staff, world, cad2):
    response = client_for(staff).get(reverse(URL), {"cadre": cad2.pk, "together_allowed": "on"})
    assert world["taken"].pk not in options(response)
    assert groups(response) == [SIBLING_GROUP, CELL_GROUP]


def test_without_javascript_the_form_posts_back_with_the_choices_then_saves(client_for, staff, world, cad1):
    client = client_for(staff)
    found = client.post(reverse(URL), {"cadre_q": "Cán", "show": "1"})
    assert found.status_code == 200 and "Lê Văn Cán" in text(found)
    assert "bắt buộc" not in text(found)  # refreshing the choices is not a failed save
    chosen = client.post(reverse(URL), {"cadre_q": "Cán", "cadre": cad1.pk, "show": "1"})
    assert groups(chosen) == [DIRECT_GROUP, CELL_GROUP]
    assert not Visit.objects.filter(cadre=cad1).exists()
    saved = client.post(reverse(URL), {"cadre": cad1.pk, "meeting": world["direct"].pk})
    visit = Visit.objects.get(cadre=cad1)
    assert saved.status_code == 302 and saved["Location"] == visit.get_absolute_url()
    assert visit.meeting == world["direct"]
    listing = client.get(reverse("assignments:visit_list"), {"all": "1"})  # the meeting may be next month
    assert "Lê Văn Cán" in text(listing)


def test_the_meetings_offered_are_bounded(client_for, staff, world, cad1, year):
    start = date(year, 1, 1)
    Meeting.objects.bulk_create(
        Meeting(cell=world["cell"].cell, date=start + timedelta(days=n), start_time=world["cell"].start_time)
        for n in range(MEETING_CHOICES_LIMIT + 10)
    )
    response = client_for(staff).get(reverse(URL), {"cadre": cad1.pk})
    assert len(options(response)) == MEETING_CHOICES_LIMIT


def test_a_cadre_plans_for_himself_from_his_own_cells_meetings(client_for, cadre_user, world):
    page = client_for(cadre_user).get(reverse(URL))
    assert 'name="cadre_q"' not in page.content.decode()
    assert groups(page) == [DIRECT_GROUP, CELL_GROUP]


@pytest.mark.parametrize("size", [2, 20])
def test_the_form_takes_a_fixed_number_of_queries(
    client_for, staff, world, cad1, tree, year, size, django_assert_max_num_queries
):
    plan = AssignmentPlan.objects.get(year=year)
    for _n in range(size):
        cell = CellFactory(parent=tree.committee)
        Assignment.objects.create(plan=plan, cadre=cad1, cell=cell)
        meeting_on(cell, date(year, 5, 5))
        CadreFactory(organization=tree.root, full_name="Lê Văn Phụ")
    client = client_for(staff)
    with django_assert_max_num_queries(9):
        response = client.get(reverse(URL), {"cadre_q": "Lê Văn", "cadre": cad1.pk})
    assert len(groups(response)) == size + 2


# --- Unplanned attendance: the cells of the meeting's year --------------------------------------------
@pytest.fixture
def two_years(tree, cad1):
    """This year CAD1 has XA-AP1; last year HU-CQ."""
    this_year = timezone.localdate().year
    issued_plan(tree.root, this_year, [(cad1, tree.cell)])
    issued_plan(tree.root, this_year - 1, [(cad1, tree.direct_cell)])
    return this_year


def test_unplanned_attendance_offers_the_cells_of_the_meetings_year(client_for, cadre_user, two_years):
    client = client_for(cadre_user)
    url = reverse("assignments:note_unplanned")
    page = client.get(url)
    assert CELL_GROUP in text(page) and DIRECT_GROUP not in text(page)
    last_year = date(two_years - 1, 5, 5).isoformat()
    swapped = client.get(url, {"meeting_date": last_year}, headers={"HX-Request": "true"})
    assert DIRECT_GROUP in text(swapped) and CELL_GROUP not in text(swapped)
    assert 'hx-target="#div_id_cell"' in page.content.decode()


def test_without_javascript_a_date_of_another_year_comes_back_with_that_years_cells(
    client_for, cadre_user, two_years, tree
):
    url = reverse("assignments:note_unplanned")
    response = client_for(cadre_user).post(
        url,
        {
            "meeting_date": date(two_years - 1, 5, 5).isoformat(),
            "cell": tree.cell.pk,
            "meeting_kind": "regular",
        },
    )
    assert response.status_code == 200
    assert DIRECT_GROUP in text(response) and CELL_GROUP not in text(response)
    assert not Visit.objects.exists()


@pytest.mark.parametrize("size", [2, 20])
def test_the_unplanned_form_takes_a_fixed_number_of_queries(
    client_for, cadre_user, two_years, cad1, tree, size, django_assert_max_num_queries
):
    plan = AssignmentPlan.objects.get(year=two_years)
    for _n in range(size):
        Assignment.objects.create(plan=plan, cadre=cad1, cell=CellFactory(parent=tree.committee))
    client = client_for(cadre_user)
    with django_assert_max_num_queries(QUERIES_UNPLANNED):
        response = client.get(reverse("assignments:note_unplanned"))
    assert text(response).count("– Đảng bộ xã Xuân Thới Sơn") == size + 1
