"""Celery tasks of notifications: ids in, a service call, the retry policy (docs/conventions.md, tasks).

Every task here is idempotent and acknowledged late (a task lost with its worker runs again), and none
waits in the broker longer than a few minutes (retries back off to REMINDER_RETRY_BACKOFF_MAX_SECONDS).
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from assignments.notifications import outbox


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
