"""The reminder jobs, run by the schedule (assignments.reminders.schedule), the ``send_reminders`` command or the
operations page. Each run is a ``JobRun`` row.

A job decides its period's missing notices and writes them in one transaction (assignments.reminders.jobs,
assignments.notifications.outbox); the e-mail tasks are enqueued when it commits, one per batch of rows. Running a job
twice, or two beats at once, writes nothing twice: every row is unique per (recipient, kind, period).

- ``monthly``   the 1st: every cadre in an issued plan, their cells' meetings of the month and record;
- ``nudge``     the 20th (next working day if it is not one): cadres with no attended meeting yet this
                month, and each staff user the list of those in their subtree;
- ``overdue``   daily: cadres with attendance notes overdue;
- ``quarterly`` first working day after a quarter: staff are reminded to compile the report;
- ``reconcile`` daily: whatever the four jobs should have written by now in periods still inside their
                grace window (beat or the broker was down, a plan was issued mid-month) is written and
                sent; failed e-mails still inside their window are tried again; nothing is sent late;
- ``outbox``    every few minutes: pending e-mails no worker has (the broker was down at commit) are
                handed over, those past their grace window given up.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from assignments.models import JobRun, Notification
from assignments.notifications import outbox
from assignments.notifications.periods import (
    Period,
    day_period,
    monthly_period,
    nudge_period,
    quarterly_period,
)
from assignments.reminders.jobs import monthly_drafts, nudge_drafts, overdue_drafts, quarterly_drafts

Job = JobRun.Job


@dataclass(frozen=True)
class JobSpec:
    period: Callable[[datetime.date], Period]
    drafts: Callable[[Period, datetime.date], Iterable[outbox.Draft]]


JOBS: dict[str, JobSpec] = {
    Job.MONTHLY: JobSpec(monthly_period, monthly_drafts),
    Job.NUDGE: JobSpec(nudge_period, nudge_drafts),
    Job.OVERDUE: JobSpec(day_period, overdue_drafts),
    Job.QUARTERLY: JobSpec(quarterly_period, quarterly_drafts),
}
JOB_NAMES = [*JOBS, Job.RECONCILE, Job.OUTBOX]


@dataclass(frozen=True)
class JobResult:
    job: str
    today: datetime.date
    period: Period | None = None  # None for the reconcile and the outbox sweep
    run: JobRun | None = None  # None when the job was not due (nothing was done)

    def summary(self) -> str:
        """One line for the command line and the logs."""
        if self.run is None and self.period is not None:
            return (
                f"{self.job}: not due on {self.today:%d/%m/%Y} "
                f"(period {self.period.key}: {self.period.due:%d/%m/%Y} to {self.period.until:%d/%m/%Y})"
            )
        if self.run is None:
            return f"{self.job}: nothing to do"
        run = self.run
        return (
            f"{self.job} {run.period}: {run.created} written, {run.enqueued} handed to the e-mail workers, "
            f"{run.expired} given up as past their grace window"
        )


def job_run(
    *,
    job: str,
    today: datetime.date | None = None,
    source: str = JobRun.Source.SCHEDULE,
    by=None,
    run: JobRun | None = None,
) -> JobResult:
    """Run one job as on ``today`` (the local date by default). ``run``: a reconcile requested from the
    operations page comes with the run row the page already shows."""
    if job not in JOB_NAMES:
        raise ValueError(f"unknown job {job!r}; one of {', '.join(JOB_NAMES)}")
    today = today or timezone.localdate()
    if job == Job.RECONCILE:
        return reconcile(today=today, source=source, by=by, run=run)
    if job == Job.OUTBOX:
        return outbox_sweep(today=today, source=source, by=by)
    spec = JOBS[job]
    period = spec.period(today)
    if not period.is_due(today):
        return JobResult(job, today, period)
    run = _start(job, period.key, source, by)
    with _recorded(run), transaction.atomic():
        _write(run, spec.drafts(period, today))
    return JobResult(job, today, period, run)


def reconcile(
    *, today: datetime.date, source: str = JobRun.Source.SCHEDULE, by=None, run: JobRun | None = None
) -> JobResult:
    """Write what the jobs should have written by now (periods inside their grace window), retry the
    failed e-mails still inside theirs, and send every pending e-mail no worker has."""
    run = run or _start(Job.RECONCILE, today.isoformat(), source, by)
    with _recorded(run):
        with transaction.atomic():
            _write(run, _due_drafts(today))
        now = timezone.now()
        outbox.failed_retry(now=now)
        enqueued, run.expired = outbox.pending_dispatch(now=now, delay=0)
        run.enqueued += enqueued
    return JobResult(Job.RECONCILE, today, None, run)


def _due_drafts(today: datetime.date) -> Iterator[outbox.Draft]:
    for spec in JOBS.values():
        period = spec.period(today)
        if period.is_due(today):
            yield from spec.drafts(period, today)


def outbox_sweep(*, today: datetime.date, source: str = JobRun.Source.SCHEDULE, by=None) -> JobResult:
    """Every few minutes: hand over what no worker has. Recorded as a run only when it did something."""
    enqueued, expired = outbox.pending_dispatch()
    if not (enqueued or expired):
        return JobResult(Job.OUTBOX, today)
    now = timezone.now()
    run = JobRun.objects.create(
        job=Job.OUTBOX,
        period=today.isoformat(),
        source=source,
        started_by=by,
        started_at=now,
        finished_at=now,
        outcome=JobRun.Outcome.DONE,
        enqueued=enqueued,
        expired=expired,
    )
    return JobResult(Job.OUTBOX, today, None, run)


def reconcile_request(*, by) -> JobRun:
    """The operations page's button: a reconcile run row now, its task enqueued on commit. With the
    broker down the row says so instead of waiting for a worker that will never come."""
    with transaction.atomic():
        run = _start(Job.RECONCILE, timezone.localdate().isoformat(), JobRun.Source.PAGE, by)
        transaction.on_commit(partial(_enqueue_reconcile, run.pk))
    return run


def _enqueue_reconcile(run_id: int) -> None:
    from assignments.reminders.tasks import run_reminder_job  # tasks import this module

    try:
        run_reminder_job.apply_async(kwargs={"job": Job.RECONCILE, "run_id": run_id}, retry=False)
    except (OperationalError, OSError) as error:
        JobRun.objects.filter(pk=run_id, outcome=JobRun.Outcome.RUNNING).update(
            outcome=JobRun.Outcome.FAILED,
            error=f"The task queue cannot be reached: {error}"[:2000],
            finished_at=timezone.now(),
        )


# --- Run bookkeeping ----------------------------------------------------------------------------------
def _start(job: str, period: str, source: str, by) -> JobRun:
    # Committed on its own: a run that fails still shows on the operations page, with its error.
    return JobRun.objects.create(job=job, period=period, source=source, started_by=by)


def _write(run: JobRun, drafts: Iterable[outbox.Draft]) -> None:
    """Inside the deciding transaction: write the rows, enqueue their e-mails on commit, count."""
    ids = outbox.notifications_write(drafts=drafts, run=run)
    run.created = Notification.objects.filter(job_run=run).count()
    run.enqueued = len(ids)


@contextmanager
def _recorded(run: JobRun):
    try:
        yield run
    except Exception as error:
        run.outcome, run.error = JobRun.Outcome.FAILED, f"{type(error).__name__}: {error}"[:2000]
        # What survived the rollback (nothing, unless the failure came after the commit).
        run.created = Notification.objects.filter(job_run=run).count()
        run.enqueued = run.enqueued if run.created else 0
        _finish(run)
        raise
    run.outcome = JobRun.Outcome.DONE
    _finish(run)


def _finish(run: JobRun) -> None:
    run.finished_at = timezone.now()
    run.save(update_fields=["outcome", "error", "created", "enqueued", "expired", "finished_at"])
