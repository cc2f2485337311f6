"""Who can be assigned (cadres); plans, visits and notes arrive with their issues."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cells import names
from cells.models import DerivedTextsMixin, Member, Organization, PartyDocument


class CadreQuerySet(models.QuerySet):
    """The one rule of who can be reached by e-mail: an address on the cadre record, else on their login.

    Every notice of a cadre goes by e-mail to that address (assignments.outbox.email_address); a cadre
    with neither is unreachable: the notices wait in the app for a login, and staff tell them in person.
    """

    def reachable_by_email(self) -> CadreQuerySet:
        return self.filter(HAS_EMAIL)

    def unreachable(self) -> CadreQuerySet:
        return self.filter(NO_EMAIL)


# The two halves of the rule (a login's e-mail is never NULL, so they are exact complements).
HAS_EMAIL = ~models.Q(email="") | models.Q(user__email__gt="")
NO_EMAIL = models.Q(email="") & (models.Q(user__isnull=True) | models.Q(user__email=""))


class Cadre(DerivedTextsMixin, models.Model):
    class Position(models.TextChoices):
        STANDING_COMMITTEE = "standing_committee", _("Standing-committee member")
        COMMITTEE = "committee", _("Committee member")
        SPECIALIST = "specialist", _("Cadre or specialist")

    code = models.CharField(_("code"), max_length=30, unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    # The committee whose cadres they are; scoping follows it.
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="cadres",
        verbose_name=_("committee"),
        limit_choices_to={"kind": Organization.Kind.COMMITTEE},
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cadre",
        verbose_name=_("login"),
    )
    member = models.OneToOneField(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cadre",
        verbose_name=_("own party member record"),
    )
    sort_key = models.CharField(max_length=400, editable=False, default="")
    code_key = models.CharField(max_length=80, editable=False, default="")
    search_text = models.CharField(max_length=500, editable=False, default="")
    history = HistoricalRecords(excluded_fields=["sort_key", "code_key", "search_text"])

    TEXT_SOURCES = ("full_name", "code", "email")
    TEXT_FIELDS = ("sort_key", "code_key", "search_text")

    objects = CadreQuerySet.as_manager()

    class Meta:
        # Vietnamese order: by given name, then family and middle name (cells.names).
        ordering = ["sort_key", "code"]
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        indexes = [
            # The cadre list and pickers read their first page in name order from this index.
            models.Index(fields=["sort_key", "code"], name="cadre_sort_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("assignments:cadre_detail", args=[self.code])

    @property
    def email_address(self) -> str:
        """Where their notices are mailed (CadreQuerySet's rule): the record's address, else the login's."""
        return self.email or (self.user.email if self.user_id else "")

    def refresh_texts(self) -> None:
        self.sort_key = names.person_sort_key(self.full_name)
        self.code_key = names.code_sort_key(self.code)
        self.search_text = names.search_text(self.full_name, self.code, self.email)


class DocumentSeries(models.Model):
    """The running number of one issuer's documents of one type in one year ("15" in "15-TB/HU").

    Numbers are taken under a row lock, so two notices issued at once never share or skip a number.
    """

    issuer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="document_series")
    doc_type = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "doc_type", "year"], name="document_series_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer.code} {self.doc_type} {self.year}: {self.last_number}"


class AssignmentPlan(PartyDocument):
    """The yearly notice (Thông báo phân công) of a root committee."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    DOC_TYPE = "TB"

    root = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="assignment_plans",
        verbose_name=_("issuing committee"),
        limit_choices_to={"kind": Organization.Kind.COMMITTEE},
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    issuer_abbreviation = models.CharField(
        _("issuer abbreviation"),
        max_length=20,
        help_text=_('The part after the slash, e.g. "HU" in 15-TB/HU.'),
    )
    summary = models.CharField(_("summary line"), max_length=255, blank=True)
    body = models.TextField(_("body"), blank=True)
    max_load = models.PositiveSmallIntegerField(_("most cells per cadre"), default=4)
    amendment_count = models.PositiveSmallIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The plan this draft was started from (assignments.plan_copy): its result page compares the two.
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    # The [cadre id, cell id] pairs of copied_from that staff chose to leave out (not to be offered again).
    copy_skipped = models.JSONField(default=list, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("assignment plan")
        verbose_name_plural = _("assignment plans")
        constraints = [
            models.UniqueConstraint(
                fields=["root", "year"],
                condition=models.Q(status="issued"),
                name="plan_one_issued_per_root_year",
            ),
            models.CheckConstraint(
                name="plan_issued_has_number",
                condition=models.Q(status="draft") | models.Q(number__isnull=False, issued_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_number or _('Draft')} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("assignments:plan_detail", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED


class Assignment(models.Model):
    plan = models.ForeignKey(AssignmentPlan, on_delete=models.CASCADE, related_name="assignments")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="assignments")
    cell = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="assignments",
        limit_choices_to={"kind": Organization.Kind.CELL},
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["cadre__full_name", "cell__code"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["plan", "cadre", "cell"], name="assignment_unique"),
        ]
        indexes = [
            # Coverage and the grassroots list of assigned cadres look assignments up by cell.
            models.Index(fields=["cell", "plan"], name="assignment_cell_plan_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.cell.code}"


class RuleOverride(models.Model):
    """Staff chose to issue a plan although a rule fails; the written reason is kept."""

    plan = models.ForeignKey(AssignmentPlan, on_delete=models.CASCADE, related_name="overrides")
    rule = models.CharField(_("rule"), max_length=40)
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["plan", "rule"], name="rule_override_unique")]

    def __str__(self) -> str:
        return f"{self.plan}: {self.rule}"


class PlanAmendment(models.Model):
    """One amendment of an issued plan: what changed and why; the notice is re-issued with it."""

    plan = models.ForeignKey(AssignmentPlan, on_delete=models.CASCADE, related_name="amendments")
    sequence = models.PositiveSmallIntegerField()
    reason = models.TextField(_("reason"))
    added = models.JSONField(default=list)
    removed = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sequence"]
        constraints = [models.UniqueConstraint(fields=["plan", "sequence"], name="plan_amendment_unique")]

    def __str__(self) -> str:
        return f"{self.plan} #{self.sequence}"


class VisitQuerySet(models.QuerySet):
    def planned(self) -> VisitQuerySet:
        return self.filter(status=Visit.Status.PLANNED)

    def attended(self) -> VisitQuerySet:
        return self.filter(status=Visit.Status.ATTENDED)


class Visit(models.Model):
    """A cadre's unannounced attendance at one meeting. Confidential: never shown to the cell's side."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        NEEDS_DATE = "needs_date", _("Needs a new date")
        ATTENDED = "attended", _("Attended")
        MISSED = "missed", _("Missed")
        CANCELLED = "cancelled", _("Cancelled")

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="visits", verbose_name=_("cadre"))
    cell = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="visits", verbose_name=_("cell")
    )
    meeting = models.ForeignKey(
        "cells.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("meeting"),
    )
    # The meeting's date, kept with the visit by the visits services (plan, move, release, the meeting's
    # own move) so coverage counts attended visits of a period from one index, without joining meetings.
    meeting_date = models.DateField(null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    together_allowed = models.BooleanField(_("another cadre may attend the same meeting"), default=False)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["meeting__date", "cadre__full_name"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "meeting"],
                condition=~models.Q(status="cancelled"),
                name="visit_one_per_cadre_meeting",
            ),
            models.CheckConstraint(
                name="visit_dated_unless_waiting",
                condition=models.Q(status__in=["needs_date", "cancelled"]) | models.Q(meeting__isnull=False),
            ),
        ]
        indexes = [
            # Coverage counts attended visits per cell; a cadre's calendar reads visits by cadre.
            models.Index(fields=["cell", "status"], name="visit_cell_status_idx"),
            models.Index(fields=["cadre", "status"], name="visit_cadre_status_idx"),
            # Coverage of a period: the attended visits' cells (and cadres) from the index alone.
            models.Index(
                fields=["meeting_date", "cell", "cadre"],
                name="visit_attended_date_idx",
                condition=models.Q(status="attended"),
            ),
            # Coverage probes each cell for an attended visit in the period: (cell, date) answers it from
            # the index alone, one descent per cell (scripts/bench_coverage.py).
            models.Index(
                fields=["cell", "meeting_date"],
                name="visit_attended_cell_idx",
                condition=models.Q(status="attended"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} @ {self.cell.code}"

    def save(self, *args, **kwargs) -> None:
        # meeting_date is a copy of the meeting's date (for the coverage index), never set on its own;
        # bulk writes set it themselves and a moved meeting updates its visits (visit_meeting_changed).
        self.meeting_date = self.meeting.date if self.meeting_id else None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "meeting" in update_fields:
            kwargs["update_fields"] = {*update_fields, "meeting_date"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("assignments:visit_detail", args=[self.pk])


class CadreExemption(models.Model):
    """A month staff excused a cadre from attending (leave, illness): it does not count against them."""

    class Reason(models.TextChoices):
        LEAVE = "leave", _("Leave")
        ILLNESS = "illness", _("Illness")
        TRAINING = "training", _("Training or secondment")
        OTHER = "other", _("Other")

    cadre = models.ForeignKey(
        Cadre, on_delete=models.CASCADE, related_name="exemptions", verbose_name=_("cadre")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    detail = models.TextField(_("details"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "month", "cadre__full_name"]
        verbose_name = _("exempt month")
        verbose_name_plural = _("exempt months")
        constraints = [
            models.UniqueConstraint(fields=["cadre", "year", "month"], name="cadre_exemption_unique"),
            models.CheckConstraint(
                name="cadre_exemption_month", condition=models.Q(month__gte=1, month__lte=12)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.month:02d}/{self.year}"


class VisitListAccess(models.Model):
    """Who opened a plan's visit list, and when: staff can see every look at the confidential plan."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    root = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=255)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} {self.at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """One message to one person, at most once per (addressee, kind, period): the in-app row and the state
    of its e-mail copy.

    A cadre's notices are addressed to the cadre record (``cadre``), with or without a login: the e-mail
    goes to the cadre's address at once, and the in-app copy shows in the list of whichever login is linked
    to the cadre, now or later (``recipient`` is the login at the time of writing, when there was one).
    Staff notices are addressed to a login (``recipient``, ``cadre`` empty).

    The row is written in the transaction that decides to send it (assignments.reminders,
    assignments.notifications); the e-mail goes out through a Celery task enqueued on commit, which claims
    the row before sending and flips ``status`` to sent (assignments.outbox). A row is in the user's list
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
    # The e-mail copy (assignments.outbox).
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)  # which worker's claim (assignments.outbox)
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


class CalendarFeed(models.Model):
    """A cadre's personal iCalendar feed: a secret token in the URL, revocable."""

    cadre = models.OneToOneField(Cadre, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.cadre} feed"


# Attendance notes live in their own module; importing them here registers them with the app.
from .note_models import (  # noqa: E402,F401
    AttendanceNote,
    Escalation,
    NoteAttachment,
    NoteRound,
    Rating,
)
from .reminder_models import (  # noqa: E402,F401
    Heartbeat,
    JobRun,
    NotificationPreference,
    ScheduleChange,
)
