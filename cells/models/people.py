"""Party members, each in one cell."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cells.models.hierarchy import DerivedTextsMixin, Organization
from core import names


class Member(DerivedTextsMixin, models.Model):
    class Status(models.TextChoices):
        OFFICIAL = "official", _("Official")
        PROBATIONARY = "probationary", _("Probationary")

    card_number = models.CharField(_("card number"), max_length=30, unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    cell = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("cell"),
        limit_choices_to={"kind": Organization.Kind.CELL},
    )
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.OFFICIAL)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    sort_key = models.CharField(max_length=400, editable=False, default="")
    search_text = models.CharField(max_length=200, editable=False, default="")
    history = HistoricalRecords(excluded_fields=["sort_key", "search_text"])

    TEXT_SOURCES = ("full_name", "card_number")
    TEXT_FIELDS = ("sort_key", "search_text")

    class Meta:
        # Vietnamese order: by given name, then family and middle name (core.names).
        ordering = ["sort_key", "card_number"]
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        indexes = [
            # The member list's default order reads its first page from this index.
            models.Index(fields=["sort_key", "card_number"], name="member_sort_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.card_number})"

    def refresh_texts(self) -> None:
        self.sort_key = names.person_sort_key(self.full_name)
        self.search_text = names.search_text(self.full_name, self.card_number)

    def clean(self) -> None:
        if self.cell_id and not self.cell.is_cell:
            raise ValidationError({"cell": _("Members belong to a cell, not a committee.")})
