"""A cell's schedule rule: the dates it gives, the year of meetings generated from it, and its edit page."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.urls import reverse
from django.utils import translation

from cells.meetings import services
from cells.models import Meeting, MeetingSchedule
from tests.factories import MeetingFactory

TODAY = date(2026, 11, 27)  # a Friday


def _schedule(**fields) -> MeetingSchedule:
    fields = {"start_time": time(19, 30), "place": "Văn phòng ấp", **fields}
    return MeetingSchedule(**fields)


# --- The rule ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [(2026, 2, date(2026, 2, 28)), (2028, 2, date(2028, 2, 29)), (2026, 4, date(2026, 4, 30))],
)
def test_day_31_falls_on_the_last_day_of_shorter_months(year, month, expected):
    schedule = _schedule(rule=MeetingSchedule.Rule.DAY_OF_MONTH, day=31)
    assert schedule.date_in_month(year, month) == expected


def test_day_31_stays_on_31_in_long_months():
    schedule = _schedule(rule=MeetingSchedule.Rule.DAY_OF_MONTH, day=31)
    assert schedule.date_in_month(2026, 12) == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("ordinal", "weekday", "year", "month", "expected"),
    [
        (MeetingSchedule.Ordinal.FIRST, MeetingSchedule.Weekday.TUESDAY, 2026, 11, date(2026, 11, 3)),
        (MeetingSchedule.Ordinal.FIRST, MeetingSchedule.Weekday.TUESDAY, 2026, 12, date(2026, 12, 1)),
        (MeetingSchedule.Ordinal.LAST, MeetingSchedule.Weekday.FRIDAY, 2026, 11, date(2026, 11, 27)),
        (MeetingSchedule.Ordinal.LAST, MeetingSchedule.Weekday.FRIDAY, 2027, 1, date(2027, 1, 29)),
        (MeetingSchedule.Ordinal.FOURTH, MeetingSchedule.Weekday.SUNDAY, 2026, 2, date(2026, 2, 22)),
    ],
)
def test_weekday_rules(ordinal, weekday, year, month, expected):
    schedule = _schedule(rule=MeetingSchedule.Rule.WEEKDAY_OF_MONTH, ordinal=ordinal, weekday=weekday)
    assert schedule.date_in_month(year, month) == expected


def test_a_year_has_one_date_per_month():
    schedule = _schedule(rule=MeetingSchedule.Rule.DAY_OF_MONTH, day=5)
    assert schedule.dates_in_year(2027) == [date(2027, month, 5) for month in range(1, 13)]


# --- Generating a year of meetings --------------------------------------------------------------------
@pytest.fixture
def schedule(tree) -> MeetingSchedule:
    return services.schedule_set(
        cell=tree.cell,
        rule=MeetingSchedule.Rule.DAY_OF_MONTH,
        day=5,
        start_time=time(19, 30),
        place="Nhà văn hóa",
    )


def test_generation_is_idempotent(schedule):
    assert services.schedule_generate_year(schedule=schedule, year=2027) == 12
    assert services.schedule_generate_year(schedule=schedule, year=2027) == 0
    meetings = Meeting.objects.filter(cell=schedule.cell)
    assert sorted(meetings.values_list("date", flat=True)) == [date(2027, m, 5) for m in range(1, 13)]
    assert set(meetings.values_list("place", "start_time", "kind")) == {
        ("Nhà văn hóa", time(19, 30), Meeting.Kind.REGULAR)
    }


def test_generation_keeps_months_that_have_a_meeting_even_when_cancelled_or_moved(schedule):
    moved = MeetingFactory(cell=schedule.cell, date=date(2027, 3, 9))
    services.meeting_cancel(meeting=MeetingFactory(cell=schedule.cell, date=date(2027, 4, 5)))
    assert services.schedule_generate_year(schedule=schedule, year=2027) == 10
    assert Meeting.objects.filter(cell=schedule.cell, date__month=3).get() == moved
    assert Meeting.objects.get(cell=schedule.cell, date__month=4).status == Meeting.Status.CANCELLED


def test_generation_for_the_current_year_creates_only_the_days_to_come(schedule):
    _schedule, created = services.schedule_save(
        cell=schedule.cell,
        generate_year=2026,
        today=TODAY,
        rule=MeetingSchedule.Rule.DAY_OF_MONTH,
        day=5,
        start_time=time(19, 30),
        place="Nhà văn hóa",
    )
    assert created == 1
    assert list(Meeting.objects.filter(cell=schedule.cell).values_list("date", flat=True)) == [
        date(2026, 12, 5)
    ]


def test_generated_meetings_have_a_created_history_row(schedule):
    services.schedule_generate_year(schedule=schedule, year=2027)
    assert Meeting.history.filter(cell=schedule.cell, history_type="+").count() == 12


def test_generation_for_many_cells_at_once(tree, schedule):
    other = services.schedule_set(
        cell=tree.cell2,
        rule=MeetingSchedule.Rule.WEEKDAY_OF_MONTH,
        ordinal=MeetingSchedule.Ordinal.LAST,
        weekday=MeetingSchedule.Weekday.FRIDAY,
        start_time=time(14, 0),
        place="Phòng họp",
    )
    services.schedule_generate_year(schedule=schedule, year=2027)
    assert services.schedules_generate_year(schedules=[schedule, other], year=2027) == 12
    assert services.schedules_generate_year(schedules=[schedule, other], year=2027) == 0
    assert Meeting.objects.filter(cell=tree.cell2, date=date(2027, 1, 29)).exists()
    assert Meeting.history.filter(cell=tree.cell2).count() == 12


# --- The edit page ------------------------------------------------------------------------------------
def _url(cell) -> str:
    return reverse("cells:schedule_edit", args=[cell.code])


def _post(**fields) -> dict:
    return {
        "rule": MeetingSchedule.Rule.DAY_OF_MONTH,
        "day": "5",
        "ordinal": "",
        "weekday": "",
        "start_time": "19:30",
        "place": "Nhà văn hóa ấp 1",
        "year": str(TODAY.year),
        **fields,
    }


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def test_grassroots_staff_sets_the_schedule_of_their_cell(client_for, grassroots, tree):
    response = client_for(grassroots).post(_url(tree.cell), _post())
    assert response.status_code == 302
    schedule = MeetingSchedule.objects.get(cell=tree.cell)
    assert (schedule.rule, schedule.day, schedule.start_time, schedule.place) == (
        MeetingSchedule.Rule.DAY_OF_MONTH,
        5,
        time(19, 30),
        "Nhà văn hóa ấp 1",
    )
    assert schedule.history.get().history_user == grassroots
    assert not Meeting.objects.filter(cell=tree.cell).exists()  # generation was not asked for


def test_switching_the_rule_keeps_only_its_own_fields(client_for, grassroots, tree, schedule):
    data = _post(rule=MeetingSchedule.Rule.WEEKDAY_OF_MONTH, ordinal="-1", weekday="4")
    assert client_for(grassroots).post(_url(tree.cell), data).status_code == 302
    schedule.refresh_from_db()
    assert (schedule.rule, schedule.day, schedule.ordinal, schedule.weekday) == (
        "weekday_of_month",
        None,
        -1,
        4,
    )
    assert schedule.history.order_by("-history_date").first().history_user == grassroots


def test_saving_with_generation_creates_the_rest_of_the_year(client_for, grassroots, tree, fixed_today):
    response = client_for(grassroots).post(_url(tree.cell), _post(generate="on"), follow=True)
    assert response.status_code == 200
    meetings = Meeting.objects.filter(cell=tree.cell)
    assert list(meetings.values_list("date", flat=True)) == [date(2026, 12, 5)]
    assert Meeting.history.get(cell=tree.cell).history_user == grassroots
    assert "1" in str(list(response.context["messages"])[0])
    # Saving again with generation changes nothing: the month already has its meeting.
    client_for(grassroots).post(_url(tree.cell), _post(generate="on"))
    assert meetings.count() == 1


def test_next_year_is_generated_whole(client_for, staff, tree, fixed_today):
    client_for(staff).post(_url(tree.cell), _post(generate="on", year="2027"))
    assert Meeting.objects.filter(cell=tree.cell, date__year=2027).count() == 12


def test_a_year_outside_the_choices_is_refused(client_for, staff, tree, fixed_today):
    response = client_for(staff).post(_url(tree.cell), _post(generate="on", year="2019"))
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert not MeetingSchedule.objects.filter(cell=tree.cell).exists()


def test_invalid_form_keeps_the_typed_values(client_for, grassroots, tree):
    response = client_for(grassroots).post(_url(tree.cell), _post(day="", place="Nhà ông Tư"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "day" in form.errors
    assert 'value="Nhà ông Tư"' in response.content.decode()
    assert 'value="19:30"' in response.content.decode()
    assert not MeetingSchedule.objects.filter(cell=tree.cell).exists()


def test_weekday_rule_needs_the_weekday(client_for, grassroots, tree):
    data = _post(rule=MeetingSchedule.Rule.WEEKDAY_OF_MONTH, ordinal="1", weekday="")
    response = client_for(grassroots).post(_url(tree.cell), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not MeetingSchedule.objects.filter(cell=tree.cell).exists()


def test_the_form_shows_the_current_rule(client_for, staff, tree, schedule):
    response = client_for(staff).get(_url(tree.cell))
    assert response.status_code == 200
    assert response.context["form"].instance == schedule
    assert 'value="Nhà văn hóa"' in response.content.decode()


@pytest.mark.parametrize("attr", ["sibling_cell", "other_cell"])
def test_grassroots_staff_cannot_touch_another_subtree(client_for, grassroots, tree, attr):
    cell = getattr(tree, attr)
    client = client_for(grassroots)
    assert client.get(_url(cell)).status_code == 404
    assert client.post(_url(cell), _post(generate="on")).status_code == 404
    assert not MeetingSchedule.objects.filter(cell=cell).exists()
    assert not Meeting.objects.filter(cell=cell).exists()


@pytest.mark.parametrize("persona", ["leader", "cadre_user"])
def test_leadership_and_cadres_may_not_edit_schedules(client_for, request, tree, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).post(_url(tree.cell), _post(generate="on")).status_code == 403
    assert not MeetingSchedule.objects.filter(cell=tree.cell).exists()


def test_a_committee_has_no_schedule(client_for, staff, tree):
    assert client_for(staff).get(_url(tree.committee)).status_code == 404


def test_wrong_method(client_for, staff, tree):
    assert client_for(staff).put(_url(tree.cell)).status_code == 405


def test_the_rule_reads_as_a_sentence():
    by_day = _schedule(rule=MeetingSchedule.Rule.DAY_OF_MONTH, day=5)
    by_weekday = _schedule(
        rule=MeetingSchedule.Rule.WEEKDAY_OF_MONTH,
        ordinal=MeetingSchedule.Ordinal.LAST,
        weekday=MeetingSchedule.Weekday.FRIDAY,
    )
    with translation.override("en"):
        assert by_day.describe() == "day 5 of each month, 19:30"
        assert by_weekday.describe() == "last Friday of each month, 19:30"
