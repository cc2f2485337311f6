"""Who can be assigned (cadres); plans, visits and notes arrive with their issues."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cells.models import Member, Organization


class Cadre(models.Model):
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
    history = HistoricalRecords()

    class Meta:
        ordering = ["full_name", "code"]
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("assignments:cadre_detail", args=[self.code])
