"""The bookkeeping of reminders: each run of a scheduled job, the beat's heartbeat, and what each user
chose to receive. Imported by assignments/models.py; the messages themselves are ``Notification`` rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def language_choices() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


def default_language() -> str:
    return settings.LANGUAGE_CODE


class JobRun(models.Model):
    """One run of a reminder job: what it wrote and handed to the workers, and how it ended."""

    class Job(models.TextChoices):
        MONTHLY = "monthly", _("Monthly reminder")
        NUDGE = "nudge", _("Nudge on the 20th")
        OVERDUE = "overdue", _("Overdue attendance notes")
        QUARTERLY = "quarterly", _("Quarterly report reminder")
        RECONCILE = "reconcile", _("Reconcile")
        OUTBOX = "outbox", _("Outbox sweep")

    class Source(models.TextChoices):
        SCHEDULE = "schedule", _("Schedule")
        COMMAND = "command", _("Command line")
        PAGE = "page", _("Operations page")

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    job = models.CharField(max_length=12, choices=Job.choices)
    period = models.CharField(max_length=60, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SCHEDULE)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)  # notification rows this run wrote
    enqueued = models.PositiveIntegerField(default=0)  # rows handed to the e-mail tasks
    expired = models.PositiveIntegerField(default=0)  # pending rows given up as past their grace window
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [
            # The operations page reads the latest run of each job.
            models.Index(fields=["job", "-started_at"], name="jobrun_job_started_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.period} {self.started_at:%Y-%m-%d %H:%M}"


class Heartbeat(models.Model):
    """The last time a scheduled heartbeat task ran: beat, the broker and a worker are all alive."""

    name = models.CharField(max_length=40, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"


class ScheduleChange(models.Model):
    """Who paused or resumed a scheduled job on the operations page, and when."""

    entry = models.CharField(max_length=60)  # assignments.schedule.Entry.name
    enabled = models.BooleanField()  # the state it was set to
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.entry} {'on' if self.enabled else 'off'} {self.at:%Y-%m-%d %H:%M}"


class NotificationPreference(models.Model):
    """The language of a user's notices and which optional kinds also come by e-mail.

    In-app notices always arrive; the monthly reminder always comes by e-mail too. A user without a row
    gets the defaults: the site's language and every e-mail.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    language = models.CharField(
        _("language of notices"), max_length=8, choices=language_choices, default=default_language
    )
    email_meeting_changes = models.BooleanField(_("a meeting of my cells moved or cancelled"), default=True)
    email_nudge = models.BooleanField(_("no meeting attended yet by the 20th"), default=True)
    email_note_overdue = models.BooleanField(_("attendance notes overdue"), default=True)
    email_staff_behind = models.BooleanField(_("the list of cadres behind on the 20th"), default=True)
    email_quarterly_report = models.BooleanField(_("the quarterly report is due"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"
