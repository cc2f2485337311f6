"""Each role's home page is its to-do list (config/home.py): counts in Vietnamese, each a link to the list
that shows exactly that many rows; the query count does not grow with the data; grassroots staff see
meetings and schedules, never anything of visits."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from freezegun import freeze_time

from assignments.models import Assignment, Visit
from assignments.notes import services as notes
from cells.models import Meeting, MeetingSchedule
from reports.periodic import services as report_services
from tests.assignments.cadre_pages.factories import plan
from tests.assignments.notes.factories import draft_note, pending_round_version, submitted_note, visit_at
from tests.factories import CadreFactory, CellFactory, MeetingFactory

pytestmark = pytest.mark.django_db

NOW = "2026-05-14 09:00"  # a Thursday: the week runs from Monday 11 to Sunday 17 May
TODAY = datetime.date(2026, 5, 14)
HOME = reverse("home")


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW):
        yield


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def todo(response, key: str) -> tuple[str, str, str]:
    """(label, figure, link) of one line of the to-do list, as the page shows them."""
    html = response.content.decode()
    match = re.search(rf'<a [^>]*href="([^"]+)" data-todo="{key}">(.*?)</a>', html, re.S)
    assert match, f"no to-do line {key!r}"
    label, figure = re.search(
        r"<span>(.*?)</span>\s*<span [^>]*data-figure>(.*?)</span>", match[2], re.S
    ).groups()
    return text_of(label), text_of(figure), unescape(match[1])


def rows_of(response) -> int:
    """Rows of the page's table, as drawn."""
    body = re.search(r"<tbody[^>]*>(.*?)</tbody>", response.content.decode(), re.S)
    return body[1].count("<tr") if body else 0


def follow(client, response, key: str) -> tuple[str, int]:
    """The figure of a to-do line and the number of rows of the list its link opens."""
    _label, figure, link = todo(response, key)
    page = client.get(link)
    assert page.status_code == 200
    return figure, rows_of(page)


# --- Organization staff ---------------------------------------------------------------------------------
def _staff_world(tree, cadre_user, staff, size: int) -> None:
    """``size`` of everything the staff to-do counts, in the staff's tree, and some outside it."""
    issued = plan(tree.root, 2026, number=40)
    Assignment.objects.create(plan=issued, cadre=cadre_user.cadre, cell=tree.cell)
    for index in range(size):
        cell = CellFactory(parent=tree.committee)
        submitted_note(cadre_user, cell, TODAY - datetime.timedelta(days=index + 1))  # waiting for review
        draft_note(cadre_user, cell, TODAY - datetime.timedelta(days=10 + index))  # overdue
        MeetingFactory(
            cell=cell, date=TODAY + datetime.timedelta(days=index % 3), status=Meeting.Status.CHANGED
        )
        MeetingFactory(cell=cell, date=TODAY + datetime.timedelta(days=7), status=Meeting.Status.CHANGED)
        CadreFactory(organization=tree.committee, email="")  # unreachable
        behind = CadreFactory(organization=tree.committee)
        Assignment.objects.create(plan=issued, cadre=behind, cell=cell)
    CadreFactory(organization=tree.other_root, email="")  # another root's: not counted


def test_staff_home_counts_and_their_lists(tree, staff, cadre_user, client_for):
    _staff_world(tree, cadre_user, staff, 3)
    client = client_for(staff)
    response = client.get(HOME)
    assert todo(response, "notes-waiting")[:2] == ("Báo cáo dự sinh hoạt chờ duyệt", "3")
    assert todo(response, "notes-overdue")[:2] == ("Báo cáo dự sinh hoạt quá hạn", "3")
    # CAD1 attended this month (the submitted notes): only the ``size`` new cadres are behind.
    assert todo(response, "cadres-behind")[:2] == ("Cán bộ tháng này chưa dự buổi sinh hoạt nào", "3")
    assert todo(response, "meetings-moved")[:2] == ("Buổi sinh hoạt trong tuần này đã dời lịch", "3")
    assert todo(response, "cadres-unreachable")[:2] == ("Cán bộ chưa có địa chỉ thư điện tử", "3")
    for key in ("notes-waiting", "notes-overdue", "cadres-behind", "meetings-moved", "cadres-unreachable"):
        figure, rows = follow(client, response, key)
        assert int(figure) == rows, key


def test_an_attended_visit_takes_the_cadre_off_the_behind_count(tree, staff, cadre_user, client_for):
    issued = plan(tree.root, 2026, number=40)
    Assignment.objects.create(plan=issued, cadre=cadre_user.cadre, cell=tree.cell)
    client = client_for(staff)
    assert todo(client.get(HOME), "cadres-behind")[1] == "1"
    visit_at(cadre_user.cadre, tree.cell, TODAY - datetime.timedelta(days=2), status=Visit.Status.ATTENDED)
    assert todo(client.get(HOME), "cadres-behind")[1] == "0"


@pytest.mark.parametrize("size", [2, 12])
def test_staff_home_query_count_does_not_grow(
    tree, staff, cadre_user, client_for, size, django_assert_max_num_queries
):
    _staff_world(tree, cadre_user, staff, size)
    client = client_for(staff)
    # the same at both sizes: each figure is one grouped query, whatever the rows behind it
    with django_assert_max_num_queries(9):
        assert client.get(HOME).status_code == 200


# --- Leadership -----------------------------------------------------------------------------------------
def _report(tree, staff, quarter: int):
    report = report_services.report_create(
        root=tree.root, kind="quarterly", year=2026, quarter=quarter, by=staff
    )
    return report_services.report_build(report=report)


def _leadership_world(tree, staff, cadre_user, size: int) -> None:
    for index in range(size):
        cell = CellFactory(parent=tree.committee)
        note = submitted_note(
            cadre_user,
            cell,
            TODAY - datetime.timedelta(days=index + 1),
            difficulties="Thiếu kinh phí",
            difficulties_escalate=True,
        )
        notes.note_accept(note=note, round_version=pending_round_version(note), by=staff)
    for quarter in range(1, min(size, 4) + 1):
        _report(tree, staff, quarter)


def test_leadership_home_counts_and_their_lists(tree, staff, leader, cadre_user, client_for):
    _leadership_world(tree, staff, cadre_user, 2)
    visit_at(cadre_user.cadre, tree.cell, TODAY - datetime.timedelta(days=3), status=Visit.Status.ATTENDED)
    client = client_for(leader)
    response = client.get(HOME)
    assert todo(response, "escalations-open")[:2] == ("Vấn đề chờ đồng chí chỉ đạo", "2")
    assert todo(response, "reports-to-finalize")[:2] == ("Báo cáo chờ ban hành chính thức", "2")
    for key in ("escalations-open", "reports-to-finalize"):
        figure, rows = follow(client, response, key)
        assert int(figure) == rows, key
    label, figure, link = todo(response, "coverage-quarter")
    assert label == "Chi bộ đã được dự sinh hoạt trong quý này"
    assert re.fullmatch(r"\d+/\d+ = [\d,]+\s?%", figure), figure
    dashboard = client.get(link)
    assert dashboard.status_code == 200 and figure.replace(" ", "") in text_of(
        dashboard.content.decode()
    ).replace(" ", "")


@pytest.mark.parametrize("size", [2, 12])
def test_leadership_home_query_count_does_not_grow(
    tree, staff, leader, cadre_user, client_for, size, django_assert_max_num_queries
):
    _leadership_world(tree, staff, cadre_user, size)
    client = client_for(leader)
    # the same at both sizes: each figure is one grouped query, whatever the rows behind it
    with django_assert_max_num_queries(12):
        assert client.get(HOME).status_code == 200


# --- Cadre ----------------------------------------------------------------------------------------------
def test_cadre_home_says_the_month_the_next_visit_and_the_notes_to_write(tree, cadre_user, client_for):
    cadre = cadre_user.cadre
    client = client_for(cadre_user)
    response = client.get(HOME)
    assert todo(response, "month-state")[:2] == ("Tháng này", "chưa dự")
    assert "Chưa có lượt dự nào." in text_of(response.content.decode())

    unwritten = visit_at(cadre, tree.cell, TODAY - datetime.timedelta(days=2), status=Visit.Status.ATTENDED)
    draft = draft_note(cadre_user, tree.cell2, TODAY - datetime.timedelta(days=20))
    submitted_note(cadre_user, tree.cell2, TODAY - datetime.timedelta(days=25))  # done: not to write
    upcoming = visit_at(cadre, tree.cell2, TODAY + datetime.timedelta(days=6))
    response = client.get(HOME)
    assert todo(response, "month-state")[1] == "đã dự"
    label, figure, link = todo(response, "notes-to-write")
    assert (label, figure, link) == ("Báo cáo dự sinh hoạt cần viết hoặc sửa", "2", "#notes-to-write")
    html = response.content.decode()
    listed = re.search(r'data-testid="notes-to-write">(.*?)</div>', html, re.S)[1]
    assert listed.count("data-visit=") == 2
    assert reverse("assignments:note_start", args=[unwritten.pk]) in listed
    assert reverse("assignments:note_edit", args=[draft.pk]) in listed
    assert "chưa viết" in text_of(listed) and "bản nháp: hoàn thành và gửi" in text_of(listed)
    next_visit = re.search(
        r'<a class="d-block" href="([^"]+)" data-testid="next-visit">(.*?)</a>', html, re.S
    )
    assert next_visit[1] == upcoming.get_absolute_url() and "20/05/2026" in next_visit[2]
    assert client.get(next_visit[1]).status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_cadre_home_query_count_does_not_grow(
    tree, cadre_user, client_for, size, django_assert_max_num_queries
):
    for index in range(size):
        visit_at(
            cadre_user.cadre,
            tree.cell,
            TODAY - datetime.timedelta(days=index + 1),
            status=Visit.Status.ATTENDED,
        )
        visit_at(cadre_user.cadre, tree.cell2, TODAY + datetime.timedelta(days=index + 1))
    client = client_for(cadre_user)
    # the same at both sizes: each figure is one grouped query, whatever the rows behind it
    with django_assert_max_num_queries(11):
        assert client.get(HOME).status_code == 200


# --- Grassroots staff -----------------------------------------------------------------------------------
def test_grassroots_home_lists_next_meetings_and_missing_schedules(tree, grassroots, client_for):
    MeetingSchedule.objects.create(cell=tree.cell, **_rule())
    soon = MeetingFactory(cell=tree.cell, date=TODAY + datetime.timedelta(days=1))
    MeetingFactory(cell=tree.sibling_cell, date=TODAY + datetime.timedelta(days=1))  # another committee's
    client = client_for(grassroots)
    response = client.get(HOME)
    label, figure, link = todo(response, "schedules-missing")
    assert (label, figure) == ("Chi bộ chưa có lịch sinh hoạt", "1")  # XA-TH; XA-AP1 has its schedule
    assert rows_of(client.get(link)) == 1
    html = response.content.decode()
    assert "Các buổi sinh hoạt sắp tới của chi bộ" in text_of(html)
    assert re.findall(r'data-meeting="(\d+)"', html) == [str(soon.pk)]
    assert client.get(soon.get_absolute_url()).status_code == 200
    for word in ("lượt dự", "Lượt dự", "visit"):
        assert word not in text_of(html)


@pytest.mark.parametrize("size", [2, 12])
def test_grassroots_home_query_count_does_not_grow(
    tree, grassroots, client_for, size, django_assert_max_num_queries
):
    for index in range(size):
        cell = CellFactory(parent=tree.committee)
        MeetingFactory(cell=cell, date=TODAY + datetime.timedelta(days=index))
    client = client_for(grassroots)
    # the same at both sizes: each figure is one grouped query, whatever the rows behind it
    with django_assert_max_num_queries(8):
        assert client.get(HOME).status_code == 200


def _rule() -> dict:
    return {
        "rule": MeetingSchedule.Rule.DAY_OF_MONTH,
        "day": 5,
        "start_time": datetime.time(8, 0),
        "place": "Hội trường ấp",
    }
