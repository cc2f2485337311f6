"""Celery tasks of assignments: ids in, a service call, the retry policy (STYLE.md §7)."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from . import notifications


@shared_task(
    name="assignments.send_notification_emails",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    max_retries=5,
)
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail copies of in-app notifications; enqueued on commit, idempotent (emailed_at)."""
    return notifications.notification_emails_send(notification_ids=notification_ids)
