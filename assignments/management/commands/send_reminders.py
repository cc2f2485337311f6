"""python manage.py send_reminders monthly|nudge|overdue|quarterly|reconcile|outbox [--date YYYY-MM-DD]

Runs one reminder job now, as the schedule would on that date (today by default): a job that is not due
on that date says so and writes nothing. Bad arguments stop with one line and a non-zero exit.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assignments.models import JobRun
from assignments.reminders.services import JOB_NAMES, job_run


class Command(BaseCommand):
    help = "Run one reminder job now: " + ", ".join(JOB_NAMES) + "."

    def add_arguments(self, parser: CommandParser) -> None:
        # Checked in handle(), so that a mistake is one line of explanation rather than argparse's usage.
        parser.add_argument("job", nargs="?", help=" | ".join(JOB_NAMES))
        parser.add_argument("--date", help="run as on this day (YYYY-MM-DD); default: today")

    def handle(self, *args, job: str | None, date: str | None, **options) -> None:
        if job not in JOB_NAMES:
            given = f"unknown job {job!r}" if job else "no job given"
            raise CommandError(f"{given}; choose one of: {', '.join(JOB_NAMES)}")
        result = job_run(job=job, today=_date(date), source=JobRun.Source.COMMAND)
        self.stdout.write(result.summary())


def _date(value: str | None) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date {value!r} is not a date (YYYY-MM-DD)") from None
