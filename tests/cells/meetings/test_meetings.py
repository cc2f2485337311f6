"""Meetings: the list every role reads, the detail page with its history, and the editors' pages."""

from __future__ import annotations

import csv
import io
from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cells.meetings import services
from cells.models import Meeting
from tests.factories import CellFactory, MeetingFactory, MemberFactory


def _list(client, **params):
    return client.get(reverse("cells:meeting_list"), params)


def _rows(response) -> list[Meeting]:
    return [row.record for row in response.context["table"].page.object_list]


@pytest.fixture
def meetings(tree) -> dict[str, Meeting]:
    """One meeting in each corner of the tree, all in the future, plus a past one in XA-AP1."""
    today = timezone.localdate()
    return {
        "xa": MeetingFactory(cell=tree.cell, date=today + timedelta(days=3), place="Ấp 1"),
        "xa_past": MeetingFactory(cell=tree.cell, date=today - timedelta(days=30), place="Ấp 1 cũ"),
        "xa2": MeetingFactory(
            cell=tree.cell2,
            date=today + timedelta(days=1),
            kind=Meeting.Kind.THEMATIC,
            topic="Chuyển đổi số",
            place="Trường",
        ),
        "xb": MeetingFactory(cell=tree.sibling_cell, date=today + timedelta(days=2), place="Ấp Bà Điểm"),
        "direct": MeetingFactory(cell=tree.direct_cell, date=today + timedelta(days=10), place="Cơ quan"),
        "hu2": MeetingFactory(cell=tree.other_cell, date=today + timedelta(days=4), place="Củ Chi"),
    }


# --- List -----------------------------------------------------------------------------------------------
def test_each_role_lists_the_meetings_of_its_subtree(client_for, personas, meetings):
    in_root = {meetings[key] for key in ("xa", "xa_past", "xa2", "xb", "direct")}
    expected = {  # a cadre is sent to their own cells' meetings (tests/assignments/cadre_pages/test_cadre_truth.py)
        "staff": in_root,
        "leader": in_root,
        "grassroots": {meetings["xa"], meetings["xa_past"], meetings["xa2"]},
        "outsider": {meetings["hu2"]},
    }
    for persona, visible in expected.items():
        response = _list(client_for(personas[persona]))
        assert response.status_code == 200
        assert set(_rows(response)) == visible, persona


def test_upcoming_meetings_come_first_then_the_past(client_for, staff, meetings):
    rows = _rows(_list(client_for(staff)))
    assert rows == [meetings[key] for key in ("xa2", "xb", "xa", "direct", "xa_past")]


def test_list_shows_dates_as_day_month_year(client_for, staff, meetings):
    html = _list(client_for(staff)).content.decode()
    assert meetings["xa"].date.strftime("%d/%m/%Y") in html
    assert "Chuyển đổi số" in html


def test_filters(client_for, staff, tree, meetings):
    client = client_for(staff)
    today = timezone.localdate()
    by_cell = _rows(_list(client, cell=tree.cell.pk))
    assert set(by_cell) == {meetings["xa"], meetings["xa_past"]}
    by_committee = _rows(_list(client, committee=tree.committee.pk))
    assert set(by_committee) == {meetings["xa"], meetings["xa_past"], meetings["xa2"]}
    thematic = _rows(_list(client, kind=Meeting.Kind.THEMATIC))
    assert thematic == [meetings["xa2"]]
    period = _rows(
        _list(client, date_from=today.isoformat(), date_to=(today + timedelta(days=2)).isoformat())
    )
    assert set(period) == {meetings["xa2"], meetings["xb"]}
    services.meeting_cancel(meeting=meetings["direct"])
    assert _rows(_list(client, status=Meeting.Status.CANCELLED)) == [meetings["direct"]]


def test_filters_offer_only_the_users_own_cells(client_for, grassroots, tree, meetings):
    response = _list(client_for(grassroots))
    form = response.context["filter"].form
    assert set(form.fields["cell"].queryset) == {tree.cell, tree.cell2}
    assert set(form.fields["committee"].queryset) == {tree.committee}
    # Another subtree's cell cannot be chosen: the filter is invalid, nothing of it is shown.
    rows = _rows(_list(client_for(grassroots), cell=tree.sibling_cell.pk))
    assert meetings["xb"] not in rows


def test_editors_get_the_cell_actions_when_a_cell_is_chosen(client_for, grassroots, leader, tree, meetings):
    html = _list(client_for(grassroots), cell=tree.cell.pk).content.decode()
    assert reverse("cells:meeting_create", args=[tree.cell.code]) in html
    assert reverse("cells:schedule_edit", args=[tree.cell.code]) in html
    html = _list(client_for(leader), cell=tree.cell.pk).content.decode()
    assert reverse("cells:schedule_edit", args=[tree.cell.code]) not in html


def test_csv_export_has_the_filtered_rows(client_for, grassroots, tree, meetings):
    response = _list(client_for(grassroots), export="csv", cell=tree.cell.pk)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 3  # header + the two meetings of XA-AP1
    dates = {row[0] for row in rows[1:]}
    assert dates == {meetings["xa"].date.strftime("%d/%m/%Y"), meetings["xa_past"].date.strftime("%d/%m/%Y")}
    assert {row[1] for row in rows[1:]} == {"19:30"}
    assert {row[2] for row in rows[1:]} == {"Chi bộ ấp 1 – Đảng bộ xã Xuân Thới Sơn"}


def test_xlsx_export_has_every_visible_row(client_for, grassroots, meetings):
    response = _list(client_for(grassroots), export="xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert len(values) == 1 + 3
    assert "Ấp Bà Điểm" not in {row[3] for row in values[1:]}


def _many_meetings(tree, count: int) -> None:
    today = timezone.localdate()
    for index in range(count):
        cell = CellFactory(parent=tree.committee)
        MeetingFactory(cell=cell, date=today + timedelta(days=index))


@pytest.mark.parametrize("count", [2, 30])
def test_list_query_count_does_not_grow(client_for, staff, tree, count, django_assert_max_num_queries):
    _many_meetings(tree, count)
    client = client_for(staff)
    with django_assert_max_num_queries(11):
        response = _list(client, committee=tree.committee.pk)
    assert len(_rows(response)) == count


# --- Detail -----------------------------------------------------------------------------------------
def test_detail_shows_the_meeting_and_who_changed_it(client_for, grassroots, staff, tree):
    client = client_for(grassroots)
    client.post(
        reverse("cells:meeting_create", args=[tree.cell.code]),
        {"date": "2027-01-05", "start_time": "19:30", "place": "Nhà văn hóa", "kind": Meeting.Kind.REGULAR},
    )
    meeting = Meeting.objects.get(cell=tree.cell)
    client_for(staff).post(
        reverse("cells:meeting_edit", args=[meeting.pk]),
        {"date": "2027-01-08", "start_time": "14:00", "place": "Nhà văn hóa"},
    )
    response = client_for(grassroots).get(meeting.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "08/01/2027" in html and "14:00" in html
    history = response.context["history"]
    assert [row.who for row in history] == ["Staff", "Grassroots"]
    changed = {change.name: (change.old, change.new) for change in history[0].changes}
    assert changed["date"] == ("05/01/2027", "08/01/2027")
    assert changed["start_time"] == ("19:30", "14:00")
    assert changed["status"] == (str(Meeting.Status.SCHEDULED.label), str(Meeting.Status.CHANGED.label))
    assert "place" not in changed
    assert 'data-field="start_time"' in html
    assert history[1].changes == []


@pytest.mark.parametrize("changes", [1, 12])
def test_detail_query_count_does_not_grow_with_history(
    client_for, staff, tree, changes, django_assert_max_num_queries
):
    meeting = MeetingFactory(cell=tree.cell)
    for index in range(changes):
        services.meeting_move(
            meeting=meeting, day=date(2027, 1, 1) + timedelta(days=index), start_time=time(8, 0), place="P"
        )
    client = client_for(staff)
    with django_assert_max_num_queries(10):  # with the assigned cadres a change would reach
        response = client.get(meeting.get_absolute_url())
    assert len(response.context["history"]) == changes + 1


def test_detail_of_another_subtree_is_404(client_for, grassroots, outsider, meetings):
    assert client_for(grassroots).get(meetings["xb"].get_absolute_url()).status_code == 404
    assert client_for(grassroots).get(meetings["hu2"].get_absolute_url()).status_code == 404
    assert client_for(outsider).get(meetings["xa"].get_absolute_url()).status_code == 404


def test_read_pages_refuse_post(client_for, staff, meetings):
    client = client_for(staff)
    assert client.post(reverse("cells:meeting_list")).status_code == 405
    assert client.post(meetings["xa"].get_absolute_url()).status_code == 405


# --- Create -----------------------------------------------------------------------------------------
def _create_url(cell) -> str:
    return reverse("cells:meeting_create", args=[cell.code])


def _meeting_data(**fields) -> dict:
    return {
        "date": "2026-12-19",
        "start_time": "08:00",
        "place": "Hội trường xã",
        "kind": Meeting.Kind.THEMATIC,
        "topic": "Học tập Nghị quyết",
        **fields,
    }


def test_grassroots_staff_creates_a_thematic_meeting(client_for, grassroots, tree):
    response = client_for(grassroots).post(_create_url(tree.cell), _meeting_data())
    meeting = Meeting.objects.get(cell=tree.cell)
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert (meeting.date, meeting.start_time, meeting.kind, meeting.topic, meeting.status) == (
        date(2026, 12, 19),
        time(8, 0),
        Meeting.Kind.THEMATIC,
        "Học tập Nghị quyết",
        Meeting.Status.SCHEDULED,
    )
    assert meeting.history.get().history_user == grassroots


def test_thematic_meeting_without_topic_is_refused_and_typed_values_stay(client_for, grassroots, tree):
    response = client_for(grassroots).post(
        _create_url(tree.cell), _meeting_data(topic="  ", place="Nhà ông Tư")
    )
    assert response.status_code == 200
    assert "topic" in response.context["form"].errors
    html = response.content.decode()
    assert 'value="Nhà ông Tư"' in html and 'value="2026-12-19"' in html and 'value="08:00"' in html
    assert not Meeting.objects.filter(cell=tree.cell).exists()


def test_new_meeting_starts_from_the_schedule(client_for, staff, tree):
    services.schedule_set(
        cell=tree.cell, rule="day_of_month", day=5, start_time=time(19, 0), place="Nhà văn hóa"
    )
    response = client_for(staff).get(_create_url(tree.cell))
    initial = response.context["form"].initial
    assert (initial["start_time"], initial["place"]) == (time(19, 0), "Nhà văn hóa")


@pytest.mark.parametrize("attr", ["sibling_cell", "other_cell"])
def test_grassroots_staff_cannot_create_in_another_subtree(client_for, grassroots, tree, attr):
    cell = getattr(tree, attr)
    assert client_for(grassroots).post(_create_url(cell), _meeting_data()).status_code == 404
    assert not Meeting.objects.filter(cell=cell).exists()


@pytest.mark.parametrize("persona", ["leader", "cadre_user"])
def test_leadership_and_cadres_may_not_create(client_for, request, tree, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).post(_create_url(tree.cell), _meeting_data()).status_code == 403
    assert not Meeting.objects.exists()


# --- Move -------------------------------------------------------------------------------------------
def test_grassroots_staff_moves_a_meeting(client_for, grassroots, meetings):
    meeting = meetings["xa"]
    response = client_for(grassroots).post(
        reverse("cells:meeting_edit", args=[meeting.pk]),
        {"date": "2026-12-20", "start_time": "14:30", "place": "Nhà văn hóa mới"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.date, meeting.start_time, meeting.place, meeting.status) == (
        date(2026, 12, 20),
        time(14, 30),
        "Nhà văn hóa mới",
        Meeting.Status.CHANGED,
    )
    latest = meeting.history.order_by("-history_date").first()
    assert (latest.history_user, latest.history_type) == (grassroots, "~")


def test_move_with_an_empty_date_keeps_the_typed_place(client_for, grassroots, meetings):
    meeting = meetings["xa"]
    response = client_for(grassroots).post(
        reverse("cells:meeting_edit", args=[meeting.pk]),
        {"date": "", "start_time": "14:30", "place": "Chỗ mới"},
    )
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    assert 'value="Chỗ mới"' in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.place, meeting.status) == ("Ấp 1", Meeting.Status.SCHEDULED)


@pytest.mark.parametrize("key", ["xb", "hu2"])
def test_grassroots_staff_cannot_move_another_subtrees_meeting(client_for, grassroots, meetings, key):
    meeting = meetings[key]
    url = reverse("cells:meeting_edit", args=[meeting.pk])
    data = {"date": "2026-12-20", "start_time": "14:30", "place": "X"}
    assert client_for(grassroots).post(url, data).status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


def test_leadership_may_not_move(client_for, leader, meetings):
    url = reverse("cells:meeting_edit", args=[meetings["xa"].pk])
    assert (
        client_for(leader).post(url, {"date": "2026-12-20", "start_time": "14:30", "place": "X"}).status_code
        == 403
    )
    meetings["xa"].refresh_from_db()
    assert meetings["xa"].status == Meeting.Status.SCHEDULED


# --- Cancel -----------------------------------------------------------------------------------------
def test_cancel_asks_first_then_cancels(client_for, grassroots, meetings):
    meeting = meetings["xa"]
    url = reverse("cells:meeting_cancel", args=[meeting.pk])
    client = client_for(grassroots)
    response = client.get(url)
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    assert client.post(url).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert meeting.history.order_by("-history_date").first().history_user == grassroots


@pytest.mark.parametrize("key", ["xb", "hu2"])
def test_grassroots_staff_cannot_cancel_another_subtrees_meeting(client_for, grassroots, meetings, key):
    meeting = meetings[key]
    assert client_for(grassroots).post(reverse("cells:meeting_cancel", args=[meeting.pk])).status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


@pytest.mark.parametrize("persona", ["leader", "cadre_user"])
def test_leadership_and_cadres_may_not_cancel(client_for, request, meetings, persona):
    user = request.getfixturevalue(persona)
    meeting = meetings["xa"]
    assert client_for(user).post(reverse("cells:meeting_cancel", args=[meeting.pk])).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


def test_edit_pages_refuse_other_methods(client_for, staff, tree, meetings):
    client = client_for(staff)
    pk = meetings["xa"].pk
    assert client.delete(reverse("cells:meeting_edit", args=[pk])).status_code == 405
    assert client.put(reverse("cells:meeting_cancel", args=[pk])).status_code == 405
    assert client.delete(_create_url(tree.cell)).status_code == 405


# --- Grassroots staff edit nothing but meetings -----------------------------------------------------
def test_grassroots_staff_may_not_edit_organizations_or_members(client_for, grassroots, tree):
    client = client_for(grassroots)
    member = MemberFactory(full_name="Lê Thị Ba", cell=tree.cell)
    assert client.get(reverse("cells:organization_edit", args=[tree.cell.code])).status_code == 403
    assert (
        client.post(reverse("cells:organization_edit", args=[tree.cell.code]), {"name": "X"}).status_code
        == 403
    )
    assert client.get(reverse("cells:organization_create")).status_code == 403
    assert client.get(reverse("cells:member_create")).status_code == 403
    assert client.post(reverse("cells:member_edit", args=[member.pk]), {"full_name": "X"}).status_code == 403
    tree.cell.refresh_from_db()
    member.refresh_from_db()
    assert (tree.cell.name, member.full_name) == ("Chi bộ ấp 1", "Lê Thị Ba")


# --- Planned visits stay secret; listeners learn who changed a meeting -------------------------------
def test_a_planned_visit_shows_nowhere_on_the_meeting_pages(
    client_for, grassroots, staff, cadre_user, meetings
):
    from assignments.models import Cadre, Visit

    meeting = meetings["xa"]
    cadre = Cadre.objects.get(user=cadre_user)
    Visit.objects.create(cadre=cadre, cell=meeting.cell, meeting=meeting, planned_by=staff)
    client = client_for(grassroots)
    pages = [
        client.get(meeting.get_absolute_url()),
        _list(client),
        _list(client, export="csv"),
        client.get(reverse("cells:meeting_edit", args=[meeting.pk])),
        client.get(reverse("cells:meeting_cancel", args=[meeting.pk])),
    ]
    for response in pages:
        assert response.status_code == 200
        assert cadre.full_name not in response.content.decode()


def test_moving_and_cancelling_tell_the_listeners_who_did_it(client_for, grassroots, meetings, monkeypatch):
    from cells.meetings import hooks

    heard = []
    monkeypatch.setattr(hooks, "_meeting_listeners", [lambda **kwargs: heard.append(kwargs)])
    meeting = meetings["xa"]
    client = client_for(grassroots)
    client.post(
        reverse("cells:meeting_edit", args=[meeting.pk]),
        {"date": "2026-12-20", "start_time": "14:30", "place": "X"},
    )
    client.post(reverse("cells:meeting_cancel", args=[meeting.pk]))
    assert [(event["meeting"].pk, event["change"], event["by"]) for event in heard] == [
        (meeting.pk, hooks.MeetingChange.MOVED, grassroots),
        (meeting.pk, hooks.MeetingChange.CANCELLED, grassroots),
    ]
