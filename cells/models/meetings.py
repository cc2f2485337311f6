"""Meetings of cells and the schedule rule that generates them."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cells.models.hierarchy import Organization
from core.dates import month_last


class MeetingSchedule(models.Model):
    """A cell's rule for its regular meetings: "day 5 of each month" or "first Tuesday"."""

    class Rule(models.TextChoices):
        DAY_OF_MONTH = "day_of_month", _("A fixed day of each month")
        WEEKDAY_OF_MONTH = "weekday_of_month", _("A weekday of each month")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    class Ordinal(models.IntegerChoices):
        FIRST = 1, _("first")
        SECOND = 2, _("second")
        THIRD = 3, _("third")
        FOURTH = 4, _("fourth")
        LAST = -1, _("last")

    cell = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="schedule", verbose_name=_("cell")
    )
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices, default=Rule.DAY_OF_MONTH)
    day = models.PositiveSmallIntegerField(_("day of month"), null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, null=True, blank=True)
    ordinal = models.SmallIntegerField(_("which"), choices=Ordinal.choices, null=True, blank=True)
    start_time = models.TimeField(_("start time"))
    place = models.CharField(_("place"), max_length=255)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting schedule")
        verbose_name_plural = _("meeting schedules")
        constraints = [
            models.CheckConstraint(
                name="schedule_rule_complete",
                condition=Q(rule="day_of_month", day__gte=1, day__lte=31)
                | Q(rule="weekday_of_month", weekday__isnull=False, ordinal__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        at = self.start_time.strftime("%H:%M")
        if self.rule == self.Rule.DAY_OF_MONTH:
            return str(_("day %(day)s of each month, %(time)s") % {"day": self.day, "time": at})
        return str(
            _("%(ordinal)s %(weekday)s of each month, %(time)s")
            % {
                "ordinal": self.get_ordinal_display(),
                "weekday": self.get_weekday_display(),
                "time": at,
            }
        )

    def date_in_month(self, year: int, month: int) -> date:
        last_day = month_last(year, month).day
        if self.rule == self.Rule.DAY_OF_MONTH:
            # "Day 31" in a 30-day month falls on its last day.
            return date(year, month, min(self.day, last_day))
        days = [day for day in range(1, last_day + 1) if date(year, month, day).weekday() == self.weekday]
        return date(year, month, days[-1] if self.ordinal == self.Ordinal.LAST else days[self.ordinal - 1])

    def dates_in_year(self, year: int) -> list[date]:
        return [self.date_in_month(year, month) for month in range(1, 13)]

    def clean(self) -> None:
        if self.rule == self.Rule.DAY_OF_MONTH and not self.day:
            raise ValidationError({"day": _("Give the day of the month.")})
        if self.rule == self.Rule.WEEKDAY_OF_MONTH and (self.weekday is None or self.ordinal is None):
            raise ValidationError({"weekday": _("Give the weekday and which one in the month.")})


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, today: date) -> MeetingQuerySet:
        return (
            self.filter(date__gte=today)
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by("date", "start_time")
        )


class Meeting(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular")
        THEMATIC = "thematic", _("Thematic")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CHANGED = "changed", _("Changed")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")

    cell = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("cell"),
        limit_choices_to={"kind": Organization.Kind.CELL},
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    place = models.CharField(_("place"), max_length=255)
    kind = models.CharField(_("kind of meeting"), max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    topic = models.CharField(_("topic"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["date", "start_time"]
        verbose_name = _("cell meeting")
        verbose_name_plural = _("cell meetings")
        constraints = [
            models.CheckConstraint(
                name="meeting_thematic_has_topic",
                condition=~Q(kind="thematic") | ~Q(topic=""),
            ),
        ]
        indexes = [
            # A cell's calendar and the meeting lists read meetings of cells by date.
            models.Index(fields=["cell", "date"], name="meeting_cell_date_idx"),
            models.Index(fields=["date"], name="meeting_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.cell.code} {self.date:%d/%m/%Y} {self.start_time:%H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("cells:meeting_detail", args=[self.pk])

    def clean(self) -> None:
        if self.kind == self.Kind.THEMATIC and not self.topic.strip():
            raise ValidationError({"topic": _("A thematic meeting needs a topic.")})
        if self.cell_id and not self.cell.is_cell:
            raise ValidationError({"cell": _("Meetings belong to a cell.")})
