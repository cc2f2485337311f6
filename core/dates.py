"""Days, months, quarters and years: the bounds of a month and of a quarter, and one range of days.

Every period the product counts over (a report's quarter or year, a coverage period, a proposal's month or
quarter, a plan's year, a reminder's month) is built here, so a month ends on the same day everywhere.

- ``month_first(year, month)`` / ``month_last(year, month)``: the first and last day of a month (28 or 29
  February by the year);
- ``quarter_of(day)`` / ``quarter_of_month(month)``: 1 to 4; ``quarter_months(quarter)``: its three months;
- ``a_year_before(day)``: the same day a year earlier (29 February becomes 28 February);
- ``DateRange(start, end)``: the days ``start`` to ``end``, both included, with ``DateRange.month``,
  ``DateRange.quarter``, ``DateRange.year``, ``DateRange.of_year`` and ``DateRange.month_of(day)``.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _


# --- Months and quarters --------------------------------------------------------------------------------
def _check_month(month: int) -> None:
    if not 1 <= month <= 12:
        raise ValueError(_("The month must be 1 to 12."))


def _check_quarter(quarter: int) -> None:
    if not 1 <= quarter <= 4:
        raise ValueError(_("The quarter must be 1 to 4."))


def month_first(year: int, month: int) -> date:
    _check_month(month)
    return date(year, month, 1)


def month_last(year: int, month: int) -> date:
    _check_month(month)
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_of_month(month: int) -> int:
    """1 for January to March … 4 for October to December."""
    _check_month(month)
    return (month - 1) // 3 + 1


def quarter_of(day: date) -> int:
    return quarter_of_month(day.month)


def quarter_months(quarter: int) -> list[int]:
    """The three months of a quarter: [1, 2, 3] for the first … [10, 11, 12] for the fourth."""
    _check_quarter(quarter)
    first = 3 * quarter - 2
    return [first, first + 1, first + 2]


def a_year_before(day: date) -> date:
    """The same day a year earlier; 29 February has no twin then, the last day of that February stands in."""
    return day.replace(year=day.year - 1, day=min(day.day, month_last(day.year - 1, day.month).day))


# --- A range of days ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DateRange:
    """Days ``start`` to ``end``, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(_("The period starts after it ends."))

    @classmethod
    def month(cls, year: int, month: int) -> DateRange:
        return cls(month_first(year, month), month_last(year, month))

    @classmethod
    def month_of(cls, day: date) -> DateRange:
        """The whole month ``day`` falls in."""
        return cls.month(day.year, day.month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> DateRange:
        months = quarter_months(quarter)
        return cls(month_first(year, months[0]), month_last(year, months[-1]))

    @classmethod
    def year(cls, year: int) -> DateRange:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def of_year(cls, year: int, *, quarter: int | None = None, month: int | None = None) -> DateRange:
        """One quarter or one month of the year when given (not both), else the whole year."""
        if quarter and month:
            raise ValueError(_("Pick a quarter or a month, not both."))
        if quarter:
            return cls.quarter(year, quarter)
        return cls.month(year, month) if month else cls.year(year)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __contains__(self, day: date) -> bool:
        return self.contains(day)

    @property
    def years(self) -> range:
        return range(self.start.year, self.end.year + 1)

    def months(self) -> Iterator[tuple[int, int]]:
        """(year, month) of every month the range touches, in order."""
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            yield year, month
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    def a_year_before(self) -> DateRange:
        """The same days a year earlier (29 February stands as 28 February)."""
        return type(self)(a_year_before(self.start), a_year_before(self.end))
