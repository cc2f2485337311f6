"""The reminder jobs with the clock frozen: who gets what and when (month ends, the 20th on a weekend,
quarter ends, a plan issued mid-month, exempt months), in which language, and never twice."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import NoReverseMatch, reverse

from assignments.models import AttendanceNote, JobRun, Notification
from assignments.notifications.periods import nudge_period, quarterly_period
from assignments.reminders.services import job_run
from assignments.visits.services import visit_plan
from cells.meetings import services
from tests.assignments.notifications.factories import (
    YEAR,
    at,
    attended,
    exempt,
    grassroots_cadre,
    mailed_to,
    november_plan,
    prefer,
    rows,
    run,
)
from tests.assignments.visits.factories import issued_plan

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


@pytest.fixture
def plan(tree, personas):
    return november_plan(tree, personas)


def _text(user, kind: str) -> str:
    return Notification.objects.get(recipient=user, kind=kind).text


# --- The monthly reminder ----------------------------------------------------------------------------
def test_on_the_first_every_cadre_login_or_not_gets_the_months_reminder_once(plan, personas):
    with at("2026-11-01 07:00"):
        result = run("monthly")
    assert rows(Kind.MONTHLY_REMINDER) == {"cadre": "2026-11", "othercadre": "2026-11", "CAD3": "2026-11"}
    assert mailed_to() == sorted([plan.cad1.email, plan.cad2.email, plan.cad3.email])
    assert (result.run.created, result.run.enqueued, result.run.outcome) == (3, 3, JobRun.Outcome.DONE)
    assert set(Notification.objects.values_list("status", flat=True)) == {Notification.Status.SENT}


def test_the_reminder_lists_the_months_meetings_of_the_cadres_cells(plan, personas):
    prefer(personas["cadre"], language="en")
    with at("2026-11-01 07:00"):
        run("monthly")
    text = _text(personas["cadre"], Kind.MONTHLY_REMINDER)
    assert "- 05/11/2026 at 19:30: Chi bộ ấp 1 – Đảng bộ xã Xuân Thới Sơn, Hội trường ấp 1" in text
    assert "- 12/11/2026 at 08:00: Chi bộ cơ quan – Huyện ủy Hóc Môn, Phòng họp số 2" in text
    assert "at least one cell meeting every month" in text
    assert "Đã hủy" not in text and "Tháng sau" not in text  # cancelled, next month
    assert "XB-AP1" not in text  # another cadre's cell


def test_the_reminder_gives_the_record_so_far_with_exempt_months(plan, tree, personas):
    prefer(personas["cadre"], language="en")
    attended(plan.cad1, tree.cell, datetime.date(YEAR, 3, 10))
    attended(plan.cad1, tree.cell, datetime.date(YEAR, 3, 24))  # the same month counts once
    attended(plan.cad1, tree.direct_cell, datetime.date(YEAR, 7, 2))
    exempt(plan.cad1, 8)
    with at("2026-11-01 07:00"):
        run("monthly")
    text = _text(personas["cadre"], Kind.MONTHLY_REMINDER)
    assert "Your record in 2026 so far: a meeting attended in 2 of 9 months." in text
    assert "Exempt months (not counted): 08/2026." in text


def test_in_january_there_is_no_record_yet(tree, personas):
    plan = november_plan(tree, personas)
    issued_plan(tree.root, YEAR + 1, [(plan.cad1, tree.cell)])
    prefer(personas["cadre"], language="en")
    with at("2027-01-01 07:00"):
        run("monthly")
    assert "This is the first month of 2027: there is no record yet." in _text(
        personas["cadre"], Kind.MONTHLY_REMINDER
    )


def test_the_last_day_of_a_month_sends_nothing_and_the_first_sends_the_new_month(plan):
    with at("2026-10-31 23:59"):
        assert run("monthly").run is None  # October's window closed on the 15th
    with at("2026-11-01 00:01"):
        run("monthly")
    assert set(rows(Kind.MONTHLY_REMINDER).values()) == {"2026-11"}


def test_running_the_job_twice_sends_nothing_twice(plan):
    with at("2026-11-01 07:00"):
        run("monthly")
        again = run("monthly")
    assert again.run.created == 0
    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 3


def test_an_exempt_month_gets_no_reminder_and_no_nudge(plan, personas):
    exempt(plan.cad1, 11)
    with at("2026-11-01 07:00"):
        run("monthly")
    with at("2026-11-20 07:00"):
        run("nudge")
    assert "cadre" not in rows(Kind.MONTHLY_REMINDER) and "cadre" not in rows(Kind.NUDGE)
    assert "othercadre" in rows(Kind.NUDGE)


def test_a_plan_issued_mid_month_is_reminded_by_the_next_reconcile(tree, personas):
    with at("2026-11-01 07:00"):
        assert run("monthly").run.created == 0  # no plan yet
    with at("2026-11-05 10:00"):
        november_plan(tree, personas)  # issued on the 5th
    with at("2026-11-06 07:30"):
        result = run("reconcile")
    assert rows(Kind.MONTHLY_REMINDER) == {"cadre": "2026-11", "othercadre": "2026-11", "CAD3": "2026-11"}
    assert result.run.created == 3 and len(mail.outbox) == 3


def test_a_plan_issued_after_the_grace_window_waits_for_next_month(tree, personas):
    with at("2026-11-16 10:00"):
        plan = november_plan(tree, personas)
        attended(plan.cad2, tree.sibling_cell, datetime.date(YEAR, 11, 10))
    with at("2026-11-17 07:30"):
        run("reconcile")
    assert rows(Kind.MONTHLY_REMINDER) == {}
    with at("2026-11-21 07:30"):
        run("reconcile")  # the nudge of the 20th is still inside its window
    assert rows(Kind.NUDGE) == {"cadre": "2026-11", "CAD3": "2026-11"}


# --- The nudge of the 20th ---------------------------------------------------------------------------
def test_the_nudge_goes_to_cadres_with_no_attended_meeting_this_month(plan, tree, personas):
    attended(plan.cad2, tree.sibling_cell, datetime.date(YEAR, 11, 3))
    attended(plan.cad1, tree.cell, datetime.date(YEAR, 10, 30))  # last month does not count
    prefer(personas["cadre"], language="en")
    with at("2026-11-20 07:00"):
        run("nudge")
    assert rows(Kind.NUDGE) == {"cadre": "2026-11", "CAD3": "2026-11"}
    text = _text(personas["cadre"], Kind.NUDGE)
    assert "You have not attended a cell meeting in 11/2026 yet" in text
    assert "05/11/2026" not in text  # only the meetings still ahead
    assert "Đã hủy" not in text


def test_staff_get_the_list_of_cadres_behind_in_their_subtree(plan, tree, personas):
    attended(plan.cad2, tree.sibling_cell, datetime.date(YEAR, 11, 3))
    prefer(personas["staff"], language="en")
    with at("2026-11-20 07:00"):
        run("nudge")
    assert rows(Kind.STAFF_BEHIND) == {"staff": "2026-11"}  # not the outsider, not the leader
    text = _text(personas["staff"], Kind.STAFF_BEHIND)
    assert "By 20/11/2026, 2 cadres had not attended a cell meeting in 11/2026:" in text
    assert "- Lê Văn Cán (CAD1)" in text and "- Phan Văn Ba (CAD3)" in text  # with or without a login
    assert "CAD2" not in text


def test_when_the_20th_is_a_saturday_the_nudge_waits_for_monday(tree, personas):
    november_plan(tree, personas)
    assert nudge_period(datetime.date(YEAR, 6, 1)).due == datetime.date(YEAR, 6, 22)
    with at("2026-06-20 07:00"):
        assert run("nudge").run is None
    with at("2026-06-21 07:00"):
        assert run("nudge").run is None
    with at("2026-06-22 07:00"):
        run("nudge")
    assert rows(Kind.NUDGE) == {"cadre": "2026-06", "othercadre": "2026-06", "CAD3": "2026-06"}


def test_when_the_20th_is_a_sunday_the_nudge_goes_out_on_the_21st(tree, personas):
    november_plan(tree, personas)
    with at("2026-09-20 07:00"):
        assert run("nudge").run is None
    with at("2026-09-21 07:00"):
        assert run("nudge").run.created == 4  # three cadres and the staff's list


# --- Overdue notes ---------------------------------------------------------------------------------------
def test_overdue_notes_are_reminded_daily_after_three_days(plan, tree, personas, staff):
    with at("2026-11-01 08:00"):
        visit = visit_plan(cadre=plan.cad1, meeting=plan.meeting, by=staff)  # meeting on the 5th
    with at("2026-11-08 07:00"):
        run("overdue")  # 3 days after: still on time
    assert rows(Kind.NOTE_OVERDUE) == {}
    prefer(personas["cadre"], language="en")
    with at("2026-11-09 07:00"):
        run("overdue")
        run("overdue")
    assert rows(Kind.NOTE_OVERDUE) == {"cadre": "2026-11-09"}
    assert "- the meeting of 05/11/2026: Chi bộ ấp 1 – Đảng bộ xã Xuân Thới Sơn" in _text(
        personas["cadre"], Kind.NOTE_OVERDUE
    )
    with at("2026-11-10 07:00"):
        run("overdue")
    assert Notification.objects.filter(kind=Kind.NOTE_OVERDUE).count() == 2
    AttendanceNote.objects.create(  # a submitted note ends the reminders
        visit=visit,
        author=plan.cad1,
        status=AttendanceNote.Status.SUBMITTED,
        meeting_date=visit.meeting_date,
        meeting_kind="regular",
    )
    with at("2026-11-11 07:00"):
        run("overdue")
    assert Notification.objects.filter(kind=Kind.NOTE_OVERDUE).count() == 2


# --- The quarterly report --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "today,key,due",
    [
        ("2026-04-01", "2026-Q1", "2026-04-01"),  # Wednesday
        ("2026-07-01", "2026-Q2", "2026-07-01"),
        ("2026-10-01", "2026-Q3", "2026-10-01"),
        ("2027-01-01", "2026-Q4", "2027-01-04"),  # New Year's Day (Friday), then a weekend
        ("2028-04-01", "2028-Q1", "2028-04-03"),  # a Saturday
        ("2028-10-01", "2028-Q3", "2028-10-02"),  # a Sunday
    ],
)
def test_the_quarterly_reminder_is_due_on_the_first_working_day_after_the_quarter(today, key, due):
    period = quarterly_period(datetime.date.fromisoformat(today))
    assert (period.key, period.due.isoformat()) == (key, due)


def test_extra_holidays_from_the_settings_push_the_quarterly_reminder(settings):
    settings.REMINDER_HOLIDAYS = ["2026-04-01", "2026-04-02"]
    assert quarterly_period(datetime.date(YEAR, 4, 1)).due == datetime.date(YEAR, 4, 3)


def test_staff_are_reminded_of_the_quarterly_report_with_a_link(tree, personas):
    prefer(personas["staff"], language="en")
    with at("2027-01-01 07:00"):
        assert run("quarterly").run is None
    with at("2027-01-04 07:00"):
        run("quarterly")
    assert rows(Kind.QUARTERLY_REPORT) == {"staff": "2026-Q4", "outsider": "2026-Q4"}
    notice = Notification.objects.get(recipient=personas["staff"], kind=Kind.QUARTERLY_REPORT)
    assert "Quarter 4/2026 ended on 31/12/2026" in notice.text
    try:
        expected = reverse("reports:report_list")
    except NoReverseMatch:
        expected = "/"
    assert notice.url == expected
    assert notice.status == Notification.Status.SKIPPED  # the staff login has no e-mail address


# --- Who never gets anything ------------------------------------------------------------------------------
def test_a_grassroots_user_gets_no_kind_of_notice(plan, tree, personas, staff):
    user = grassroots_cadre(tree, plan.plan)
    cadre = user.cadre
    with at("2026-11-01 07:00"):
        visit_plan(cadre=cadre, meeting=plan.meeting, by=staff)
        run("monthly")
    with at("2026-11-12 07:00"):
        run("overdue")
        services.meeting_move(
            meeting=plan.meeting,
            day=datetime.date(YEAR, 11, 28),
            start_time=datetime.time(8),
            place="Mới",
            by=staff,
        )
    with at("2026-11-20 07:00"):
        run("nudge")
        run("reconcile")
    with at("2027-01-04 07:00"):
        run("quarterly")
    assert not Notification.objects.filter(recipient__in=[user, personas["grassroots"]]).exists()
    assert Notification.objects.filter(recipient=personas["cadre"]).count() >= 3  # the others did get theirs


# --- Language ---------------------------------------------------------------------------------------------
def test_each_user_reads_the_notice_in_their_language(plan, personas):
    prefer(personas["other_cadre"], language="en")
    with at("2026-11-01 07:00"):
        run("monthly")
    english = Notification.objects.get(recipient=personas["other_cadre"])
    vietnamese = Notification.objects.get(recipient=personas["cadre"])
    assert english.subject == "Cell meetings in 11/2026"
    assert vietnamese.subject == "Lịch sinh hoạt chi bộ tháng 11/2026"
    assert "Kính gửi đồng chí Lê Văn Cán," in vietnamese.text
    assert {m.subject for m in mail.outbox} == {english.subject, vietnamese.subject}


def test_job_run_rejects_an_unknown_job():
    with pytest.raises(ValueError, match="unknown job 'weekly'"):
        job_run(job="weekly")
