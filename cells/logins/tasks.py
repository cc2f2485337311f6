"""Celery tasks of logins: ids in, a service call, the retry policy (docs/conventions.md, tasks)."""

from __future__ import annotations

from celery import shared_task

from cells.logins import services as logins


@shared_task(
    bind=True,
    name="cells.send_login_invitation",
    acks_late=True,
    ignore_result=True,
    autoretry_for=(OSError,),  # SMTP errors are OSErrors too; the link stays valid for days
    retry_backoff=60,
    retry_backoff_max=600,
    max_retries=5,
)
def send_login_invitation(self, user_id: int) -> None:
    """Send the invitation e-mail; a login that has set its password meanwhile gets nothing."""
    logins.invitation_send(user_id=user_id)
