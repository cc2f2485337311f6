"""Visits: a cadre at one meeting of a cell, planned unannounced; and the log of who read the visit list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assignments.models.cadres import Cadre
from cells.models import Organization


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
