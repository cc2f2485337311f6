"""Exactly once through failures: the e-mail of a notice is claimed before it is sent, retried with
backoff when the SMTP server fails and then marked failed with the reason; rows whose enqueue failed
(broker down) go out through the outbox sweep; nothing past its grace window is sent late."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from assignments.models import JobRun, Notification
from assignments.notifications import outbox
from assignments.notifications.tasks import send_notification_emails
from cells.meetings import services
from tests.assignments.notifications.factories import (
    YEAR,
    addressee,
    at,
    mailed_to,
    november_plan,
    prefer,
    rows,
    run,
)
from tests.assignments.notifications.mail_backends import FlakyBackend

pytestmark = pytest.mark.django_db
Kind, Status = Notification.Kind, Notification.Status


@pytest.fixture
def plan(tree, personas):
    return november_plan(tree, personas)


def _states() -> dict[str, tuple]:
    return {
        addressee(n): (n.status, n.attempts)
        for n in Notification.objects.select_related("recipient", "cadre").order_by("pk")
    }


# --- SMTP failures ------------------------------------------------------------------------------------
def test_a_failing_smtp_server_is_retried_then_the_notice_is_marked_failed(plan, settings):
    settings.EMAIL_BACKEND = "tests.assignments.notifications.mail_backends.FailingBackend"
    settings.REMINDER_EMAIL_MAX_RETRIES = 3
    with at("2026-11-01 07:00"):
        run("monthly")
    assert _states() == {  # 1 + 3 retries
        "cadre": (Status.FAILED, 4),
        "othercadre": (Status.FAILED, 4),
        "CAD3": (Status.FAILED, 4),
    }
    failed = Notification.objects.get(recipient__username="cadre")
    assert failed.last_error == "SMTPServerDisconnected: mail server down"
    assert failed.sent_at is None and failed.claimed_at is None
    assert Notification.objects.filter(read_at__isnull=True).count() == 3  # still in the users' lists


def test_a_flaky_server_is_retried_until_the_email_goes_out(plan, settings):
    settings.EMAIL_BACKEND = "tests.assignments.notifications.mail_backends.FlakyBackend"
    FlakyBackend.failures = 2
    with at("2026-11-01 07:00"):
        run("monthly")
    assert mailed_to() == sorted([plan.cad1.email, plan.cad2.email, plan.cad3.email])
    states = _states()
    assert {status for status, _attempts in states.values()} == {Status.SENT}
    assert sum(attempts for _status, attempts in states.values()) == 5  # two failures, three sends


def test_the_backoff_grows_and_stays_within_a_few_minutes(settings):
    settings.REMINDER_RETRY_BACKOFF_SECONDS, settings.REMINDER_RETRY_BACKOFF_MAX_SECONDS = 30, 300
    assert [outbox.retry_delay(n) for n in range(6)] == [30, 60, 120, 240, 300, 300]


def test_the_reconcile_tries_failed_emails_again_inside_their_window(plan, settings):
    settings.EMAIL_BACKEND = "tests.assignments.notifications.mail_backends.FailingBackend"
    settings.REMINDER_EMAIL_MAX_RETRIES = 0
    with at("2026-11-01 07:00"):
        run("monthly")
    assert {status for status, _n in _states().values()} == {Status.FAILED}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is fixed
    with at("2026-11-02 07:30"):
        run("reconcile")
    assert {status for status, _n in _states().values()} == {Status.SENT}
    assert len(mail.outbox) == 3


# --- Claims: never twice -------------------------------------------------------------------------------
def test_the_email_task_run_twice_sends_once(plan):
    with at("2026-11-01 07:00"):
        run("monthly")
        ids = list(Notification.objects.values_list("pk", flat=True))
        send_notification_emails.delay(ids)
    assert len(mail.outbox) == 3


def test_a_row_claimed_by_a_live_worker_is_left_alone_until_its_lease_is_over(plan, settings):
    with at("2026-11-01 07:00"):
        run("monthly", send=False)
    row = Notification.objects.get(recipient__username="cadre")
    with at("2026-11-01 07:01"):
        Notification.objects.filter(pk=row.pk).update(claimed_at=timezone.now())  # a worker took it
        assert outbox.emails_send(notification_ids=[row.pk]) == {}
    assert mail.outbox == []
    with at("2026-11-01 07:12"):  # the worker died: its 10-minute claim is over
        outbox.emails_send(notification_ids=[row.pk])
    assert mailed_to() == [plan.cad1.email]


def test_a_notice_without_an_address_is_not_sent(plan, personas):
    plan.cad1.email = ""
    plan.cad1.save()
    with at("2026-11-01 07:00"):
        run("monthly")
    notice = Notification.objects.get(recipient=personas["cadre"])
    assert (notice.status, notice.last_error) == (Status.SKIPPED, outbox.SKIP_NO_ADDRESS)
    assert mailed_to() == sorted([plan.cad2.email, plan.cad3.email])


def test_the_email_carries_an_absolute_link(plan, settings):
    settings.SITE_URL = "https://dangbo.example.vn"
    with at("2026-11-01 07:00"):
        run("monthly")
    link = "https://dangbo.example.vn" + reverse("assignments:my_visits")
    assert all(m.body.endswith("\n\n" + link) for m in mail.outbox)


# --- Preferences --------------------------------------------------------------------------------------
def test_a_kind_turned_off_arrives_in_app_only_and_the_monthly_reminder_always_by_email(plan, personas):
    prefer(personas["cadre"], email_nudge=False, email_meeting_changes=False)
    with at("2026-11-01 07:00"):
        run("monthly")
    with at("2026-11-20 07:00"):
        run("nudge")
    nudge = Notification.objects.get(recipient=personas["cadre"], kind=Kind.NUDGE)
    assert (nudge.status, nudge.last_error) == (Status.SKIPPED, outbox.SKIP_OPTED_OUT)
    sent = {(m.to[0], m.subject) for m in mail.outbox}
    assert sum(1 for to, _subject in sent if to == plan.cad1.email) == 1  # the monthly reminder only
    assert sum(1 for to, _subject in sent if to == plan.cad2.email) == 2


# --- Fan-out -------------------------------------------------------------------------------------------
def test_the_fan_out_is_one_task_per_batch(plan, tree, personas, settings):
    from cells.access.roles import Role
    from cells.logins.services import user_create
    from tests.factories import CadreFactory

    for n in range(3):
        user = user_create(username=f"extra{n}", password="x" * 12, role=Role.CADRE, scope=tree.root)
        plan.plan.assignments.create(cadre=CadreFactory(organization=tree.root, user=user), cell=tree.cell2)
    settings.REMINDER_BATCH_SIZE = 2
    with at("2026-11-01 07:00"):
        with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
            run("monthly", send=False)
        assert len(callbacks) == 3  # 6 notices in batches of 2
        for callback in callbacks:
            callback()
    assert len(mail.outbox) == 6


# --- The broker is down -------------------------------------------------------------------------------
def _broker_down(*args, **kwargs):
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_with_the_broker_down_a_meeting_change_saves_and_the_outbox_sends_it_later(
    plan, grassroots, monkeypatch, settings
):
    settings.REMINDER_OUTBOX_DELAY_SECONDS = 120
    monkeypatch.setattr(send_notification_emails, "apply_async", _broker_down)
    with at("2026-11-02 10:00"), TestCase.captureOnCommitCallbacks(execute=True):
        services.meeting_move(
            meeting=plan.meeting,
            day=datetime.date(YEAR, 11, 6),
            start_time=datetime.time(19, 30),
            place="Nhà văn hóa",
            by=grassroots,
        )
    unsent = rows(Kind.MEETING_MOVED, status=Status.PENDING, enqueued_at__isnull=True)
    assert set(unsent) == {"cadre", "CAD3"}
    monkeypatch.undo()  # Redis is back
    with at("2026-11-02 10:01"):
        assert run("outbox").run is None  # too fresh: its own enqueue might still be under way
    with at("2026-11-02 10:05"):
        sweep = run("outbox")
    assert sweep.run.enqueued == 2 and sweep.run.job == JobRun.Job.OUTBOX
    assert mailed_to() == sorted([plan.cad1.email, plan.cad3.email])  # both are assigned to the cell
    assert rows(Kind.MEETING_MOVED, status=Status.SENT) == rows(Kind.MEETING_MOVED)


def test_with_the_broker_down_the_job_still_writes_its_rows(plan, monkeypatch):
    monkeypatch.setattr(send_notification_emails, "apply_async", _broker_down)
    with at("2026-11-01 07:00"):
        result = run("monthly")
    assert result.run.outcome == JobRun.Outcome.DONE
    assert set(rows(Kind.MONTHLY_REMINDER, status=Status.PENDING)) == {"cadre", "othercadre", "CAD3"}
    monkeypatch.undo()
    with at("2026-11-01 07:30"):
        run("reconcile")
    assert len(mail.outbox) == 3


# --- Grace windows ----------------------------------------------------------------------------------------
def test_nothing_past_its_grace_window_is_sent_late(plan, monkeypatch):
    monkeypatch.setattr(send_notification_emails, "apply_async", _broker_down)
    with at("2026-11-01 07:00"):
        run("monthly")  # written, never handed over
    monkeypatch.undo()
    with at("2026-11-16 07:30"):
        result = run("reconcile")
    assert mail.outbox == []
    assert result.run.expired == 3
    notice = Notification.objects.get(recipient__username="cadre")
    assert (notice.status, notice.last_error) == (Status.SKIPPED, outbox.SKIP_EXPIRED)


def test_a_task_that_arrives_after_the_window_sends_nothing(plan):
    with at("2026-11-01 07:00"):
        run("monthly", send=False)
    with at("2026-11-16 00:00"):
        outbox.emails_send(notification_ids=list(Notification.objects.values_list("pk", flat=True)))
    assert mail.outbox == []
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SKIPPED}


def test_the_reconcile_sends_what_beat_missed_and_only_that(plan):
    with at("2026-11-01 07:00"):
        run("monthly")
    mail.outbox.clear()
    with at("2026-11-03 07:30"):
        result = run("reconcile")
    assert result.run.created == 0 and mail.outbox == []  # everything had gone out
