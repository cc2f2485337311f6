"""python manage.py sync_schedule: write the reminder schedule (assignments/reminders/schedule.py) into
django-celery-beat's tables. Safe to run on every deploy: entries staff paused stay paused."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from assignments.reminders.schedule import schedule_sync


class Command(BaseCommand):
    help = "Write the reminder schedule into the beat's database tables (keeps entries paused by staff)."

    def handle(self, *args, **options) -> None:
        counts = schedule_sync()
        self.stdout.write(
            "schedule: {created} created, {updated} updated, {removed} removed".format(**counts)
        )
