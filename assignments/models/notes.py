"""What a cadre recorded at a meeting (HD 12-HD/BTCTW), its review rounds, attachments and the items
escalated to the standing committee. Imported by assignments/models.py."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

NOTE_DUE_DAYS = 3


def private_storage() -> FileSystemStorage:
    """Uploads live outside any public URL; only a permission-checked view serves them."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


class Rating(models.TextChoices):
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    AVERAGE = "average", _("Average")
    WEAK = "weak", _("Weak")


class AttendanceNote(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    class Held(models.TextChoices):
        AS_SCHEDULED = "as_scheduled", _("Held as scheduled")
        MOVED = "moved", _("Moved")
        NOT_HELD = "not_held", _("Not held")

    visit = models.OneToOneField("assignments.Visit", on_delete=models.PROTECT, related_name="note")
    author = models.ForeignKey(
        "assignments.Cadre", on_delete=models.PROTECT, related_name="notes", verbose_name=_("cadre")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Optimistic lock: every save must name the version it started from.
    version = models.PositiveIntegerField(default=1, editable=False)

    meeting_date = models.DateField(_("meeting date"))
    meeting_kind = models.CharField(
        _("kind of meeting"), max_length=10, choices=[("regular", _("Regular")), ("thematic", _("Thematic"))]
    )
    topic = models.CharField(_("topic"), max_length=255, blank=True)
    held = models.CharField(_("held"), max_length=15, choices=Held.choices, default=Held.AS_SCHEDULED)
    not_held_reason = models.TextField(_("reason it was not held or moved"), blank=True)
    members_total = models.PositiveSmallIntegerField(_("members in the cell"), null=True, blank=True)
    members_present = models.PositiveSmallIntegerField(_("members present"), null=True, blank=True)
    absent_with_reason = models.PositiveSmallIntegerField(_("absent with a reason"), null=True, blank=True)
    absent_without_reason = models.PositiveSmallIntegerField(
        _("absent without a reason"), null=True, blank=True
    )
    started_on_time = models.BooleanField(_("started on time"), null=True, blank=True)
    committee_prepared = models.BooleanField(
        _("the cell committee met beforehand to prepare"), null=True, blank=True
    )
    chaired_by = models.CharField(_("chaired by"), max_length=150, blank=True)
    rating_preparation = models.CharField(_("preparation"), max_length=10, choices=Rating.choices, blank=True)
    rating_content = models.CharField(_("content"), max_length=10, choices=Rating.choices, blank=True)
    rating_criticism = models.CharField(
        _("criticism and self-criticism"), max_length=10, choices=Rating.choices, blank=True
    )
    rating_participation = models.CharField(
        _("members' participation"), max_length=10, choices=Rating.choices, blank=True
    )
    rating_resolution = models.CharField(_("resolution"), max_length=10, choices=Rating.choices, blank=True)
    overall_rating = models.CharField(_("overall rating"), max_length=10, choices=Rating.choices, blank=True)
    summary = models.TextField(_("proceedings"), blank=True)
    conveyed = models.TextField(_("conveyed from above"), blank=True)
    good_practices = models.TextField(_("good and creative practices"), blank=True)
    shortcomings = models.TextField(_("shortcomings"), blank=True)
    petitions = models.TextField(_("members' petitions and recommendations"), blank=True)
    petitions_escalate = models.BooleanField(_("escalate the petitions"), default=False)
    difficulties = models.TextField(_("difficulties needing the standing committee's direction"), blank=True)
    difficulties_escalate = models.BooleanField(_("escalate the difficulties"), default=False)
    proposals = models.TextField(_("follow-up proposals"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-meeting_date", "-pk"]
        verbose_name = _("attendance note")
        verbose_name_plural = _("attendance notes")
        constraints = [
            models.CheckConstraint(
                name="note_present_within_total",
                condition=Q(members_present__isnull=True)
                | Q(members_total__isnull=True)
                | Q(members_present__lte=F("members_total")),
            ),
        ]
        indexes = [
            # The review list filters by status and period.
            models.Index(fields=["status", "meeting_date"], name="note_status_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.author} {self.meeting_date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("assignments:note_detail", args=[self.pk])

    @property
    def due_on(self):
        return self.meeting_date + timedelta(days=NOTE_DUE_DAYS)

    @property
    def is_locked_for_author(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.ACCEPTED)


class NoteRound(models.Model):
    """One submission and its review: the note as submitted, the decision and the staff comment."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    note = models.ForeignKey(AttendanceNote, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    snapshot = models.JSONField(default=dict)
    submitted_at = models.DateTimeField()
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    comment = models.TextField(_("comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Optimistic lock of the review itself.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["note", "number"], name="note_round_unique")]

    def __str__(self) -> str:
        return f"{self.note} #{self.number}"


class NoteAttachment(models.Model):
    ALLOWED_TYPES = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
    MAX_BYTES = 5 * 1024 * 1024

    note = models.ForeignKey(AttendanceNote, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to="notes/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Escalation(models.Model):
    """A flagged petition or difficulty in leadership's queue until resolved, across quarters."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DIRECTED = "directed", _("Directed")
        RESOLVED = "resolved", _("Resolved")

    class Source(models.TextChoices):
        PETITIONS = "petitions", _("Members' petitions and recommendations")
        DIFFICULTIES = "difficulties", _("Difficulties needing direction")

    note = models.ForeignKey(AttendanceNote, on_delete=models.PROTECT, related_name="escalations")
    cell = models.ForeignKey("cells.Organization", on_delete=models.PROTECT, related_name="escalations")
    source = models.CharField(max_length=15, choices=Source.choices)
    text = models.TextField()
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    direction = models.TextField(_("direction"), blank=True)
    directed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    directed_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["note", "source"], name="escalation_one_per_source")]
        indexes = [models.Index(fields=["status", "created_at"], name="escalation_status_idx")]

    def __str__(self) -> str:
        return f"{self.cell.code}: {self.get_source_display()}"

    def get_absolute_url(self) -> str:
        return reverse("assignments:escalation_detail", args=[self.pk])
