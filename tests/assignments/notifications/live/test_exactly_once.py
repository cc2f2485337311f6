"""The monthly reminder through a real Redis broker and a real Celery worker process: one e-mail per cadre
in an issued plan, in several batches, and nothing twice when the job runs twice or two beats fire it at
once. Jobs run as production runs them, ``manage.py send_reminders`` in a process of their own."""

from __future__ import annotations

import re

import pytest

from assignments.models import JobRun, Notification
from tests.assignments.notifications.live.data import all_settled, committee, statuses
from tests.assignments.notifications.live.harness import wait_until

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
MONTHLY = {"kind": Notification.Kind.MONTHLY_REMINDER}
CADRES, BATCH = 40, 7  # six batches: five of 7 and one of 5
SETTLE_TIMEOUT = 60


def _written(output: str) -> tuple[int, int]:
    """(rows written, rows handed to the workers) from a ``send_reminders monthly`` summary line."""
    found = re.search(r": (\d+) written, (\d+) handed to the e-mail workers", output)
    assert found, output
    return int(found[1]), int(found[2])


def _settle() -> None:
    """Wait until no notice is pending. From then on nothing more can be delivered: a worker sends only
    a notice it claimed while pending, so the sink holds every e-mail there will ever be."""
    wait_until(lambda: all_settled(**MONTHLY), SETTLE_TIMEOUT, "every notice's e-mail to be sent")


def test_a_monthly_run_delivers_exactly_one_reminder_per_cadre(live):
    plan = committee(CADRES)
    live.settings["REMINDER_BATCH_SIZE"] = str(BATCH)
    worker = live.worker()

    output = live.run("send_reminders", "monthly", "--date", plan.first_of_march)

    assert _written(output) == (CADRES, CADRES)
    _settle()
    assert live.sink.counts() == dict.fromkeys(plan.addresses, 1)
    assert statuses(**MONTHLY) == {Notification.Status.SENT: CADRES}
    assert set(Notification.objects.filter(**MONTHLY).values_list("attempts", flat=True)) == {1}
    run = JobRun.objects.get(job=JobRun.Job.MONTHLY)
    assert (run.outcome, run.created, run.enqueued) == (JobRun.Outcome.DONE, CADRES, CADRES)
    # One task per batch of recipients went through the worker.
    received = re.findall(r"Task assignments\.send_notification_emails\[[^\]]+\] received", worker.output())
    assert len(received) == 6


def test_running_the_monthly_job_twice_sends_nothing_twice(live):
    plan = committee(CADRES)
    live.settings["REMINDER_BATCH_SIZE"] = str(BATCH)
    live.worker()

    first = live.run("send_reminders", "monthly", "--date", plan.first_of_march)
    _settle()
    second = live.run("send_reminders", "monthly", "--date", plan.first_of_march)

    assert (_written(first), _written(second)) == ((CADRES, CADRES), (0, 0))
    assert live.sink.counts() == dict.fromkeys(plan.addresses, 1)
    assert statuses(**MONTHLY) == {Notification.Status.SENT: CADRES}
    assert JobRun.objects.filter(job=JobRun.Job.MONTHLY).count() == 2


# One beat's firing of the job: Django set up, it waits for the starting signal (a file appearing) so
# that both beats run the job at the same moment, not one after the other.
BEAT = """
import os, sys, time
import django
django.setup()
from django.core.management import call_command
print("ready", flush=True)
while not os.path.exists(sys.argv[1]):
    time.sleep(0.001)
call_command("send_reminders", "monthly", "--date", sys.argv[2])
"""


def test_two_beats_firing_the_monthly_job_at_once_send_nothing_twice(live, tmp_path):
    plan = committee(CADRES)
    live.settings["REMINDER_BATCH_SIZE"] = str(BATCH)
    live.worker()
    go = tmp_path / "go"

    # Two schedulers by mistake: the same job, the same day, in two processes at once.
    beats = [live.start_python(BEAT, str(go), plan.first_of_march) for _beat in range(2)]
    assert [beat.stdout.readline().strip() for beat in beats] == ["ready", "ready"]
    go.touch()
    outputs = [beat.communicate(timeout=120) for beat in beats]

    assert [beat.returncode for beat in beats] == [0, 0], outputs
    first, second = JobRun.objects.filter(job=JobRun.Job.MONTHLY).order_by("started_at")
    assert second.started_at < first.finished_at  # the two runs did overlap
    written = sorted(_written(out) for out, _err in outputs)
    assert sum(rows for rows, _handed in written) == CADRES  # each cadre's row written by one of them
    assert sum(handed for _rows, handed in written) == CADRES  # and handed to the workers once
    _settle()
    assert live.sink.counts() == dict.fromkeys(plan.addresses, 1)
    assert statuses(**MONTHLY) == {Notification.Status.SENT: CADRES}
    assert set(Notification.objects.filter(**MONTHLY).values_list("attempts", flat=True)) == {1}
