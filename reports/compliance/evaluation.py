"""A suggested grade for ONE criterion of a cadre's annual evaluation: how they carried out the assignment to
attend cell meetings, on the 100-point scale of QĐ 366-QĐ/TW.

It is a suggestion for that one criterion, not the cadre's classification: the party committee grades the
cadre on every criterion. The score is the sum of four parts, each shown on the sheet so anyone can redo
the sum by hand:

=============  ======  =========================================================================================
part           points  how
=============  ======  =========================================================================================
attendance     50      compliant months / required months × 50, both as assignments.cadres.months counts them
                       (the one rule): a month inside the cadre's assignment that has ended (or that the cadre
                       already attended in), not exempt, is *required*; it is *compliant* when attended.
cell types     20      10 points for each type of cell (CellType) attended in the year, up to two types (the
                       notice asks every cadre to attend cells of at least two types).
notes on time  20      notes on time / notes due × 20. A note is due once it is submitted or its deadline
                       (meeting day + NOTE_DUE_DAYS) has passed; a note missing past its deadline is late.
contribution   10      10 when at least one of the year's notes raised an escalation (a petition or a difficulty
                       the standing committee took up) or made follow-up proposals; otherwise 0.
=============  ======  =========================================================================================

A part with nothing to measure yet (no month required, no note due) is given in full: nothing counts
against the cadre. Each part is rounded half up to two decimals and the total is the sum of the rounded
parts, so the parts shown always add up to the total.

Grade bands of QĐ 366-QĐ/TW: ≥ 90 "Hoàn thành xuất sắc nhiệm vụ"; 70 to < 90 "Hoàn thành tốt nhiệm vụ";
50 to < 70 "Hoàn thành nhiệm vụ"; < 50 "Không hoàn thành nhiệm vụ".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

HUNDREDTH = Decimal("0.01")

ATTENDANCE_POINTS = 50
TYPES_POINTS = 20
TYPES_REQUIRED = 2
NOTES_POINTS = 20
CONTRIBUTION_POINTS = 10
TOTAL_POINTS = ATTENDANCE_POINTS + TYPES_POINTS + NOTES_POINTS + CONTRIBUTION_POINTS


class Grade(models.TextChoices):
    """The four grades of QĐ 366-QĐ/TW, best first."""

    EXCELLENT = "excellent", _("Excellently completed duties")
    GOOD = "good", _("Well completed duties")
    COMPLETED = "completed", _("Completed duties")
    NOT_COMPLETED = "not_completed", _("Did not complete duties")


# Lowest total of each grade, best first; below the last one the grade is NOT_COMPLETED.
BANDS = ((Decimal(90), Grade.EXCELLENT), (Decimal(70), Grade.GOOD), (Decimal(50), Grade.COMPLETED))


def grade(total: Decimal) -> Grade:
    """The band a total falls in: 90 is excellent, 89.99 good; 70 good, 69.99 completed; 50 completed."""
    for lowest, band in BANDS:
        if total >= lowest:
            return band
    return Grade.NOT_COMPLETED


def share(part: int, whole: int, points: int) -> Decimal:
    """part / whole of ``points``, half up to two decimals; all of them when there is nothing to measure."""
    if whole <= 0:
        return Decimal(points).quantize(HUNDREDTH)
    value = Decimal(points) * Decimal(min(part, whole)) / Decimal(whole)
    return value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Score:
    attendance: Decimal
    types: Decimal
    notes: Decimal
    contribution: Decimal

    @property
    def total(self) -> Decimal:
        return self.attendance + self.types + self.notes + self.contribution

    @property
    def grade(self) -> Grade:
        return grade(self.total)

    @property
    def grade_label(self) -> str:
        return str(self.grade.label)


def score(
    *,
    compliant_months: int,
    required_months: int,
    types: int,
    notes_on_time: int,
    notes_due: int,
    contributions: int,
) -> Score:
    """The four parts of the suggested score (see the module docstring)."""
    return Score(
        attendance=share(compliant_months, required_months, ATTENDANCE_POINTS),
        types=share(min(types, TYPES_REQUIRED), TYPES_REQUIRED, TYPES_POINTS),
        notes=share(notes_on_time, notes_due, NOTES_POINTS),
        contribution=Decimal(CONTRIBUTION_POINTS if contributions > 0 else 0).quantize(HUNDREDTH),
    )
