"""The personal iCalendar feed: RFC 5545 text (CRLF, folding, escaping, one time zone), the cadre's planned
visits and their cells' meetings, nobody else's, and a token that stops working when revoked."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from freezegun import freeze_time

from assignments.cadre_pages import calendar
from assignments.cadre_pages.calendar import CalendarEvent, escape_text, fold, render_calendar
from assignments.cadre_pages.feeds import calendar_feed_create, calendar_feed_revoke
from assignments.models import CalendarFeed, Visit
from cells.access.roles import Role, role_group
from tests.assignments.cadre_pages.factories import NOW, cadre_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(tree, personas):
    with freeze_time(NOW):
        yield cadre_year(tree, personas)


def feed_url(feed: CalendarFeed) -> str:
    return reverse("assignments:calendar_feed", args=[feed.token])


def fetch(client, feed: CalendarFeed) -> str:
    response = client.get(feed_url(feed))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content.decode("utf-8")


# --- Reading the text back ---------------------------------------------------------------------------------
def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", ""), "every line ends in CRLF"
    physical = text.split("\r\n")[:-1]
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, f"line over 75 octets: {line!r}"
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def events(text: str) -> list[dict[str, str]]:
    """Each VEVENT as {property (with its parameters): value}."""
    found, current = [], None
    for line in unfold(text):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            name, value = line.split(":", 1)
            current[name] = value
    return found


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def by_summary(text: str) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for event in events(text):
        grouped.setdefault(unescape(event["SUMMARY"]), []).append(event)
    return grouped


# --- The format ------------------------------------------------------------------------------------------
def test_escape_text():
    assert escape_text("a, b; c\\d\ne\r\nf") == "a\\, b\\; c\\\\d\\ne\\nf"


@pytest.mark.parametrize("length", [10, 74, 75, 76, 200])
def test_fold_keeps_lines_to_75_octets_and_never_splits_a_character(length):
    line = "SUMMARY:" + "Sinh hoạt chi bộ ấp Tân Thới Nhì, "[:10] * (length // 10 + 1)
    line = line[:length]
    folded = fold(line)
    for physical in folded.split("\r\n"):
        assert len(physical.encode("utf-8")) <= 75
        physical.encode("utf-8").decode("utf-8")  # whole characters on each line
    assert folded.replace("\r\n ", "") == line


def test_fold_counts_octets_not_characters():
    line = "DESCRIPTION:" + "ệ" * 60  # 3 octets each
    first, *rest = fold(line).split("\r\n")
    assert len(first.encode("utf-8")) <= 75 and len(first.encode("utf-8")) >= 73
    assert all(part.startswith(" ") for part in rest)


def test_render_calendar_has_the_frame_and_the_time_zone():
    event = CalendarEvent(
        uid="meeting-1@example.org",
        summary="Sinh hoạt chi bộ ấp 1 – Đảng bộ xã Xuân Thới Sơn",
        start=datetime.datetime(2026, 5, 20, 19, 30),
        end=datetime.datetime(2026, 5, 20, 21, 30),
        location="Hội trường, ấp 1",
    )
    stamp = datetime.datetime(2026, 5, 15, 3, 0, tzinfo=datetime.UTC)
    lines = unfold(render_calendar(name="Lịch", events=[event], stamp=stamp))
    assert lines[:3] == ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{calendar.PRODID}"]
    assert lines[-1] == "END:VCALENDAR"
    assert "TZID:Asia/Ho_Chi_Minh" in lines and "TZOFFSETTO:+0700" in lines
    assert lines.index("BEGIN:VTIMEZONE") < lines.index("BEGIN:VEVENT")
    assert "DTSTART;TZID=Asia/Ho_Chi_Minh:20260520T193000" in lines
    assert "DTEND;TZID=Asia/Ho_Chi_Minh:20260520T213000" in lines
    assert "DTSTAMP:20260515T030000Z" in lines
    assert "LOCATION:Hội trường\\, ấp 1" in lines
    assert "STATUS:CONFIRMED" in lines


# --- The feed's content ------------------------------------------------------------------------------------
@pytest.fixture
def feed(year):
    return calendar_feed_create(cadre=year.cad1)


@freeze_time(NOW)
def test_feed_has_my_planned_visits_and_my_cells_meetings(year, feed, client):
    grouped = by_summary(fetch(client, feed))
    m = year.meetings
    assert (
        set(grouped)
        == {
            "Dự sinh hoạt chi bộ ấp 1 – Đảng bộ xã Xuân Thới Sơn",  # the planned visit of 20/05 (and nothing else of visits)
            "Sinh hoạt chi bộ ấp 1 – Đảng bộ xã Xuân Thới Sơn",  # XA-AP1's meetings from a month back on, the visited one left out
            "Sinh hoạt chi bộ trường học – Đảng bộ xã Xuân Thới Sơn",  # XA-TH
        }
    )
    visit_events = grouped["Dự sinh hoạt chi bộ ấp 1 – Đảng bộ xã Xuân Thới Sơn"]
    assert [e["UID"] for e in visit_events] == [f"visit-{year.visits['may'].pk}@testserver"]
    assert visit_events[0]["DTSTART;TZID=Asia/Ho_Chi_Minh"] == "20260520T193000"
    assert visit_events[0]["LOCATION"] == "Hội trường ấp 1"
    meeting_uids = {
        e["UID"]
        for e in grouped["Sinh hoạt chi bộ ấp 1 – Đảng bộ xã Xuân Thới Sơn"]
        + grouped["Sinh hoạt chi bộ trường học – Đảng bộ xã Xuân Thới Sơn"]
    }
    assert meeting_uids == {
        f"meeting-{m[key].pk}@testserver"
        for key in ("jun", "jul", "aug", "apr2", "may2", "cancelled_for_visit")
    }


@freeze_time(NOW)
def test_cancelled_meetings_say_so(year, feed, client):
    found = {e["UID"]: e for e in events(fetch(client, feed))}
    assert found[f"meeting-{year.meetings['jul'].pk}@testserver"]["STATUS"] == "CANCELLED"
    assert found[f"meeting-{year.meetings['aug'].pk}@testserver"]["STATUS"] == "CONFIRMED"
    changed = unescape(found[f"meeting-{year.meetings['jun'].pk}@testserver"]["DESCRIPTION"])
    assert "Lịch họp đã thay đổi" in changed


@freeze_time(NOW)
def test_another_cadres_visits_and_cells_are_never_in_my_feed(year, feed, client):
    text = fetch(client, feed)
    other = year.visits["other"]
    assert f"visit-{other.pk}@" not in text
    assert f"meeting-{year.meetings['sibling'].pk}@" not in text
    assert "Nơi họp của CAD2" not in text and "XB-AP1" not in text
    # HU-CQ: CAD1's cell in 2025 and in a 2026 draft only
    assert f"meeting-{year.meetings['direct'].pk}@" not in text and "HU-CQ" not in text
    # Visits that are not planned stay out.
    for key in ("apr", "apr_missed", "cancelled", "needs_date", "mar"):
        assert f"visit-{year.visits[key].pk}@" not in text


@freeze_time(NOW)
def test_the_other_cadres_feed_has_only_their_own(year, client):
    theirs = calendar_feed_create(cadre=year.cad2)
    grouped = by_summary(fetch(client, theirs))
    assert [e["UID"] for e in grouped.pop("Dự sinh hoạt chi bộ ấp Bà Điểm – Đảng bộ xã Bà Điểm")] == [
        f"visit-{year.visits['other'].pk}@testserver"
    ]
    assert grouped == {}  # XB-AP1's only meeting is the visited one


@freeze_time(NOW)
def test_uids_are_stable_between_fetches(year, feed, client):
    first = [e["UID"] for e in events(fetch(client, feed))]
    second = [e["UID"] for e in events(fetch(client, feed))]
    assert first == second and len(set(first)) == len(first)


@freeze_time(NOW)
def test_text_is_escaped_and_long_lines_folded(year, feed, client):
    meeting = year.meetings["aug"]
    meeting.place = "Nhà văn hóa ấp 1, phòng 2; lối vào\\cổng sau\ntầng trệt"
    meeting.kind, meeting.topic = (
        meeting.Kind.THEMATIC,
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh " * 2,
    )
    meeting.save()
    text = fetch(client, feed)
    found = {e["UID"]: e for e in events(text)}[f"meeting-{meeting.pk}@testserver"]
    assert found["LOCATION"] == "Nhà văn hóa ấp 1\\, phòng 2\\; lối vào\\\\cổng sau\\ntầng trệt"
    assert unescape(found["LOCATION"]) == meeting.place
    assert meeting.topic in unescape(found["DESCRIPTION"])
    assert "\r\n " in text  # the description was folded


@freeze_time(NOW)
def test_a_moved_meeting_moves_in_the_feed_under_the_same_uid(year, feed, client):
    may = year.meetings["may"]
    may.date, may.start_time = datetime.date(2026, 5, 21), datetime.time(14, 0)
    may.save()
    found = {e["UID"]: e for e in events(fetch(client, feed))}
    assert (
        found[f"visit-{year.visits['may'].pk}@testserver"]["DTSTART;TZID=Asia/Ho_Chi_Minh"]
        == "20260521T140000"
    )


# --- The token -------------------------------------------------------------------------------------------
def test_tokens_are_long_random_and_unique(year):
    first = calendar_feed_create(cadre=year.cad1)
    token = first.token
    second = calendar_feed_create(cadre=year.cad1)
    assert len(token) == 43 and re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert second.token != token
    assert CalendarFeed.objects.filter(cadre=year.cad1).count() == 1


def test_revoked_and_replaced_tokens_are_404(year, client):
    old = calendar_feed_create(cadre=year.cad1)
    old_url = feed_url(old)
    new = calendar_feed_create(cadre=year.cad1)
    assert client.get(old_url).status_code == 404
    assert client.get(feed_url(new)).status_code == 200
    assert calendar_feed_revoke(cadre=year.cad1) is True
    assert client.get(feed_url(new)).status_code == 404
    assert calendar_feed_revoke(cadre=year.cad1) is False
    again = calendar_feed_create(cadre=year.cad1)
    assert again.token not in (old.token, new.token)
    assert client.get(feed_url(again)).status_code == 200
    assert client.get(feed_url(new)).status_code == 404


def test_unknown_token_is_404_and_the_body_says_nothing(year, client):
    response = client.get(reverse("assignments:calendar_feed", args=["x" * 43]))
    assert response.status_code == 404
    assert "Lê Văn Cán" not in response.content.decode()


def test_a_disabled_login_or_a_changed_role_turns_the_feed_off(year, personas, client):
    feed = calendar_feed_create(cadre=year.cad1)
    user = personas["cadre"]
    user.is_active = False
    user.save()
    assert client.get(feed_url(feed)).status_code == 404
    user.is_active = True
    user.save()
    assert client.get(feed_url(feed)).status_code == 200
    user.groups.set([role_group(Role.GRASSROOTS_STAFF)])
    assert client.get(feed_url(feed)).status_code == 404


def test_a_cadre_without_login_has_no_feed(year, client):
    feed = calendar_feed_create(cadre=year.cad1)
    year.cad1.user = None
    year.cad1.save()
    assert client.get(feed_url(feed)).status_code == 404


def test_the_feed_is_read_only_and_not_cached(year, client):
    feed = calendar_feed_create(cadre=year.cad1)
    assert client.post(feed_url(feed)).status_code == 405
    response = client.get(feed_url(feed))
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("extra_visits", [0, 15])
def test_feed_query_count_does_not_grow(year, client, django_assert_max_num_queries, extra_visits):
    from tests.assignments.cadre_pages.factories import meeting, visit

    with freeze_time(NOW):
        for index in range(extra_visits):
            planned = meeting(
                year.meetings["may"].cell, datetime.date(2026, 9, 1) + datetime.timedelta(days=index)
            )
            visit(year.cad1, planned, Visit.Status.PLANNED)
        feed = calendar_feed_create(cadre=year.cad1)
        with django_assert_max_num_queries(6):
            text = fetch(client, feed)
    assert text.count("BEGIN:VEVENT") == 7 + extra_visits
