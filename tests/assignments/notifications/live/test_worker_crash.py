"""A worker killed with SIGKILL in the middle of the monthly fan-out: every cadre still ends up reminded
exactly once, whether the broker hands the lost task to the next worker (acks_late and the visibility
timeout) or the outbox sweep hands its rows over again.

The first worker's mail server stops answering in the middle of the fan-out (MAIL_SINK_HANG_AT), so the
test kills it while it is inside a send: that notice is claimed but never sent, nor is the rest of its
batch. The claim's lease and the
visibility timeout are shortened so that the recovery happens within the test.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest

from assignments.models import Notification
from tests.assignments.notifications.live.data import Committee, all_settled, committee, statuses
from tests.assignments.notifications.live.harness import wait_until
from tests.assignments.notifications.live.mail_sink import read_lines

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
MONTHLY = {"kind": Notification.Kind.MONTHLY_REMINDER}
Status = Notification.Status
CADRES, BATCH = 40, 5
KILL_DURING = 8  # the send the first worker dies in (the third of its second batch)
LEASE, VISIBILITY = 2, 3  # seconds


@dataclass
class Crash:
    plan: Committee
    killed_at: float  # time.monotonic()
    mid_send: Notification  # the notice the worker died sending
    attempts: dict[int, int]  # notice -> attempts when the worker died
    pending: set[int]  # notices still pending then


def _slow_worker_killed_mid_send(live) -> Crash:
    """Start the worker, run the job, SIGKILL the worker inside its KILL_DURING-th send."""
    plan = committee(CADRES)
    live.settings.update(REMINDER_BATCH_SIZE=str(BATCH), REMINDER_CLAIM_LEASE_SECONDS=str(LEASE))
    doomed = live.worker("doomed", MAIL_SINK_HANG_AT=str(KILL_DURING))
    live.run("send_reminders", "monthly", "--date", plan.first_of_march)
    wait_until(lambda: live.sink.begun() == KILL_DURING, 30, f"the worker to begin send {KILL_DURING}")
    doomed.sigkill()
    killed_at = time.monotonic()

    delivered = live.sink.total()
    assert (live.sink.begun(), delivered) == (KILL_DURING, KILL_DURING - 1)  # it died inside a send
    address = read_lines(live.sink.started)[-1].split("\t")[0]
    assert address not in live.sink.counts()
    assert statuses(**MONTHLY) == {Status.SENT: delivered, Status.PENDING: CADRES - delivered}
    notices = Notification.objects.filter(**MONTHLY)
    mid_send = notices.get(recipient__cadre__email=address)
    assert (mid_send.status, mid_send.attempts) == (Status.PENDING, 1)
    assert mid_send.claimed_at is not None  # still held by the dead worker's claim, until its lease ends
    return Crash(
        plan=plan,
        killed_at=killed_at,
        mid_send=mid_send,
        attempts=dict(notices.values_list("pk", "attempts")),
        pending=set(notices.filter(status=Status.PENDING).values_list("pk", flat=True)),
    )


def _assert_each_reminded_once(live, crash: Crash) -> None:
    assert live.sink.counts() == dict.fromkeys(crash.plan.addresses, 1)
    assert statuses(**MONTHLY) == {Status.SENT: CADRES}
    # Every notice left pending by the crash was claimed once more, the others never again.
    attempts = dict(Notification.objects.filter(**MONTHLY).values_list("pk", "attempts"))
    assert attempts == {pk: n + (pk in crash.pending) for pk, n in crash.attempts.items()}
    assert attempts[crash.mid_send.pk] == 2  # by the dead worker, then after its lease by the next one


def _wait_past(moment: float, seconds: float) -> None:
    time.sleep(max(0.0, moment + seconds - time.monotonic()))


def test_the_broker_hands_a_killed_workers_task_to_the_next_worker(private_live):
    private_live.settings["CELERY_VISIBILITY_TIMEOUT"] = str(VISIBILITY)
    crash = _slow_worker_killed_mid_send(private_live)

    # Past the visibility timeout, a starting worker puts the dead one's unacknowledged task back in the
    # queue (kombu restores it on start-up); by then the interrupted notice's claim has lapsed too.
    _wait_past(crash.killed_at, max(LEASE, VISIBILITY) + 0.5)
    private_live.worker("successor")
    wait_until(lambda: all_settled(**MONTHLY), 60, "every reminder to be sent by the new worker")

    _assert_each_reminded_once(private_live, crash)


def test_the_outbox_sweep_completes_a_fan_out_whose_task_died_with_its_worker(private_live):
    # The broker keeps the lost task for an hour (the default visibility timeout): the sweep must act.
    crash = _slow_worker_killed_mid_send(private_live)
    # The batch the worker died in (the job hands the rows over in id order, BATCH at a time).
    ids = sorted(crash.attempts)
    lost_batch = next(
        ids[n : n + BATCH] for n in range(0, CADRES, BATCH) if crash.mid_send.pk in ids[n : n + BATCH]
    )
    stranded = len(crash.pending.intersection(lost_batch))

    private_live.worker("successor")
    others = CADRES - stranded
    wait_until(lambda: statuses(**MONTHLY)[Status.SENT] == others, 60, "the other batches to be sent")
    _wait_past(crash.killed_at, LEASE + 0.5)
    assert statuses(**MONTHLY) == {Status.SENT: others, Status.PENDING: stranded}
    assert private_live.sink.total() == others

    output = private_live.run("send_reminders", "outbox", REMINDER_REQUEUE_AFTER_SECONDS="1")
    assert f"{stranded} handed to the e-mail workers" in output
    wait_until(lambda: all_settled(**MONTHLY), 30, "the stranded reminders to be sent")
    again = private_live.run("send_reminders", "outbox", REMINDER_REQUEUE_AFTER_SECONDS="1")
    assert again.strip() == "outbox: nothing to do"

    _assert_each_reminded_once(private_live, crash)
