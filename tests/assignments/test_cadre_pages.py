"""The cadre's own pages: my cells and their meetings, my visits, this month's status, the year at a glance,
and the page that makes or turns off the calendar link."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from assignments.cadre_selectors import MonthStatus, month_status, year_glance
from assignments.models import Assignment, CalendarFeed, Visit
from cells.models import Meeting
from cells.roles import Role
from cells.services import user_create
from tests.conftest import PASSWORD

from ..factories import CellFactory
from ..factories_cadre_pages import NOW, TODAY, cadre_year, meeting, plan, visit

pytestmark = pytest.mark.django_db

MY_VISITS = reverse("assignments:my_visits")
MY_CALENDAR = reverse("assignments:my_calendar")
TURN_OFF = reverse("assignments:my_calendar_revoke")


@pytest.fixture(autouse=True)
def english(client):
    """The tests read English msgids; Vietnamese is the default language of the pages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def frozen():
    with freeze_time(NOW):
        yield


@pytest.fixture
def year(frozen, tree, personas):
    return cadre_year(tree, personas)


def page(client, url: str = MY_VISITS):
    response = client.get(url)
    assert response.status_code == 200
    return response


# --- My cells and their meetings ------------------------------------------------------------------------
def test_my_cells_are_those_of_this_years_issued_plan(year, tree, personas, client_for):
    response = page(client_for(personas["cadre"]))
    cells = [cell.code for cell, _meetings in response.context["cells"]]
    assert cells == ["XA-AP1", "XA-TH"]  # not HU-CQ (2025 plan, 2026 draft) nor CAD2's XB-AP1
    html = response.content.decode()
    assert 'data-code="XA-AP1"' in html and 'data-code="XA-TH"' in html
    assert "HU-CQ" not in html and "XB-AP1" not in html


def test_each_cell_shows_its_next_three_meetings_with_changes_marked(year, personas, client_for):
    response = page(client_for(personas["cadre"]))
    meetings = dict(response.context["cells"])
    by_code = {cell.code: [m.date for m in items] for cell, items in meetings.items()}
    d = datetime.date
    assert by_code == {
        "XA-AP1": [d(2026, 5, 20), d(2026, 6, 5), d(2026, 7, 5)],  # August is the fourth: left out
        "XA-TH": [d(2026, 5, 25)],  # the cancelled 02/05 and the past ones are not upcoming
    }
    html = response.content.decode()
    m = year.meetings
    assert f'data-meeting="{m["jun"].pk}" data-status="changed"' in html
    assert f'data-meeting="{m["jul"].pk}" data-status="cancelled"' in html
    assert f'data-meeting="{m["aug"].pk}"' not in html
    assert "20/05/2026 · Wednesday" in html
    assert "19:30" in html and "Hội trường ấp 1" in html and "Chuyển đổi số" in html
    assert html.count('data-testid="my-visit-badge"') == 1  # on 20/05 only


def test_dates_and_weekdays_are_vietnamese_by_default(year, personas, client):
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    client.force_login(personas["cadre"])
    with translation.override("vi"):
        html = page(client).content.decode()
    assert "20/05/2026 · Thứ Tư" in html


# --- My visits -----------------------------------------------------------------------------------------
def test_my_visits_upcoming_first_then_past_unrecorded_then_needing_a_date(year, personas, client_for):
    visits = page(client_for(personas["cadre"])).context["visits"]
    v = year.visits
    assert visits.upcoming == [v["may"]]
    assert visits.awaiting_result == [v["feb"]]
    assert visits.needs_date == [v["needs_date"]]


def test_another_cadres_visits_and_cells_never_show(year, personas, client_for):
    html = page(client_for(personas["cadre"])).content.decode()
    other = year.visits["other"]
    assert f'data-visit="{other.pk}"' not in html
    assert "Nơi họp của CAD2" not in html
    assert "22/05/2026" not in html
    shown = {int(pk) for pk in _attribute_values(html, "data-visit")}
    assert shown == {year.visits[key].pk for key in ("may", "feb", "needs_date")}


def test_the_other_cadre_sees_only_their_own(year, personas, client_for):
    response = page(client_for(personas["other_cadre"]))
    assert [cell.code for cell, _ in response.context["cells"]] == ["XB-AP1"]
    assert response.context["visits"].upcoming == [year.visits["other"]]
    html = response.content.decode()
    assert "XA-AP1" not in html and "Hội trường ấp 1" not in html


def _attribute_values(html: str, name: str) -> list[str]:
    marker = f'{name}="'
    return [chunk.split('"', 1)[0] for chunk in html.split(marker)[1:]]


# --- This month and the year at a glance ----------------------------------------------------------------
def test_year_at_a_glance(year, personas, client_for):
    response = page(client_for(personas["cadre"]))
    statuses = {month.month: month.status for month in response.context["glance"]}
    assert statuses == {
        1: MonthStatus.NONE,
        2: MonthStatus.PLANNED,  # planned, never recorded
        3: MonthStatus.MISSED,
        4: MonthStatus.ATTENDED,  # an attended visit outweighs a missed one
        5: MonthStatus.PLANNED,
        **dict.fromkeys(range(6, 13), MonthStatus.NONE),
    }
    html = response.content.decode()
    assert '<li class="col" data-month="4" data-status="attended">' in html
    assert '<li class="col" data-month="3" data-status="missed">' in html
    short = [month.month for month in response.context["glance"] if month.falls_short]
    assert short == [1, 2, 3]


def test_this_month_is_planned_then_attended(year, personas, client_for):
    client = client_for(personas["cadre"])
    assert _this_month(client) == "planned"
    year.visits["may"].status = Visit.Status.ATTENDED
    year.visits["may"].save()
    assert _this_month(client) == "attended"


@pytest.mark.parametrize("status", [Visit.Status.MISSED, Visit.Status.CANCELLED])
def test_this_month_not_yet_when_nothing_is_attended_or_planned(year, personas, client_for, status):
    year.visits["may"].status = status
    year.visits["may"].save()
    html = page(client_for(personas["cadre"])).content.decode()
    expected = "missed" if status == Visit.Status.MISSED else "none"
    assert f'data-testid="this-month" data-status="{expected}"' in html
    assert "Not yet" in html


def test_a_month_counts_by_its_meetings_date_not_by_when_it_was_planned(year, personas, client_for):
    """A visit moved with its meeting into June counts for June."""
    may_meeting = year.meetings["may"]
    may_meeting.date = datetime.date(2026, 6, 1)
    may_meeting.save()
    glance = page(client_for(personas["cadre"])).context["glance"]
    assert glance[4].status == MonthStatus.NONE
    assert glance[5].status == MonthStatus.PLANNED


def _this_month(client) -> str:
    response = page(client)
    return response.context["this_month"].status


def test_month_status_precedence():
    assert month_status(set()) == MonthStatus.NONE
    assert month_status({Visit.Status.MISSED}) == MonthStatus.MISSED
    assert month_status({Visit.Status.MISSED, Visit.Status.PLANNED}) == MonthStatus.PLANNED
    assert month_status({Visit.Status.PLANNED, Visit.Status.ATTENDED}) == MonthStatus.ATTENDED


def test_year_glance_marks_past_and_current_months():
    glance = year_glance({1: {Visit.Status.ATTENDED}}, datetime.date(2026, 3, 31))
    assert [month.month for month in glance] == list(range(1, 13))
    assert [month.is_past for month in glance[:4]] == [True, True, False, False]
    assert [month.is_current for month in glance[:4]] == [False, False, True, False]
    assert [month.falls_short for month in glance[:3]] == [False, True, False]


@freeze_time("2026-12-31 16:59:00")  # 23:59 in Hồ Chí Minh City: still 2026 there, already 2027 in UTC
def test_the_year_follows_local_time(tree, personas, client_for):
    issued = plan(tree.root, 2026)
    cadre = personas["cadre"].cadre
    Assignment.objects.create(plan=issued, cadre=cadre, cell=tree.cell)
    visit(cadre, meeting(tree.cell, datetime.date(2026, 12, 31)), Visit.Status.ATTENDED)
    response = page(client_for(personas["cadre"]))
    assert response.context["today"] == datetime.date(2026, 12, 31)
    assert response.context["this_month"].status == MonthStatus.ATTENDED
    assert [cell.code for cell, _ in response.context["cells"]] == ["XA-AP1"]


# --- A cadre login without a cadre record ---------------------------------------------------------------
@pytest.fixture
def unlinked(tree):
    return user_create(username="unlinked", password=PASSWORD, role=Role.CADRE, scope=tree.root)


def test_a_cadre_login_without_a_record_gets_a_friendly_empty_page(unlinked, client_for):
    client = client_for(unlinked)
    for url in (MY_VISITS, MY_CALENDAR):
        html = page(client, url).content.decode()
        assert 'data-testid="no-cadre"' in html
        assert "not linked to a cadre record" in html
    response = client.post(MY_CALENDAR, {"action": "create"})
    assert response.status_code == 200
    assert not CalendarFeed.objects.exists()


def test_no_plan_yet_says_so(frozen, tree, personas, client_for):
    html = page(client_for(personas["cadre"])).content.decode()
    assert 'data-testid="no-cells"' in html
    assert 'data-testid="no-planned-visits"' in html
    assert 'data-testid="this-month" data-status="none"' in html


# --- Methods -----------------------------------------------------------------------------------------
def test_my_visits_is_read_only(personas, client_for):
    assert client_for(personas["cadre"]).post(MY_VISITS).status_code == 405


def test_other_roles_may_not_open_the_cadre_pages(personas, client_for):
    for persona in ("staff", "leader", "grassroots", "outsider"):
        client = client_for(personas[persona])
        assert client.get(MY_VISITS).status_code == 403
        assert client.post(MY_CALENDAR, {"action": "create"}).status_code == 403
        assert client.post(TURN_OFF).status_code == 403
    assert not CalendarFeed.objects.exists()


# --- The calendar link page --------------------------------------------------------------------------
def test_make_show_renew_and_turn_off_the_calendar_link(personas, client_for):
    client = client_for(personas["cadre"])
    cadre = personas["cadre"].cadre
    assert 'data-testid="no-feed"' in page(client, MY_CALENDAR).content.decode()

    response = client.post(MY_CALENDAR, {"action": "create"})
    assert response.status_code == 302 and response.url == MY_CALENDAR
    feed = CalendarFeed.objects.get(cadre=cadre)
    assert len(feed.token) == 43 and feed.revoked_at is None
    html = page(client, MY_CALENDAR).content.decode()
    assert f'value="http://testserver/feed/{feed.token}.ics"' in html
    assert f'href="webcal://testserver/feed/{feed.token}.ics"' in html

    client.post(MY_CALENDAR, {"action": "create"})
    renewed = CalendarFeed.objects.get(cadre=cadre)
    assert renewed.token != feed.token
    assert feed.token not in page(client, MY_CALENDAR).content.decode()

    assert f'href="{TURN_OFF}"' in page(client, MY_CALENDAR).content.decode()
    question = page(client, TURN_OFF).content.decode()
    assert 'data-testid="revoke-confirm"' in question and f'href="{MY_CALENDAR}"' in question
    renewed.refresh_from_db()
    assert renewed.revoked_at is None  # asking changes nothing
    client.post(MY_CALENDAR, {"action": "revoke"})  # the calendar page itself no longer turns it off
    renewed.refresh_from_db()
    assert renewed.revoked_at is None
    response = client.post(TURN_OFF)
    assert response.status_code == 302 and response.url == MY_CALENDAR
    renewed.refresh_from_db()
    assert renewed.revoked_at is not None
    html = page(client, MY_CALENDAR).content.decode()
    assert 'data-testid="no-feed"' in html and renewed.token not in html


def test_an_unknown_action_changes_nothing(personas, client_for):
    response = client_for(personas["cadre"]).post(MY_CALENDAR, {"action": "delete-everything"})
    assert response.status_code == 200
    assert not CalendarFeed.objects.exists()


def test_one_cadre_cannot_touch_anothers_link(personas, client_for):
    client_for(personas["cadre"]).post(MY_CALENDAR, {"action": "create"})
    mine = CalendarFeed.objects.get()
    client = client_for(personas["other_cadre"])
    assert mine.token not in page(client, MY_CALENDAR).content.decode()
    client.post(TURN_OFF)
    mine.refresh_from_db()
    assert mine.revoked_at is None


# --- Query counts -----------------------------------------------------------------------------------------
def _grow(tree, personas, cells: int, meetings_per_cell: int) -> None:
    """More cells, meetings and visits for CAD1 in the issued 2026 plan."""
    cadre = personas["cadre"].cadre
    issued = plan(tree.root, 2026, number=40)
    for _index in range(cells):
        cell = CellFactory(parent=tree.committee)
        Assignment.objects.create(plan=issued, cadre=cadre, cell=cell)
        for offset in range(meetings_per_cell):
            day = TODAY + datetime.timedelta(days=offset * 9 - 40)
            planned = meeting(cell, day, status=_meeting_status(offset))
            if offset % 2 == 0:
                visit(cadre, planned, _visit_status(offset, day))
        visit(cadre, None, Visit.Status.NEEDS_DATE, cell=cell)


def _meeting_status(offset: int) -> str:
    return [Meeting.Status.SCHEDULED, Meeting.Status.CHANGED, Meeting.Status.CANCELLED][offset % 3]


def _visit_status(offset: int, day: datetime.date):
    if day >= TODAY:
        return Visit.Status.PLANNED
    return [Visit.Status.ATTENDED, Visit.Status.MISSED, Visit.Status.PLANNED][offset % 3]


@pytest.mark.parametrize(("cells", "meetings_per_cell"), [(1, 1), (6, 12)])
def test_my_visits_query_count_does_not_grow(
    frozen, tree, personas, client_for, django_assert_max_num_queries, cells, meetings_per_cell
):
    _grow(tree, personas, cells, meetings_per_cell)
    client = client_for(personas["cadre"])
    with django_assert_max_num_queries(11):
        response = client.get(MY_VISITS)
    assert response.status_code == 200
    assert len(response.context["cells"]) == cells


@pytest.mark.parametrize("renewals", [1, 5])
def test_my_calendar_query_count_does_not_grow(personas, client_for, django_assert_max_num_queries, renewals):
    client = client_for(personas["cadre"])
    for _ in range(renewals):
        client.post(MY_CALENDAR, {"action": "create"})
    with django_assert_max_num_queries(6):
        assert client.get(MY_CALENDAR).status_code == 200
