"""Celery's entry to the tasks of assignments (autodiscovery imports ``assignments.tasks``); each task lives
in its feature. Task names are explicit, so moving a task never renames it for the queue."""

from assignments.notifications.tasks import send_notification_emails
from assignments.reminders.tasks import heartbeat, run_reminder_job

__all__ = ["heartbeat", "run_reminder_job", "send_notification_emails"]
