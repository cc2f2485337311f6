"""Month and quarter bounds and the range of days every period is built from."""

from __future__ import annotations

from datetime import date

import pytest

from core.dates import (
    DateRange,
    a_year_before,
    month_first,
    month_last,
    quarter_months,
    quarter_of,
    quarter_of_month,
)


# --- Months ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("year", "month", "last"),
    [
        (2025, 1, 31),
        (2025, 2, 28),
        (2024, 2, 29),  # leap year
        (2000, 2, 29),  # divisible by 400: leap
        (1900, 2, 28),  # divisible by 100 only: not leap
        (2025, 4, 30),
        (2025, 12, 31),
    ],
)
def test_month_bounds(year, month, last):
    assert month_first(year, month) == date(year, month, 1)
    assert month_last(year, month) == date(year, month, last)
    assert DateRange.month(year, month) == DateRange(date(year, month, 1), date(year, month, last))


def test_the_month_of_a_day():
    assert DateRange.month_of(date(2024, 2, 17)) == DateRange(date(2024, 2, 1), date(2024, 2, 29))
    assert DateRange.month_of(date(2025, 12, 31)) == DateRange(date(2025, 12, 1), date(2025, 12, 31))


# --- Quarters -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("quarter", "months", "start", "end"),
    [
        (1, [1, 2, 3], date(2025, 1, 1), date(2025, 3, 31)),
        (2, [4, 5, 6], date(2025, 4, 1), date(2025, 6, 30)),
        (3, [7, 8, 9], date(2025, 7, 1), date(2025, 9, 30)),
        (4, [10, 11, 12], date(2025, 10, 1), date(2025, 12, 31)),
    ],
)
def test_quarter_bounds(quarter, months, start, end):
    assert quarter_months(quarter) == months
    assert DateRange.quarter(2025, quarter) == DateRange(start, end)
    assert [quarter_of_month(month) for month in months] == [quarter] * 3
    assert quarter_of(start) == quarter_of(end) == quarter


def test_the_first_quarter_of_a_leap_year_ends_on_31_march():
    assert DateRange.quarter(2024, 1) == DateRange(date(2024, 1, 1), date(2024, 3, 31))


# --- Years and picks within a year ----------------------------------------------------------------------
def test_year():
    assert DateRange.year(2025) == DateRange(date(2025, 1, 1), date(2025, 12, 31))
    assert DateRange.of_year(2025) == DateRange.year(2025)
    assert DateRange.of_year(2025, quarter=3) == DateRange.quarter(2025, 3)
    assert DateRange.of_year(2024, month=2) == DateRange.month(2024, 2)


@pytest.mark.parametrize(
    "make",
    [
        lambda: DateRange(date(2025, 2, 1), date(2025, 1, 31)),
        lambda: DateRange.quarter(2025, 0),
        lambda: DateRange.quarter(2025, 5),
        lambda: DateRange.month(2025, 0),
        lambda: DateRange.month(2025, 13),
        lambda: DateRange.of_year(2025, quarter=1, month=2),
        lambda: quarter_months(5),
        lambda: month_last(2025, 13),
    ],
)
def test_bad_bounds_raise_value_error(make):
    with pytest.raises(ValueError):
        make()


# --- What a range holds ---------------------------------------------------------------------------------
def test_contains_both_ends_and_nothing_outside():
    february = DateRange.month(2024, 2)
    assert february.contains(date(2024, 2, 1))
    assert date(2024, 2, 29) in february
    assert not february.contains(date(2024, 1, 31))
    assert date(2024, 3, 1) not in february
    one_day = DateRange(date(2025, 5, 5), date(2025, 5, 5))
    assert date(2025, 5, 5) in one_day


def test_years_and_months_of_a_range():
    span = DateRange(date(2024, 11, 15), date(2025, 2, 3))
    assert list(span.years) == [2024, 2025]
    assert list(span.months()) == [(2024, 11), (2024, 12), (2025, 1), (2025, 2)]
    assert list(DateRange.quarter(2025, 2).months()) == [(2025, 4), (2025, 5), (2025, 6)]
    assert len(list(DateRange.year(2025).months())) == 12


def test_the_same_days_a_year_before():
    assert a_year_before(date(2025, 3, 15)) == date(2024, 3, 15)
    assert a_year_before(date(2024, 2, 29)) == date(2023, 2, 28)  # no 29 February the year before
    assert DateRange.month(2024, 2).a_year_before() == DateRange.month(2023, 2)
    assert DateRange.quarter(2026, 2).a_year_before() == DateRange.quarter(2025, 2)
    # February of a leap year a year after: the range keeps its 28 February end
    assert DateRange.month(2025, 2).a_year_before() == DateRange(date(2024, 2, 1), date(2024, 2, 28))


def test_the_range_is_frozen():
    year = DateRange.year(2025)
    with pytest.raises(AttributeError):
        year.start = date(2025, 2, 1)
