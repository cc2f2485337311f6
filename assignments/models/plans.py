"""The yearly plan (the numbered notice) and its assignments of cadres to cells, its rule overrides and
amendments, and the gap-free document series the numbers come from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assignments.models.cadres import Cadre
from cells.models import Organization, PartyDocument


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
    # The plan this draft was started from (assignments.plans.copy): its result page compares the two.
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
