"""The cadre's own pages: my cells and their meetings, my visits, this month's status, the year at a glance,
and the page that makes or turns off the calendar link."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from assignments.models import Assignment, CadreExemption, CalendarFeed, Visit
from cells.access.roles import Role
from cells.logins.services import user_create
from cells.models import Meeting
from tests.assignments.cadre_pages.factories import NOW, TODAY, cadre_year, meeting, plan, visit
from tests.conftest import PASSWORD
from tests.factories import CellFactory

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
def _month_words(html: str) -> dict[int, str]:
    """Month number -> the words its box shows."""
    words = {}
    for chunk in html.split('<li class="col" data-month="')[1:]:
        number = int(chunk.split('"', 1)[0])
        words[number] = chunk.split('data-testid="month-state">', 1)[1].split("<", 1)[0].strip()
    return words


def test_year_at_a_glance_in_words(year, personas, client_for):
    html = page(client_for(personas["cadre"])).content.decode()
    assert _month_words(html) == {
        1: "Not attended",  # over, nothing attended
        2: "Not attended",  # a visit planned but never recorded: the month is over without a meeting
        3: "Not attended",
        4: "Attended",  # an attended visit outweighs a missed one
        5: "Planned",  # the current month, a visit planned in it
        **dict.fromkeys(range(6, 13), "To come"),
    }
    assert '<li class="col" data-month="4" data-status="attended">' in html
    assert "So far in 2026: a meeting attended in 1 of 4 months that count." in html


def test_this_month_is_planned_then_attended(year, personas, client_for):
    client = client_for(personas["cadre"])
    assert _this_month(client) == "Planned"
    year.visits["may"].status = Visit.Status.ATTENDED
    year.visits["may"].save()
    assert _this_month(client) == "Attended"


@pytest.mark.parametrize("status", [Visit.Status.MISSED, Visit.Status.CANCELLED])
def test_this_month_not_yet_when_nothing_is_attended_or_planned(year, personas, client_for, status):
    year.visits["may"].status = status
    year.visits["may"].save()
    html = page(client_for(personas["cadre"])).content.decode()
    assert 'data-testid="this-month" data-status="pending"' in html
    assert _this_month(client_for(personas["cadre"])) == "Not attended yet"


def test_an_exempt_month_says_so_with_its_reason(year, personas, client_for):
    CadreExemption.objects.create(cadre=year.cad1, year=2026, month=5, reason="illness", detail="Nằm viện")
    CadreExemption.objects.create(cadre=year.cad1, year=2026, month=1, reason="leave", detail="Nghỉ phép")
    html = page(client_for(personas["cadre"])).content.decode()
    assert _this_month_text(html).startswith("Exempt")
    assert "exempted you this month (Illness)" in html
    assert _month_words(html)[1] == "Exempt"
    assert "So far in 2026: a meeting attended in 1 of 3 months that count." in html


def test_a_month_counts_by_its_meetings_date_not_by_when_it_was_planned(year, personas, client_for):
    """A visit moved with its meeting into June counts for June."""
    may_meeting = year.meetings["may"]
    may_meeting.date = datetime.date(2026, 6, 1)
    may_meeting.save()
    year.visits["may"].save()  # the visits services keep the visit's copy of its meeting's date
    words = _month_words(page(client_for(personas["cadre"])).content.decode())
    assert words[5] == "Not over yet"
    assert words[6] == "Planned"


def _this_month_text(html: str) -> str:
    return html.split('data-testid="this-month-state">', 1)[1].split("</p>", 1)[0].split("</i>", 1)[1].strip()


def _this_month(client) -> str:
    return _this_month_text(page(client).content.decode())


def test_the_month_strip_reads_vietnamese_words(year, personas, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.force_login(personas["cadre"])
    with translation.override("vi"):
        html = page(client).content.decode()
    words = _month_words(html)
    assert (words[1], words[4], words[5], words[6]) == ("Không dự", "Đã dự", "Đã lên kế hoạch", "Chưa đến")
    assert "Không có" not in words.values()
    assert "Từ đầu năm 2026 đến nay: đã dự sinh hoạt chi bộ trong 1/4 tháng được tính." in html


@freeze_time("2026-12-31 16:59:00")  # 23:59 in Hồ Chí Minh City: still 2026 there, already 2027 in UTC
def test_the_year_follows_local_time(tree, personas, client_for):
    issued = plan(tree.root, 2026)
    cadre = personas["cadre"].cadre
    Assignment.objects.create(plan=issued, cadre=cadre, cell=tree.cell)
    visit(cadre, meeting(tree.cell, datetime.date(2026, 12, 31)), Visit.Status.ATTENDED)
    response = page(client_for(personas["cadre"]))
    assert response.context["today"] == datetime.date(2026, 12, 31)
    assert response.context["this_month"].state == "attended"
    assert _this_month_text(response.content.decode()) == "Attended"
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
    assert 'data-testid="this-month" data-status="outside"' in html
    assert "Not assigned" in html


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
    with django_assert_max_num_queries(14):
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
