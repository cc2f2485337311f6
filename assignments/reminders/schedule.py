"""The periodic jobs, in one place: crontab entries in Asia/Ho_Chi_Minh, each also a management command.

Why django-celery-beat (rows in the database) rather than a static ``beat_schedule``: the organization
staff can see every entry on the operations page, pause one there (during Tết, or while the mail server is
being moved; ``schedule_entry_pause``, recorded as a ``ScheduleChange``) and see when it last ran, without
a deployment; the beat keeps its last-run times across restarts. This
module stays the single source: ``python manage.py sync_schedule`` (run by ``make migrate`` and on every
deploy) writes these entries into ``PeriodicTask`` rows, updating the timing and the task of each but
keeping whether staff paused it, and removing entries of ours that are no longer listed here.

Each job decides for itself whether today is its day (assignments.notifications.periods): the nudge fires on the 20th
to the 26th and sends on the first working day on or after the 20th; the quarterly reminder fires on the
first ten days of a quarter's first month and sends on the first working day. The other firings find
nothing due, or the rows already written, and do nothing.

Every job is also ``python manage.py send_reminders <job> [--date YYYY-MM-DD]``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assignments.models import ScheduleChange

TIMEZONE = "Asia/Ho_Chi_Minh"
PREFIX = "reminders: "  # the PeriodicTask names this module owns
RUN_JOB = "assignments.run_reminder_job"


@dataclass(frozen=True)
class Entry:
    name: str  # the PeriodicTask's name (after PREFIX); never shown to users
    task: str
    description: str
    key: str = ""  # in the operations page's URLs
    label: Promise | str = ""  # the job's name, in the user's language
    when: Promise | str = ""  # the timing below in words, in the user's language
    pausable: bool = True  # staff may pause it on the operations page
    minute: str = "0"
    hour: str = "7"
    day_of_month: str = "*"
    month_of_year: str = "*"
    day_of_week: str = "*"
    kwargs: dict = field(default_factory=dict)
    expire_seconds: int | None = None  # a firing nobody took within this is dropped, not run late


SCHEDULE = [
    # 1st of each month, 07:00: every cadre in an issued plan gets the month's reminder.
    Entry(
        "monthly reminder",
        RUN_JOB,
        "The month's meetings, the rule and the record so far, to every cadre in an issued plan.",
        key="monthly",
        label=_("Monthly reminder"),
        when=_("the 1st of each month, 07:00"),
        day_of_month="1",
        kwargs={"job": "monthly"},
    ),
    # 20th–26th, 07:00: the nudge goes out on the 20th, or on the next working day when the 20th is not one.
    Entry(
        "nudge on the 20th",
        RUN_JOB,
        "Cadres with no attended meeting yet this month; the staff get the list of them.",
        key="nudge",
        label=_("Nudge on the 20th"),
        when=_("the 20th to the 26th of each month, 07:00 (sent on the first working day from the 20th)"),
        day_of_month="20-26",
        kwargs={"job": "nudge"},
    ),
    # Every day, 07:00: cadres whose attendance notes are overdue (meeting more than 3 days ago).
    Entry(
        "overdue notes",
        RUN_JOB,
        "Attendance notes not submitted more than 3 days after the meeting.",
        key="overdue",
        label=_("Overdue attendance notes"),
        when=_("every day, 07:00"),
        kwargs={"job": "overdue"},
    ),
    # 1st–10th of January, April, July and October, 07:00: sent on the first working day after the quarter.
    Entry(
        "quarterly report",
        RUN_JOB,
        "Staff are reminded to compile the quarterly report.",
        key="quarterly",
        label=_("Quarterly report reminder"),
        when=_(
            "the 1st to the 10th of January, April, July and October, 07:00 (sent on the first working day)"
        ),
        day_of_month="1-10",
        month_of_year="1,4,7,10",
        kwargs={"job": "quarterly"},
    ),
    # Every day, 07:30 (after the 07:00 jobs): what should have gone out in a period still inside its grace
    # window and has not (beat or the broker was down, a plan issued mid-month) goes out now.
    Entry(
        "reconcile",
        RUN_JOB,
        "Writes and sends what the other jobs missed; nothing past its grace window is sent late.",
        key="reconcile",
        label=_("Reconcile"),
        when=_("every day, 07:30"),
        minute="30",
        kwargs={"job": "reconcile"},
    ),
    # Every 5 minutes: e-mails no worker has (the broker was down when they were written) are handed over.
    Entry(
        "outbox",
        RUN_JOB,
        "Hands pending e-mails to the workers when their enqueue failed or their task was lost.",
        key="outbox",
        label=_("Outbox sweep"),
        when=_("every 5 minutes"),
        minute="*/5",
        hour="*",
        kwargs={"job": "outbox"},
        expire_seconds=240,
    ),
    # Every minute: the heartbeat the operations page checks (stale after 5 minutes: beat, broker or workers down).
    Entry(
        "heartbeat",
        "assignments.heartbeat",
        "Proves that beat, the broker and a worker are alive.",
        key="heartbeat",
        label=_("Heartbeat"),
        when=_("every minute"),
        minute="*",
        hour="*",
        expire_seconds=50,
        pausable=False,  # the operations page's proof that the scheduler runs
    ),
]


@transaction.atomic
def schedule_sync() -> dict[str, int]:
    """Write SCHEDULE into django-celery-beat's tables; staff's pauses are kept. Returns counts."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask, PeriodicTasks

    names = {PREFIX + entry.name for entry in SCHEDULE}
    created = updated = 0
    for entry in SCHEDULE:
        crontab, _new = CrontabSchedule.objects.get_or_create(
            minute=entry.minute,
            hour=entry.hour,
            day_of_month=entry.day_of_month,
            month_of_year=entry.month_of_year,
            day_of_week=entry.day_of_week,
            timezone=TIMEZONE,
        )
        _task, new = PeriodicTask.objects.update_or_create(
            name=PREFIX + entry.name,
            defaults={
                "task": entry.task,
                "crontab": crontab,
                "interval": None,
                "kwargs": json.dumps(entry.kwargs),
                "description": entry.description,
                "expire_seconds": entry.expire_seconds,
            },
        )
        created, updated = created + new, updated + (not new)
    removed, _detail = PeriodicTask.objects.filter(name__startswith=PREFIX).exclude(name__in=names).delete()
    PeriodicTasks.update_changed()  # a running beat reloads the schedule
    return {"created": created, "updated": updated, "removed": removed}


BY_KEY = {entry.key: entry for entry in SCHEDULE}


def entry_of(key: str) -> Entry | None:
    return BY_KEY.get(key)


@transaction.atomic
def schedule_entry_pause(*, entry: Entry, enabled: bool, by) -> ScheduleChange:
    """Pause (``enabled=False``) or resume a scheduled job, as the operations page asks; recorded with who
    did it. The pause survives ``schedule_sync``; a running beat picks the change up by itself (saving a
    PeriodicTask marks the schedule changed)."""
    from django_celery_beat.models import PeriodicTask

    if not entry.pausable:
        raise ValidationError(gettext("This entry cannot be paused."))
    task = PeriodicTask.objects.select_for_update().filter(name=PREFIX + entry.name).first()
    if task is None:
        raise ValidationError(
            gettext("This job is not in the scheduler's tables yet: run python manage.py sync_schedule.")
        )
    if task.enabled != enabled:
        task.enabled = enabled
        task.save(update_fields=["enabled", "last_run_at", "date_changed"])
    change = ScheduleChange(entry=entry.name, enabled=enabled, by=by)
    change.full_clean()
    change.save()
    return change
