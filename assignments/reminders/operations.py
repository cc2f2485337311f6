"""What the operations page reads: each job's last run with its notices' e-mail counts, recent
meeting-change notices, failures with their reasons, the cadres no e-mail reaches, the schedule (with
who paused what) and the beat's heartbeat.

The jobs serve the whole installation, so their runs and counts are the same for every staff user; the
failures name recipients, so each staff user sees those of their own subtree only.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from assignments.cadres.selectors import cadres_visible_to
from assignments.models import Cadre, Heartbeat, JobRun, Notification, ScheduleChange
from assignments.notifications.outbox import BEAT
from assignments.reminders.schedule import PREFIX, SCHEDULE, Entry
from assignments.reminders.services import JOB_NAMES
from cells.access.scope import scope_of

Status = Notification.Status
EVENT_KINDS = (
    Notification.Kind.MEETING_MOVED,
    Notification.Kind.MEETING_CANCELLED,
    Notification.Kind.VISIT_NEEDS_DATE,
)
EVENT_DAYS = 7
FAILURES_SHOWN = 50


@dataclass
class JobStatus:
    job: str
    label: str
    run: JobRun | None
    counts: dict[str, int] = field(default_factory=dict)  # e-mail status -> rows this run wrote


def job_statuses() -> list[JobStatus]:
    """The latest run of every job (two queries however many runs there are)."""
    latest = JobRun.objects.filter(job=OuterRef("job")).order_by("-started_at", "-pk").values("pk")[:1]
    runs = {run.job: run for run in JobRun.objects.filter(pk=Subquery(latest)).select_related("started_by")}
    counts = _counts_by_run([run.pk for run in runs.values()])
    labels = dict(JobRun.Job.choices)
    return [
        JobStatus(job, labels[job], runs.get(job), counts.get(runs[job].pk, {}) if job in runs else {})
        for job in JOB_NAMES
    ]


def _counts_by_run(run_ids: list[int]) -> dict[int, dict[str, int]]:
    rows = (
        Notification.objects.filter(job_run_id__in=run_ids)
        .values("job_run_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        counts[row["job_run_id"]][row["status"]] = row["n"]
    return counts


def event_counts(now: datetime.datetime | None = None) -> dict[str, int]:
    """E-mail status counts of the meeting-change notices of the last EVENT_DAYS days."""
    since = (now or timezone.now()) - datetime.timedelta(days=EVENT_DAYS)
    rows = (
        Notification.objects.filter(kind__in=EVENT_KINDS, created_at__gte=since)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}


def failures_visible_to(user) -> QuerySet[Notification]:
    """Failed e-mails of recipients inside the user's subtree (a cadre's committee, a staff login's
    scope), newest first."""
    failed = Notification.objects.filter(status=Status.FAILED).select_related("recipient", "cadre")
    scope = scope_of(user)
    if not scope.everything:
        if scope.top is None:
            return failed.none()
        failed = failed.filter(
            scope.under("cadre__organization__path")
            | Q(cadre__isnull=True) & scope.under("recipient__profile__scope__path")
        )
    return failed.order_by("-created_at", "-pk")


@dataclass(frozen=True)
class ScheduleRow:
    entry: Entry
    enabled: bool | None  # None: not written into the beat's tables yet (sync_schedule)
    last_run_at: datetime.datetime | None
    last_change: ScheduleChange | None  # who last paused or resumed it on the operations page

    @property
    def label(self) -> str:
        return str(self.entry.label)

    @property
    def when(self) -> str:
        return str(self.entry.when)


def schedule_rows() -> list[ScheduleRow]:
    """Every entry of the schedule with its state in the beat's tables and its last pause or resume:
    three queries, as many entries as there are."""
    from django_celery_beat.models import PeriodicTask

    stored = {task.name: task for task in PeriodicTask.objects.filter(name__startswith=PREFIX)}
    latest = ScheduleChange.objects.filter(entry=OuterRef("entry")).order_by("-at", "-pk").values("pk")[:1]
    changes = {
        change.entry: change
        for change in ScheduleChange.objects.filter(pk=Subquery(latest)).select_related("by")
    }
    rows = []
    for entry in SCHEDULE:
        task = stored.get(PREFIX + entry.name)
        rows.append(
            ScheduleRow(
                entry,
                task.enabled if task else None,
                task.last_run_at if task else None,
                changes.get(entry.name),
            )
        )
    return rows


def scheduler_in_process() -> bool:
    """Tasks run inside the web process (no broker configured: ``make run``): no beat fires the jobs."""
    return bool(settings.CELERY_TASK_ALWAYS_EAGER)


# --- Cadres no notice reaches ---------------------------------------------------------------------------
UNREACHABLE_SHOWN = 20


@dataclass(frozen=True)
class Unreachable:
    count: int
    first: list[Cadre]  # the first UNREACHABLE_SHOWN by name


def unreachable_cadres(user) -> Unreachable:
    """The cadres of the user's subtree without an e-mail address (Cadre's manager holds the rule): their
    notices only wait in the app for a login. Counted, and the first few named (two queries)."""
    cadres = cadres_visible_to(user).unreachable()
    first = list(cadres.select_related("organization").order_by("sort_key", "code")[:UNREACHABLE_SHOWN])
    count = len(first) if len(first) < UNREACHABLE_SHOWN else cadres.count()
    return Unreachable(count, first)


@dataclass(frozen=True)
class Beat:
    at: datetime.datetime | None
    stale: bool


def beat_state(now: datetime.datetime | None = None) -> Beat:
    beat = Heartbeat.objects.filter(name=BEAT).first()
    limit = (now or timezone.now()) - datetime.timedelta(seconds=settings.REMINDER_HEARTBEAT_STALE_SECONDS)
    return Beat(beat.beat_at if beat else None, beat is None or beat.beat_at < limit)
