"""The monthly reminder through a real Redis broker and a real Celery worker process: one e-mail per cadre
in an issued plan, in several batches, and nothing twice when the job runs twice or two beats fire it at
once. Jobs run as production runs them, ``manage.py send_reminders`` in a process of their own."""

from __future__ import annotations

import re

import pytest

from assignments.models import JobRun, Notification

from .data import all_settled, committee, statuses
from .harness import wait_until

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


def test_two_beats_firing_the_monthly_job_at_once_send_nothing_twice(live):
    plan = committee(CADRES)
    live.settings["REMINDER_BATCH_SIZE"] = str(BATCH)
    live.worker()

    # Two schedulers by mistake: the same job, the same day, two processes started together.
    runs = [live.manage("send_reminders", "monthly", "--date", plan.first_of_march) for _beat in range(2)]
    outputs = [process.communicate(timeout=120) for process in runs]

    assert [process.returncode for process in runs] == [0, 0], outputs
    written = sorted(_written(out) for out, _err in outputs)
    assert sum(rows for rows, _handed in written) == CADRES  # each cadre's row written by one of them
    assert sum(handed for _rows, handed in written) == CADRES  # and handed to the workers once
    _settle()
    assert live.sink.counts() == dict.fromkeys(plan.addresses, 1)
    assert statuses(**MONTHLY) == {Notification.Status.SENT: CADRES}
    assert set(Notification.objects.filter(**MONTHLY).values_list("attempts", flat=True)) == {1}
