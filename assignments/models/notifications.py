"""Notices to users (in the app and by e-mail) and the bookkeeping of reminders: each run of a scheduled
job, the beat's heartbeat, schedule changes and each user's notification preferences."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models.cadres import Cadre


class Notification(models.Model):
    """One message to one person, at most once per (addressee, kind, period): the in-app row and the state
    of its e-mail copy.

    A cadre's notices are addressed to the cadre record (``cadre``), with or without a login: the e-mail
    goes to the cadre's address at once, and the in-app copy shows in the list of whichever login is linked
    to the cadre, now or later (``recipient`` is the login at the time of writing, when there was one).
    Staff notices are addressed to a login (``recipient``, ``cadre`` empty).

    The row is written in the transaction that decides to send it (assignments.reminders.services,
    assignments.notifications.events); the e-mail goes out through a Celery task enqueued on commit, which claims
    the row before sending and flips ``status`` to sent (assignments.notifications.outbox). A row is in the user's list
    whatever happens to its e-mail.
    """

    class Kind(models.TextChoices):
        MEETING_MOVED = "meeting_moved", _("Meeting moved")
        MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
        VISIT_NEEDS_DATE = "visit_needs_date", _("Visit needs a new date")
        MONTHLY_REMINDER = "monthly_reminder", _("This month's cell meetings")
        NUDGE = "nudge", _("No meeting attended yet this month")
        STAFF_BEHIND = "staff_behind", _("Cadres with no meeting attended this month")
        NOTE_OVERDUE = "note_overdue", _("Attendance notes overdue")
        QUARTERLY_REPORT = "quarterly_report", _("Quarterly report due")
        NOTE_RETURNED = "note_returned", _("Attendance note returned")

    class Status(models.TextChoices):
        """The e-mail copy: waiting for a worker, sent, given up after the retries, or not to be sent."""

        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    cadre = models.ForeignKey(
        Cadre, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # What the row is about, unique per addressee and kind: "2026-11" (a month), "2026-11-27" (a day),
    # "2026-Q4" (a quarter), "meeting-42-h317" (one change of a meeting).
    period = models.CharField(max_length=60)
    subject = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    url = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # The e-mail copy (assignments.notifications.outbox).
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(
        max_length=32, blank=True
    )  # which worker's claim (assignments.notifications.outbox)
    # After this moment the e-mail is not worth sending any more (the period's grace window is over).
    expires_at = models.DateTimeField(null=True, blank=True)
    job_run = models.ForeignKey(
        "assignments.JobRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A cadre's notice once per cadre, a staff notice once per login.
            models.UniqueConstraint(
                fields=["cadre", "kind", "period"],
                condition=models.Q(cadre__isnull=False),
                name="notification_cadre_once",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "period"],
                condition=models.Q(cadre__isnull=True),
                name="notification_once_per_period",
            ),
            models.CheckConstraint(
                name="notification_has_addressee",
                condition=models.Q(cadre__isnull=False) | models.Q(recipient__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            # A login's list and unread count also read the rows of its cadre record.
            models.Index(fields=["cadre", "read_at"], name="notification_cadre_unread_idx"),
            # The jobs fetch the pending rows they wrote, the operations page counts rows per kind/period.
            models.Index(fields=["kind", "period", "status"], name="notification_kind_period_idx"),
            # The outbox sweep and the reconcile look only at rows still waiting for their e-mail.
            models.Index(
                fields=["created_at"],
                name="notification_pending_idx",
                condition=models.Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre or self.recipient}: {self.kind} {self.period}"

    @property
    def addressee_name(self) -> str:
        if self.cadre_id:
            return self.cadre.full_name
        return self.recipient.get_full_name() or self.recipient.get_username()


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

    entry = models.CharField(max_length=60)  # assignments.reminders.schedule.Entry.name
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
