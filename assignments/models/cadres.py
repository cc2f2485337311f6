"""Who can be assigned (cadres), the months they are exempt from, and their personal calendar feed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cells.models import DerivedTextsMixin, Member, Organization
from core import names


class CadreQuerySet(models.QuerySet):
    """The one rule of who can be reached by e-mail: an address on the cadre record, else on their login.

    Every notice of a cadre goes by e-mail to that address (assignments.notifications.outbox.email_address); a cadre
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
        # Vietnamese order: by given name, then family and middle name (core.names).
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


class CalendarFeed(models.Model):
    """A cadre's personal iCalendar feed: a secret token in the URL, revocable."""

    cadre = models.OneToOneField(Cadre, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.cadre} feed"
