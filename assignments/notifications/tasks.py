"""Celery tasks of assignments: ids in, a service call, the retry policy (docs/conventions.md, tasks).

Every task here is idempotent and acknowledged late (a task lost with its worker runs again), and none
waits in the broker longer than a few minutes (retries back off to REMINDER_RETRY_BACKOFF_MAX_SECONDS).
"""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model

from assignments.models import JobRun
from assignments.notifications import outbox, reminders


@shared_task(bind=True, name="assignments.send_notification_emails", acks_late=True, ignore_result=True)
def send_notification_emails(self, notification_ids: list[int]) -> None:
    """Send the e-mails of a batch of notices (claimed one by one, so running twice sends nothing twice).

    Rows that failed with an SMTP or network error (SMTPException, OSError) are retried, only they, with
    exponential backoff; after REMINDER_EMAIL_MAX_RETRIES retries they are marked failed with the reason.
    """
    failures = outbox.emails_send(notification_ids=notification_ids)
    if not failures:
        return
    retries, most = self.request.retries, settings.REMINDER_EMAIL_MAX_RETRIES
    if retries < most:
        # throw=False: a worker has published the retry by now and simply ends this run; in eager mode
        # (no broker) Celery runs the retry from the returned signal instead of raising it into the
        # request that committed the notices.
        return self.retry(
            args=[sorted(failures)], countdown=outbox.retry_delay(retries), max_retries=most, throw=False
        )
    outbox.emails_fail(failures=failures)
    return None


@shared_task(name="assignments.run_reminder_job", acks_late=True, ignore_result=True)
def run_reminder_job(
    job: str,
    day: str | None = None,
    source: str = JobRun.Source.SCHEDULE,
    user_id: int | None = None,
    run_id: int | None = None,
) -> str:
    """Run one reminder job (assignments.notifications.reminders) as on ``day`` (ISO date; today by default).

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
