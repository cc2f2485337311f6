"""Percentages: covered × 100 / cells, half up to two decimals; written "29,21%" in Vietnamese."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from reports.coverage.formatting import fraction_text, percent_text
from reports.coverage.selectors import Period, Row, percent


@pytest.mark.parametrize(
    ("covered", "cells", "expected", "json"),
    [
        (2, 3, "66.67", 66.67),  # 66.666… rounds up
        (1, 8, "12.50", 12.5),  # 12.5 exactly; JSON drops the trailing zero
        (78, 267, "29.21", 29.21),  # 29.2134… (the 2019 district's subordinate cells)
        (3, 23, "13.04", 13.04),  # 13.0434… (printed 16.24% in 2019 by mistake)
        (64, 87, "73.56", 73.56),  # 73.5632…
        (101, 290, "34.83", 34.83),  # 34.8275… rounds up
        (1, 400, "0.25", 0.25),  # 0.25 exactly
        (1, 800, "0.13", 0.13),  # 0.125: half up, not to even (banker's rounding would give 0.12)
        (23, 23, "100.00", 100.0),
        (0, 5, "0.00", 0.0),
        (0, 0, "0.00", 0.0),  # no cells: 0, not a division by zero
    ],
)
def test_percent_rounds_half_up(covered, cells, expected, json):
    assert percent(covered, cells) == Decimal(expected)
    assert Row(cells=cells, covered=covered).as_dict() == {
        "cells": cells,
        "covered": covered,
        "percent": json,
    }


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (Decimal("29.21"), "29,21%", "29.21%"),
        (Decimal("66.67"), "66,67%", "66.67%"),
        (Decimal("12.50"), "12,5%", "12.5%"),
        (Decimal("100.00"), "100%", "100%"),
        (Decimal("0.00"), "0%", "0%"),
        (Decimal("13.04"), "13,04%", "13.04%"),
        (73.56, "73,56%", "73.56%"),  # a float from JSON reads the same
    ],
)
def test_percent_text_in_vietnamese_and_english(value, vi, en):
    with translation.override("vi"):
        assert percent_text(value) == vi
    with translation.override("en"):
        assert percent_text(value) == en


@pytest.mark.parametrize(
    ("covered", "cells", "vi", "en"),
    [
        (78, 267, "78/267 = 29,21%", "78/267 = 29.21%"),
        (23, 23, "23/23 = 100%", "23/23 = 100%"),
        (1, 8, "1/8 = 12,5%", "1/8 = 12.5%"),
        (3, 23, "3/23 = 13,04%", "3/23 = 13.04%"),
        (0, 0, "—", "—"),
    ],
)
def test_fraction_text_is_the_official_form(covered, cells, vi, en):
    row = Row(cells=cells, covered=covered)
    with translation.override("vi"):
        assert fraction_text(row) == vi
    with translation.override("en"):
        assert fraction_text(row) == en


def test_template_filters():
    template = Template("{% load coverage_format %}{{ row|fraction_text }} · {{ row.percent|percent_text }}")
    with translation.override("vi"):
        assert template.render(Context({"row": Row(cells=267, covered=78)})) == "78/267 = 29,21% · 29,21%"


# --- Periods --------------------------------------------------------------------------------------------
def test_periods():
    assert Period.year(2025) == Period(date(2025, 1, 1), date(2025, 12, 31))
    assert Period.quarter(2025, 1) == Period(date(2025, 1, 1), date(2025, 3, 31))
    assert Period.quarter(2025, 4) == Period(date(2025, 10, 1), date(2025, 12, 31))
    assert Period.month(2024, 2) == Period(date(2024, 2, 1), date(2024, 2, 29))  # leap year
    assert Period.month(2025, 2) == Period(date(2025, 2, 1), date(2025, 2, 28))
    assert list(Period(date(2024, 12, 1), date(2026, 1, 31)).years) == [2024, 2025, 2026]


@pytest.mark.parametrize(
    "make",
    [
        lambda: Period.quarter(2025, 0),
        lambda: Period.quarter(2025, 5),
        lambda: Period.month(2025, 13),
        lambda: Period(date(2025, 2, 1), date(2025, 1, 31)),
    ],
)
def test_bad_periods_raise_value_error(make):
    with pytest.raises(ValueError):
        make()
