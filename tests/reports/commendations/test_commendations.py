"""The commendation list's rule and staff's adjustments, on the hand-built 2026 of tests/reports/periodic/annual_data.py
(today 15/01/2027: every month of 2026 counts)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reports.commendations.selectors import (
    Standing,
    adjustments_visible_to,
    commendation_list,
    commendation_rows,
)
from reports.commendations.services import commendation_adjust, commendation_adjustment_remove
from reports.models import CommendationAdjustment
from tests.factories import CadreFactory
from tests.reports.periodic.annual_data import TODAY, YEAR, build_years


@pytest.fixture
def years(tree):
    return build_years(tree)


def _rows(years) -> dict:
    return {row.cadre.code: row for row in commendation_rows(root=years.root, year=YEAR, today=TODAY)}


def _proposed(years) -> list[str]:
    return [row.cadre.code for row in commendation_list(root=years.root, year=YEAR, today=TODAY)]


def test_every_plan_cadre_with_the_criteria_figures(years):
    rows = _rows(years)
    assert list(rows) == [
        "K3",
        "K4",
        "K2",
        "K1",
        "K5",
    ]  # the 2026 plan, by given name (Ba, Bốn, Hai, Một, Năm)
    figures = {
        code: (r.months_attended, r.months_required, r.notes_on_time, r.notes_due) for code, r in rows.items()
    }
    assert figures == {
        "K1": (12, 12, 12, 12),
        "K2": (2, 12, 0, 2),  # two visits without a note: both late
        "K3": (11, 11, 11, 11),
        "K4": (12, 12, 11, 12),
        "K5": (0, 12, 0, 0),
    }


def test_a_cadre_with_an_exempt_month_is_still_commended(years):
    k3 = _rows(years)["K3"]
    assert (k3.months_exempt, k3.meets_criteria, k3.proposed, k3.basis) == (1, True, True, Standing.MEETS)


def test_a_cadre_with_one_late_note_is_not_proposed(years):
    k4 = _rows(years)["K4"]
    assert (k4.months_attended, k4.months_required) == (12, 12)  # every month attended …
    assert (k4.notes_on_time, k4.notes_due) == (11, 12)  # … but March's note came 5 days after
    assert (k4.meets_criteria, k4.proposed, k4.basis) == (False, False, Standing.FALLS_SHORT)
    assert _proposed(years) == ["K3", "K1"]


def test_staff_add_a_cadre_with_a_reason(years, staff):
    adjustment = commendation_adjust(
        root=years.root,
        year=YEAR,
        cadre=years.k4,
        proposed=True,
        reason="  Trễ một báo cáo do bão  ",
        by=staff,
    )
    assert adjustment.reason == "Trễ một báo cáo do bão" and adjustment.created_by == staff
    k4 = _rows(years)["K4"]
    assert (k4.proposed, k4.meets_criteria, k4.basis, k4.reason) == (
        True,
        False,
        Standing.ADDED,
        adjustment.reason,
    )
    assert _proposed(years) == ["K3", "K4", "K1"]
    assert adjustment.history.get().history_user == staff


def test_staff_take_a_cadre_off_and_a_second_change_replaces_the_first(years, staff):
    commendation_adjust(
        root=years.root, year=YEAR, cadre=years.k1, proposed=False, reason="Đã khen", by=staff
    )
    assert _proposed(years) == ["K3"]
    assert _rows(years)["K1"].basis == Standing.TAKEN_OFF
    commendation_adjust(root=years.root, year=YEAR, cadre=years.k1, proposed=True, reason="Xét lại", by=staff)
    assert CommendationAdjustment.objects.filter(cadre=years.k1).count() == 1
    assert _rows(years)["K1"].reason == "Xét lại" and _proposed(years) == ["K3", "K1"]


def test_removing_the_adjustment_lets_the_criteria_decide_again(years, staff):
    adjustment = commendation_adjust(
        root=years.root, year=YEAR, cadre=years.k1, proposed=False, reason="Đã khen", by=staff
    )
    commendation_adjustment_remove(adjustment=adjustment, by=staff)
    assert not CommendationAdjustment.objects.exists()
    assert _proposed(years) == ["K3", "K1"] and _rows(years)["K1"].basis == Standing.MEETS


@pytest.mark.parametrize("reason", ["", "   \n  "])
def test_an_empty_reason_is_refused(years, staff, reason):
    with pytest.raises(ValidationError) as raised:
        commendation_adjust(
            root=years.root, year=YEAR, cadre=years.k4, proposed=True, reason=reason, by=staff
        )
    assert "reason" in raised.value.message_dict
    assert not CommendationAdjustment.objects.exists()


def test_a_cadre_outside_the_roots_plan_is_refused(years, tree, staff):
    stranger = CadreFactory(code="K9", full_name="Lý Văn Chín", organization=tree.root)
    with pytest.raises(ValidationError) as raised:
        commendation_adjust(
            root=years.root, year=YEAR, cadre=stranger, proposed=True, reason="Tích cực", by=staff
        )
    assert "Lý Văn Chín" in raised.value.message_dict["cadre"][0]
    with pytest.raises(ValidationError):  # in the 2025 plan, K3 was not
        commendation_adjust(
            root=years.root, year=2025, cadre=years.k3, proposed=True, reason="Tích cực", by=staff
        )


def test_only_staff_of_the_root_adjust(years, leader, outsider, staff):
    for user in (leader, outsider):
        with pytest.raises(PermissionDenied):
            commendation_adjust(
                root=years.root, year=YEAR, cadre=years.k4, proposed=True, reason="Có lý do", by=user
            )
    adjustment = commendation_adjust(
        root=years.root, year=YEAR, cadre=years.k4, proposed=True, reason="Có lý do", by=staff
    )
    with pytest.raises(PermissionDenied):
        commendation_adjustment_remove(adjustment=adjustment, by=leader)
    assert list(adjustments_visible_to(leader)) == [adjustment]
    assert list(adjustments_visible_to(outsider)) == []
