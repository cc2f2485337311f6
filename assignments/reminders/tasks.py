"""Celery tasks of the reminder jobs and the beat's heartbeat: ids in, a service call, the retry policy
(docs/conventions.md, tasks)."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.contrib.auth import get_user_model

from assignments.models import JobRun
from assignments.notifications import outbox
from assignments.reminders import services as reminders


@shared_task(name="assignments.run_reminder_job", acks_late=True, ignore_result=True)
def run_reminder_job(
    job: str,
    day: str | None = None,
    source: str = JobRun.Source.SCHEDULE,
    user_id: int | None = None,
    run_id: int | None = None,
) -> str:
    """Run one reminder job (assignments.reminders.services) as on ``day`` (ISO date; today by default).

    ``run_id``: the run row of a reconcile requested from the operations page (its source and user)."""
    run = JobRun.objects.filter(pk=run_id, outcome=JobRun.Outcome.RUNNING).first() if run_id else None
    if run_id and run is None:
        return f"{job}: run {run_id} is gone or already over"  # a redelivered request runs once
    today = datetime.date.fromisoformat(day) if day else None
    by = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    if run is not None:
        source, by = run.source, run.started_by
    return reminders.job_run(job=job, today=today, source=source, by=by, run=run).summary()


@shared_task(name="assignments.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Scheduled every minute: the operations page warns when the last beat is stale."""
    outbox.heartbeat_record()
