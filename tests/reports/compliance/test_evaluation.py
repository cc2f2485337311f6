"""The suggested score and grade (reports/compliance/evaluation.py): each part, the rounding, the band boundaries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from reports.compliance.evaluation import Grade, Score, grade, score, share


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        ("100", Grade.EXCELLENT),
        ("90", Grade.EXCELLENT),
        ("89.99", Grade.GOOD),
        ("70", Grade.GOOD),
        ("69.99", Grade.COMPLETED),
        ("50", Grade.COMPLETED),
        ("49.99", Grade.NOT_COMPLETED),
        ("0", Grade.NOT_COMPLETED),
    ],
)
def test_grade_bands_of_qd_366(total, expected):
    assert grade(Decimal(total)) == expected


def test_grade_labels_in_both_languages():
    with translation.override("vi"):
        assert [str(g.label) for g in Grade] == [
            "Hoàn thành xuất sắc nhiệm vụ",
            "Hoàn thành tốt nhiệm vụ",
            "Hoàn thành nhiệm vụ",
            "Không hoàn thành nhiệm vụ",
        ]
    with translation.override("en"):
        assert str(Grade.EXCELLENT.label) == "Excellently completed duties"


def test_share_rounds_half_up_and_gives_everything_when_nothing_is_measured():
    assert share(2, 3, 50) == Decimal("33.33")
    assert share(1, 8, 20) == Decimal("2.50")
    assert share(1, 3, 20) == Decimal("6.67")
    assert share(7, 8, 50) == Decimal("43.75")
    assert share(1, 16, 10) == Decimal("0.63")  # 0.625 → 0.63 (half up, not to even)
    assert share(0, 0, 20) == Decimal("20.00")
    assert share(5, 4, 20) == Decimal("20.00")  # never more than the part's points


def _score(**kwargs) -> Score:
    values = {
        "compliant_months": 12,
        "required_months": 12,
        "types": 2,
        "notes_on_time": 10,
        "notes_due": 10,
        "contributions": 1,
    }
    return score(**{**values, **kwargs})


def test_a_perfect_year_is_one_hundred():
    result = _score()
    assert (result.attendance, result.types, result.notes, result.contribution) == (
        Decimal("50.00"),
        Decimal("20.00"),
        Decimal("20.00"),
        Decimal("10.00"),
    )
    assert result.total == Decimal("100.00")


@pytest.mark.parametrize(
    ("kwargs", "total", "expected"),
    [
        # 10/12 months: 41.67; 2 types 20; notes 20; contribution 10 → 91.67
        ({"compliant_months": 10}, "91.67", Grade.EXCELLENT),
        # no contribution: exactly 90
        ({"contributions": 0}, "90.00", Grade.EXCELLENT),
        # one type only and no contribution: 80
        ({"types": 1, "contributions": 0}, "80.00", Grade.GOOD),
        # 8/10 months 40; 1 type 10; notes 20; no contribution → exactly 70
        ({"compliant_months": 8, "required_months": 10, "types": 1, "contributions": 0}, "70.00", Grade.GOOD),
        # 6/10 months 30; 1 type 10; notes 1/2 10; no contribution → exactly 50
        (
            {
                "compliant_months": 6,
                "required_months": 10,
                "types": 1,
                "notes_on_time": 1,
                "notes_due": 2,
                "contributions": 0,
            },
            "50.00",
            Grade.COMPLETED,
        ),
        # 0 of 3 months, no types, no notes due (20 in full), nothing raised → 20
        (
            {
                "compliant_months": 0,
                "required_months": 3,
                "types": 0,
                "notes_on_time": 0,
                "notes_due": 0,
                "contributions": 0,
            },
            "20.00",
            Grade.NOT_COMPLETED,
        ),
    ],
)
def test_scores_at_the_band_boundaries(kwargs, total, expected):
    result = _score(**kwargs)
    assert result.total == Decimal(total)
    assert result.grade == expected
    assert result.total == result.attendance + result.types + result.notes + result.contribution


def test_the_parts_add_up_after_rounding():
    """1/3 of 50 and 2/3 of 20 are rounded first; the total is their sum, as the sheet shows."""
    result = _score(compliant_months=1, required_months=3, notes_on_time=2, notes_due=3)
    assert (result.attendance, result.notes) == (Decimal("16.67"), Decimal("13.33"))
    assert result.total == Decimal("60.00")
