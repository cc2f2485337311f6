"""The reports a department files: the quarterly report and the annual summary, and the commendation
list's adjustments. Their figures come from reports.coverage.selectors and reports.compliance.selectors; a finalized report
keeps a frozen snapshot of them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assignments.models import Cadre
from cells.models import Organization, PartyDocument
from reports.coverage.selectors import Period


class Report(PartyDocument):
    """One version of a quarterly report (Báo cáo kết quả tham dự sinh hoạt Chi bộ quý …) or of an
    annual summary (báo cáo tổng kết năm). A draft's figures are rebuilt on demand; finalizing freezes
    them and takes the document number; a new version starts from the latest one."""

    class Kind(models.TextChoices):
        QUARTERLY = "quarterly", _("Quarterly report")
        ANNUAL = "annual", _("Annual summary")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Finalized")

    class Build(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Building")
        DONE = "done", _("Built")
        FAILED = "failed", _("Failed")

    DOC_TYPE = "BC"

    root = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("issuing committee"),
        limit_choices_to={"kind": Organization.Kind.COMMITTEE},
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)

    # The document (party form): "Số 12-BC/HU", place-date line, signature, recipients.
    issuer_abbreviation = models.CharField(
        _("issuer abbreviation"),
        max_length=20,
        help_text=_('The part after the slash, e.g. "HU" in 12-BC/HU.'),
    )
    narrative = models.TextField(_("general assessment"), blank=True)
    proposals = models.TextField(_("proposals and recommendations"), blank=True)

    # The figures and compiled items as built (JSON, see reports.periodic.building); frozen once final.
    snapshot = models.JSONField(default=dict, blank=True, editable=False)
    built_at = models.DateTimeField(null=True, blank=True, editable=False)
    build_status = models.CharField(
        max_length=10, choices=Build.choices, default=Build.PENDING, editable=False
    )
    build_progress = models.PositiveSmallIntegerField(default=0, editable=False)
    build_error = models.TextField(blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finalized_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["snapshot", "build_progress"])

    class Meta:
        ordering = ["-year", "-quarter", "-version"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            # An annual summary has no quarter: the constraints read it as 0 (NULLs would never clash).
            models.UniqueConstraint(
                F("root"),
                F("kind"),
                F("year"),
                Coalesce("quarter", 0),
                F("version"),
                name="report_version_unique",
            ),  # fmt: skip
            models.CheckConstraint(
                name="report_quarter_matches_kind",
                condition=Q(kind="quarterly", quarter__gte=1, quarter__lte=4)
                | Q(kind="annual", quarter__isnull=True),
            ),
            # A series (root, kind, year, quarter) has at most one draft: a new version starts from a
            # finalized one, so two staff can never edit two drafts of the same report.
            models.UniqueConstraint(
                F("root"),
                F("kind"),
                F("year"),
                Coalesce("quarter", 0),
                condition=Q(status="draft"),
                name="report_one_draft_per_series",
            ),  # fmt: skip
            models.CheckConstraint(
                name="report_final_has_number",
                condition=Q(status="draft")
                | Q(number__isnull=False, issued_on__isnull=False, finalized_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        period = f"Q{self.quarter}/{self.year}" if self.quarter else str(self.year)
        return f"{self.get_kind_display()} {period} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("reports:report_detail", args=[self.pk])

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL

    @property
    def is_building(self) -> bool:
        return self.build_status in (self.Build.PENDING, self.Build.RUNNING)

    @property
    def period(self) -> Period:
        """The days the report covers: its quarter, or its whole year."""
        return Period.of_year(self.year, quarter=self.quarter)

    @property
    def period_label(self) -> str:
        if self.quarter:
            return _("Quarter %(quarter)s/%(year)s") % {"quarter": self.quarter, "year": self.year}
        return _("Year %(year)s") % {"year": self.year}

    @property
    def title(self) -> str:
        """ "Báo cáo quý 3/2026", "Báo cáo tổng kết năm 2026": the kind and the period in one phrase, so
        the word "quý" (or "năm") is not written twice."""
        if self.quarter:
            return _("Quarterly report for quarter %(quarter)s/%(year)s") % {
                "quarter": self.quarter,
                "year": self.year,
            }
        return _("Annual summary %(year)s") % {"year": self.year}

    def series(self) -> models.QuerySet[Report]:
        """Every version of this report (same root, kind, year and quarter), newest first."""
        return Report.objects.filter(
            root_id=self.root_id, kind=self.kind, year=self.year, quarter=self.quarter
        ).order_by("-version")


class CommendationAdjustment(models.Model):
    """Staff add a cadre to the year's commendation list, or take one off it, with a written reason."""

    root = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    cadre = models.ForeignKey(
        Cadre, on_delete=models.CASCADE, related_name="commendation_adjustments", verbose_name=_("cadre")
    )
    proposed = models.BooleanField(_("propose for commendation"))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "cadre__full_name"]
        verbose_name = _("commendation adjustment")
        verbose_name_plural = _("commendation adjustments")
        constraints = [
            models.UniqueConstraint(fields=["root", "year", "cadre"], name="commendation_adjustment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.year}: {self.proposed}"
