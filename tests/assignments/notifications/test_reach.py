"""Every cadre can be reached: cadres without a login get every notice by e-mail and find the in-app copies
once a login is linked; cadres without an e-mail address are listed and named where a notice is promised;
a returned note tells its author; staff pause and resume the jobs on the operations page."""

from __future__ import annotations

import datetime
import io
import logging
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.core.management import call_command
from django.test import RequestFactory, TestCase
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from assignments.models import Cadre, Notification, NotificationPreference, ScheduleChange
from assignments.notes import services as notes
from assignments.notifications import events as notifications
from assignments.visits.services import visit_plan
from cells.access.roles import Role
from cells.logins.services import user_create
from tests.assignments.notes.factories import pending_round_version, submitted_note
from tests.assignments.notifications.factories import YEAR, at, mailed_to, november_plan, rows, run
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db
Kind, Status = Notification.Kind, Notification.Status
OPERATIONS = reverse("assignments:operations")
NOTIFICATIONS = reverse("assignments:notification_list")


@pytest.fixture
def plan(tree, personas):
    return november_plan(tree, personas)


def _login_for(cadre: Cadre, tree, username: str = "phanvanba", role: Role = Role.CADRE):
    user = user_create(username=username, password="x-" * 8, role=role, scope=tree.root, full_name="")
    cadre.user = user
    cadre.save(update_fields=["user"])
    return user


def _text(response) -> str:
    return response.content.decode()


# --- Cadres without a login ---------------------------------------------------------------------------
def test_a_cadre_without_a_login_gets_the_monthly_reminder_by_email_in_vietnamese(plan):
    with at("2026-11-01 07:00"):
        run("monthly")
    notice = Notification.objects.get(cadre=plan.cad3, kind=Kind.MONTHLY_REMINDER)
    assert (notice.recipient, notice.status) == (None, Status.SENT)
    message = next(m for m in mail.outbox if m.to == ["cad3@example.org"])
    assert message.subject == "Lịch sinh hoạt chi bộ tháng 11/2026"  # the site's language: no preferences
    assert message.body.startswith("Kính gửi đồng chí Phan Văn Ba,")


def test_notices_written_before_a_login_wait_for_it(plan, tree, client_for):
    with at("2026-11-01 07:00"):
        run("monthly")
    with at("2026-11-20 07:00"):
        run("nudge")
    user = _login_for(plan.cad3, tree)
    client = client_for(user)
    page = _text(client.get(NOTIFICATIONS))
    assert "Lịch sinh hoạt chi bộ tháng 11/2026" in page or "Kính gửi đồng chí Phan Văn Ba" in page
    assert page.count('data-notification="') == 2
    assert 'data-testid="unread-count">2<' in page  # the unread count on the bell
    notice = Notification.objects.get(cadre=plan.cad3, kind=Kind.NUDGE)
    client.post(reverse("assignments:notification_read", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert 'data-testid="unread-count">1<' in _text(client.get(NOTIFICATIONS))


def test_another_login_never_reads_a_cadres_notices(plan, personas, client_for):
    with at("2026-11-01 07:00"):
        run("monthly")
    mine = Notification.objects.get(cadre=plan.cad3)
    for name in ("other_cadre", "staff", "grassroots"):
        client = client_for(personas[name])
        assert f'data-notification="{mine.pk}"' not in _text(client.get(NOTIFICATIONS))
        assert client.post(reverse("assignments:notification_read", args=[mine.pk])).status_code == 404


def test_a_grassroots_login_linked_to_a_cadre_reads_none_of_its_notices(plan, tree, client_for):
    with at("2026-11-01 07:00"):
        run("monthly")
    user = _login_for(plan.cad3, tree, username="coso", role=Role.GRASSROOTS_STAFF)
    assert 'data-notification="' not in _text(client_for(user).get(NOTIFICATIONS))


def test_a_login_no_longer_linked_to_the_cadre_stops_reading_its_notices(plan, tree, client_for):
    old = _login_for(plan.cad3, tree)
    with at("2026-11-01 07:00"):
        run("monthly")
    notice = Notification.objects.get(cadre=plan.cad3, kind=Kind.MONTHLY_REMINDER)
    assert notice.recipient == old  # written while this login was the cadre's
    assert f'data-notification="{notice.pk}"' in _text(client_for(old).get(NOTIFICATIONS))
    new = _login_for(plan.cad3, tree, username="phanvanba2")
    assert f'data-notification="{notice.pk}"' not in _text(client_for(old).get(NOTIFICATIONS))
    assert f'data-notification="{notice.pk}"' in _text(client_for(new).get(NOTIFICATIONS))


def test_a_deactivated_login_means_the_cadre_left_and_gets_nothing(plan, personas):
    user = personas["cadre"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    with at("2026-11-01 07:00"):
        run("monthly")
    assert "cadre" not in rows(Kind.MONTHLY_REMINDER)
    assert plan.cad1.email not in mailed_to()
    assert not Notification.objects.filter(cadre=plan.cad1).exists()


def test_a_cadre_without_any_address_gets_the_in_app_copy_only(plan):
    plan.cad3.email = ""
    plan.cad3.save(update_fields=["email"])
    with at("2026-11-01 07:00"):
        run("monthly")
    notice = Notification.objects.get(cadre=plan.cad3)
    assert (notice.status, notice.last_error) == (Status.SKIPPED, "no e-mail address")
    assert "cad3@example.org" not in mailed_to()


# --- Who is unreachable ---------------------------------------------------------------------------------
def test_unreachable_is_one_rule_the_record_or_the_logins_address(plan, tree):
    login = _login_for(CadreFactory(code="CAD7", organization=tree.root, email=""), tree, username="c7")
    login.email = "c7@login.vn"
    login.save(update_fields=["email"])
    CadreFactory(code="CAD8", organization=tree.root, email="")
    assert list(Cadre.objects.unreachable().values_list("code", flat=True)) == ["CAD8"]
    assert "CAD7" in Cadre.objects.reachable_by_email().values_list("code", flat=True)
    assert Cadre.objects.unreachable().count() + Cadre.objects.reachable_by_email().count() == (
        Cadre.objects.count()
    )


def test_the_operations_page_lists_the_cadres_without_email_and_links_to_them(
    tree, personas, staff, client_for
):
    CadreFactory(code="CAD8", full_name="Nguyễn Văn An", organization=tree.root, email="")
    CadreFactory(code="CAD9", full_name="Trần Thị Bích", organization=tree.root, email="b@example.org")
    client = client_for(staff)
    page = _text(client.get(OPERATIONS))
    assert "Cán bộ không nhận được e-mail" in page
    assert "1 cán bộ không có địa chỉ e-mail" in page
    assert "Nguyễn Văn An (CAD8)" in page and "Trần Thị Bích" not in page
    link = re.search(r'href="([^"]+)" data-testid="unreachable-link"', page).group(1)
    assert link == reverse("assignments:cadre_list") + "?email=none"
    listed = _text(client.get(link))
    assert "Nguyễn Văn An" in listed and "Trần Thị Bích" not in listed
    assert "Lê Văn Cán" not in listed  # the cadre persona has an address


def test_the_cadre_list_filters_by_email(tree, personas, staff, client_for):
    CadreFactory(code="CAD8", full_name="Nguyễn Văn An", organization=tree.root, email="")
    client = client_for(staff)
    page = _text(client.get(reverse("assignments:cadre_list")))
    assert "Địa chỉ e-mail" in page and "Không có: không nhận được thông báo nào" in page
    with_address = _text(client.get(reverse("assignments:cadre_list") + "?email=yes"))
    assert "Nguyễn Văn An" not in with_address and "Lê Văn Cán" in with_address


def test_the_staffs_list_of_cadres_behind_marks_those_without_email(plan):
    plan.cad3.email = ""
    plan.cad3.save(update_fields=["email"])
    with at("2026-11-20 07:00"):
        run("nudge")
    text = Notification.objects.get(kind=Kind.STAFF_BEHIND).text
    assert "- Phan Văn Ba (CAD3) - không có địa chỉ e-mail, vui lòng báo trực tiếp" in text
    assert "- Lê Văn Cán (CAD1)\n" in text + "\n"


def test_the_dashboards_cadres_behind_mark_those_without_email(plan):
    from django.template.loader import render_to_string
    from django.utils import translation

    from reports.compliance import selectors as compliance

    plan.cad3.email = ""
    plan.cad3.save(update_fields=["email"])
    context = compliance.dashboard_context(root=plan.plan.root, year=YEAR, today=datetime.date(YEAR, 11, 20))
    with translation.override("vi"):
        html = render_to_string("reports/dashboard/_cadres.html", context)
    behind = re.search(r'data-testid="cadres-behind".*', html, re.S).group(0)
    marked = re.findall(r">([^<>]+)</a>:[^<]*<span[^>]*behind-no-email[^>]*>([^<]+)<", behind)
    assert marked == [("Phan Văn Ba", "chưa có e-mail: cần báo trực tiếp")]


# --- The meeting pages say who is told ------------------------------------------------------------------
def _move_page(client, meeting) -> str:
    page = _text(client.get(reverse("cells:meeting_edit", args=[meeting.pk])))
    return re.sub(r"[A-Za-z0-9]{64}", "CSRF", page)


def test_the_move_page_says_who_is_told_and_who_is_not(plan, grassroots, client_for):
    plan.cad3.email = ""
    plan.cad3.save(update_fields=["email"])
    page = _move_page(client_for(grassroots), plan.meeting)
    assert "1 cán bộ được phân công sẽ được báo thay đổi qua e-mail." in page
    assert "1 cán bộ không có địa chỉ e-mail nên sẽ không được báo: Phan Văn Ba." in page
    cancel = _text(client_for(grassroots).get(reverse("cells:meeting_cancel", args=[plan.meeting.pk])))
    assert "Phan Văn Ba" in cancel


def test_the_move_page_is_the_same_whether_or_not_a_visit_is_planned(plan, grassroots, staff, client_for):
    client = client_for(grassroots)
    before = _move_page(client, plan.meeting)
    with at("2026-11-01 08:00"):
        visit_plan(cadre=plan.cad1, meeting=plan.meeting, by=staff)
    assert _move_page(client, plan.meeting) == before


def test_staff_see_the_same_on_the_meeting_page(plan, staff, client_for):
    page = _text(client_for(staff).get(plan.meeting.get_absolute_url()))
    assert "2 cán bộ được phân công sẽ được báo thay đổi qua e-mail." in page


# --- A returned note -----------------------------------------------------------------------------------
def test_a_returned_note_tells_its_author_once_per_round(tree, cadre_user, staff, client_for):
    note = submitted_note(cadre_user, tree.cell, datetime.date(2026, 3, 5))
    review = reverse("assignments:note_review", args=[note.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for(staff).post(
            review,
            {
                "decision": "return",
                "comment": "Bổ sung số vắng mặt",
                "round_version": pending_round_version(note),
            },
        )
    assert response.status_code == 302
    notice = Notification.objects.get(kind=Kind.NOTE_RETURNED)
    assert (notice.cadre, notice.recipient, notice.url) == (note.author, cadre_user, note.get_absolute_url())
    assert "đã được" in notice.text and "trả lại với ý kiến:\nBổ sung số vắng mặt" in notice.text
    assert "Chi bộ ấp 1 – Đảng bộ xã Xuân Thới Sơn ngày 05/03/2026" in notice.text
    [message] = mail.outbox
    assert message.subject == "Báo cáo dự sinh hoạt bị trả lại"
    assert "Bổ sung số vắng mặt" in message.body and message.body.endswith(note.get_absolute_url())
    round_ = note.rounds.get(number=1)
    notifications.note_returned_notify(note=note, round=round_)  # the same round again: nothing new
    assert Notification.objects.filter(kind=Kind.NOTE_RETURNED).count() == 1
    page = _text(client_for(cadre_user).get(NOTIFICATIONS))
    assert "Bổ sung số vắng mặt" in page
    note.refresh_from_db()
    note = notes.note_submit(note=note, version=note.version, by=cadre_user)
    notes.note_return(note=note, round_version=pending_round_version(note), by=staff, comment="Thêm nữa")
    assert Notification.objects.filter(kind=Kind.NOTE_RETURNED).count() == 2


def test_a_returned_note_is_mailed_even_to_a_cadre_who_turned_off_meeting_change_mails(
    tree, cadre_user, staff
):
    NotificationPreference.objects.create(user=cadre_user, email_meeting_changes=False)
    note = submitted_note(cadre_user, tree.cell, datetime.date(2026, 3, 5))
    with TestCase.captureOnCommitCallbacks(execute=True):
        notes.note_return(note=note, round_version=pending_round_version(note), by=staff, comment="Bổ sung")
    [message] = mail.outbox
    assert message.subject == "Báo cáo dự sinh hoạt bị trả lại" and "Bổ sung" in message.body


# --- Pausing and resuming jobs ---------------------------------------------------------------------------
def _sync() -> None:
    call_command("sync_schedule", stdout=io.StringIO())


def test_the_schedule_is_in_words_in_the_users_language(staff, client_for, client):
    _sync()
    page = _text(client_for(staff).get(OPERATIONS))
    for words in ("ngày 1 hằng tháng, 07:00", "hằng ngày, 07:30", "5 phút một lần", "Nhắc ngày 20"):
        assert words in page
    assert "*/5" not in page and "<code>" not in page
    client.cookies["django_language"] = "en"
    english = _text(client.get(OPERATIONS))
    assert "the 1st of each month, 07:00" in english and "every 5 minutes" in english


def test_staff_pause_and_resume_a_job_on_the_page(staff, client_for):
    _sync()
    client = client_for(staff)
    page = _text(client.get(OPERATIONS))
    assert 'data-testid="pause-monthly"' in page and 'data-testid="pause-heartbeat"' not in page
    response = client.post(reverse("assignments:operations_schedule_pause", args=["monthly"]), follow=True)
    assert not PeriodicTask.objects.get(name="reminders: monthly reminder").enabled
    page = _text(response)
    assert "Đã tạm dừng: Nhắc lịch hằng tháng." in page
    assert 'data-testid="resume-monthly"' in page
    assert re.search(r"tạm dừng lúc \d\d/\d\d/\d{4} \d\d:\d\d", page)
    change = ScheduleChange.objects.get()
    assert (change.entry, change.enabled, change.by) == ("monthly reminder", False, staff)
    _sync()  # a deployment keeps the pause
    assert not PeriodicTask.objects.get(name="reminders: monthly reminder").enabled
    client.post(reverse("assignments:operations_schedule_resume", args=["monthly"]))
    assert PeriodicTask.objects.get(name="reminders: monthly reminder").enabled
    assert "cho chạy lại lúc" in _text(client.get(OPERATIONS))
    assert ScheduleChange.objects.count() == 2


def test_only_organization_staff_pause_and_unknown_jobs_are_404(staff, leader, personas, client_for):
    _sync()
    url = reverse("assignments:operations_schedule_pause", args=["monthly"])
    for name in ("leader", "cadre", "grassroots"):
        assert client_for(personas[name]).post(url).status_code == 403
    assert PeriodicTask.objects.get(name="reminders: monthly reminder").enabled
    client = client_for(staff)
    assert client.post(reverse("assignments:operations_schedule_pause", args=["weekly"])).status_code == 404
    refused = client.post(reverse("assignments:operations_schedule_pause", args=["heartbeat"]), follow=True)
    assert "Mục này không tạm dừng được." in _text(refused)
    assert PeriodicTask.objects.get(name="reminders: heartbeat").enabled


def test_pausing_before_the_schedule_is_installed_says_what_to_do(staff, client_for):
    response = client_for(staff).post(
        reverse("assignments:operations_schedule_pause", args=["monthly"]), follow=True
    )
    assert "hãy chạy python manage.py sync_schedule" in _text(response)
    assert not ScheduleChange.objects.exists()


# --- make run: no scheduler, and quiet 403s -------------------------------------------------------------
def test_the_page_says_when_scheduled_reminders_do_not_run(staff, client_for, settings):
    client = client_for(staff)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert "các lần nhắc theo lịch không chạy" in _text(client.get(OPERATIONS))
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert 'data-testid="scheduler-in-process"' not in _text(client.get(OPERATIONS))


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_403_is_logged_as_one_line_without_a_traceback():
    handler = _Records()
    logger = logging.getLogger("django")
    logger.addHandler(handler)
    try:
        response_for_exception(RequestFactory().get("/x/"), PermissionDenied())
    finally:
        logger.removeHandler(handler)
    [record] = handler.records
    assert record.getMessage() == "Forbidden (Permission denied): /x/"
    assert record.exc_info is None and "Traceback" not in logging.Formatter().format(record)


# --- The demo ------------------------------------------------------------------------------------------
def test_the_monthly_job_on_the_demo_writes_a_notice_for_every_cadre_with_an_email(settings):
    from assignments.cadres.selectors import not_exempt, planned_cadres
    from assignments.demo.district import seed_demo

    settings.DEBUG = True
    with at("2026-11-01 06:00"):
        seed_demo()
        out = io.StringIO()
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("send_reminders", "monthly", stdout=out)
    cadres = not_exempt(planned_cadres(YEAR), YEAR, 11)
    with_email = set(cadres.reachable_by_email().values_list("pk", flat=True))
    without = set(cadres.unreachable().values_list("pk", flat=True))
    assert len(with_email) > 40 and 1 <= len(without) <= 8  # most have an address, a few do not
    notices = Notification.objects.filter(kind=Kind.MONTHLY_REMINDER, period="2026-11")
    assert set(notices.exclude(status=Status.SKIPPED).values_list("cadre_id", flat=True)) == with_email
    assert set(notices.filter(status=Status.SKIPPED).values_list("cadre_id", flat=True)) == without
    assert len(mail.outbox) == len(with_email)
    assert f"monthly 2026-11: {len(with_email) + len(without)} written" in out.getvalue()
    assert all(address.isascii() for message in mail.outbox for address in message.to)
