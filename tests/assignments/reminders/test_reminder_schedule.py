"""The schedule module synced into django-celery-beat, and the jobs as management commands."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from assignments.models import JobRun, Notification
from assignments.reminders.schedule import PREFIX, SCHEDULE
from tests.assignments.notifications.factories import at, november_plan
from tests.config.processes import project_env, run_manage

pytestmark = pytest.mark.django_db


def _sync() -> str:
    out = io.StringIO()
    call_command("sync_schedule", stdout=out)
    return out.getvalue()


def test_every_entry_becomes_a_periodic_task_in_vietnam_time():
    assert _sync().strip() == f"schedule: {len(SCHEDULE)} created, 0 updated, 0 removed"
    monthly = PeriodicTask.objects.get(name=PREFIX + "monthly reminder")
    assert (monthly.task, json.loads(monthly.kwargs)) == ("assignments.run_reminder_job", {"job": "monthly"})
    crontab = monthly.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_month, str(crontab.timezone)) == (
        "0",
        "7",
        "1",
        "Asia/Ho_Chi_Minh",
    )
    assert PeriodicTask.objects.get(name=PREFIX + "heartbeat").expire_seconds == 50


def test_syncing_again_keeps_what_staff_paused_and_removes_what_is_gone():
    _sync()
    PeriodicTask.objects.filter(name=PREFIX + "nudge on the 20th").update(enabled=False)
    stale = PeriodicTask.objects.create(
        name=PREFIX + "weekly digest", task="x", crontab=CrontabSchedule.objects.first()
    )
    foreign = PeriodicTask.objects.create(
        name="someone else's", task="y", crontab=CrontabSchedule.objects.first()
    )
    assert _sync().strip() == f"schedule: 0 created, {len(SCHEDULE)} updated, 1 removed"
    assert not PeriodicTask.objects.get(name=PREFIX + "nudge on the 20th").enabled
    assert not PeriodicTask.objects.filter(pk=stale.pk).exists()
    assert PeriodicTask.objects.filter(pk=foreign.pk).exists()
    assert PeriodicTask.objects.filter(name__startswith=PREFIX).count() == len(SCHEDULE)


def test_each_job_runs_as_a_command(tree, personas):
    november_plan(tree, personas)
    out = io.StringIO()
    with at("2026-11-05 09:00"):
        call_command("send_reminders", "monthly", stdout=out)
    assert out.getvalue().strip() == (
        "monthly 2026-11: 3 written, 3 handed to the e-mail workers, 0 given up as past their grace window"
    )
    assert JobRun.objects.get().source == JobRun.Source.COMMAND
    out = io.StringIO()
    call_command("send_reminders", "nudge", "--date", "2026-11-10", stdout=out)
    assert out.getvalue().strip() == "nudge: not due on 10/11/2026 (period 2026-11: 20/11/2026 to 24/11/2026)"
    assert Notification.objects.count() == 3


@pytest.mark.parametrize(
    "args,message",
    [
        ([], "no job given; choose one of: monthly, nudge, overdue, quarterly, reconcile, outbox"),
        (["weekly"], "unknown job 'weekly'; choose one of: monthly, nudge"),
        (["monthly", "--date", "2026-02-30"], "--date '2026-02-30' is not a date (YYYY-MM-DD)"),
    ],
)
def test_bad_arguments_are_one_clear_line(args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("send_reminders", *args)


def test_from_the_shell_a_bad_argument_exits_non_zero_with_one_line():
    result = run_manage("send_reminders", "weekly", env=project_env(DEBUG="true"))
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines[-1].startswith("CommandError: unknown job 'weekly'")
    assert not any(line.startswith("usage:") for line in lines)
