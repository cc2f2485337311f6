"""The annual summary's snapshot on two hand-built years (tests/reports/periodic/annual_data.py, where every
figure is worked out): the year's figures, the comparison with 2025, the commendation list and the
escalations carried; the phrases in Vietnamese and in English; a fixed number of queries."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from assignments.models import Assignment, AssignmentPlan
from reports.commendations.services import commendation_adjust
from reports.periodic.annual import annual_snapshot
from reports.periodic.annual_phrases import change_text, difference_text, points_text
from tests.assignments.visits.factories import issued_plan
from tests.factories import CadreFactory, CellFactory
from tests.reports.periodic.annual_data import TODAY, YEAR, D, attend, build_years, note


@pytest.fixture
def years(tree):
    return build_years(tree)


@pytest.fixture
def snapshot(years):
    return annual_snapshot(root=years.root, year=YEAR, today=TODAY)


def test_the_change_phrases_in_vietnamese():
    with translation.override("vi"):
        assert change_text(61, 49) == "61, tăng 12"
        assert change_text(58, 61) == "58, giảm 3"
        assert change_text(61, 61) == "61, không đổi"
        assert (difference_text(61, 49), difference_text(58, 61), difference_text(3, 3)) == (
            "tăng 12",
            "giảm 3",
            "không đổi",
        )
        assert points_text(Decimal("29.21"), Decimal("16.71")) == "tăng 12,5 điểm"
        assert points_text(13.04, 16.24) == "giảm 3,2 điểm"
        assert points_text(100.0, 100.0) == "không đổi"


def test_the_change_phrases_in_english():
    with translation.override("en"):
        assert change_text(61, 49) == "61, up 12"
        assert difference_text(61, 49) == "up 12"
        assert change_text(58, 61) == "58, down 3"
        assert change_text(61, 61) == "61, unchanged"
        assert points_text(83.33, 50.0) == "up 33.33 points"


def test_the_snapshot_is_json(snapshot):
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert (snapshot["kind"], snapshot["period"]["year"], snapshot["previous_year"]) == ("annual", 2026, 2025)
    assert (snapshot["period"]["from"], snapshot["period"]["to"]) == ("2026-01-01", "2026-12-31")
    assert snapshot["as_of"] == "2027-01-15"


def test_the_years_coverage_comes_from_the_coverage_selector(snapshot):
    attended = snapshot["coverage"]["attended"]
    assert attended["direct"] == {
        "cells": 1,
        "covered": 1,
        "percent": 100.0,
        "groups": attended["direct"]["groups"],
    }
    assert (attended["subordinate"]["cells"], attended["subordinate"]["covered"]) == (5, 4)
    assert attended["total"] == {"cells": 6, "covered": 5, "percent": 83.33}
    assert attended["cadres"] == {"assigned": 5, "attended": 4}
    # Assigned basis: the 2026 plan assigns a cadre to each of the six cells (K5 → XA-TH, never attended).
    assigned = snapshot["coverage"]["assigned"]
    assert assigned["total"] == {"cells": 6, "covered": 6, "percent": 100.0}
    assert snapshot["previous_coverage"]["attended"]["total"] == {"cells": 6, "covered": 3, "percent": 50.0}


def test_visits_meetings_and_notes_of_the_year(snapshot):
    assert snapshot["visits"] == {"planned": 37, "attended": 37, "missed": 0, "pending": 0}
    assert snapshot["meetings"] == {"regular": 36, "thematic": 1, "total": 37}
    # Notes due of the plan cadres: K1 12 + K3 11 + K4 12 + K2's two visits without a note = 37; on
    # time 12 + 11 + 11 = 34.
    assert snapshot["notes"] == {
        "total": 35, "submitted": 35, "accepted": 0, "returned": 0, "draft": 0, "due": 37, "on_time": 34
    }  # fmt: skip


def test_the_comparison_with_the_previous_year(snapshot):
    comparison = snapshot["comparison"]
    assert comparison["cadres_assigned"] == {"current": 5, "previous": 2, "change": 3, "text": "5, tăng 3"}
    assert comparison["cells_covered"] == {"current": 5, "previous": 3, "change": 2, "text": "5, tăng 2"}
    assert comparison["cadres_attended"]["text"] == "4, tăng 2"
    tiers = {tier["code"]: tier for tier in comparison["tiers"]}
    assert tiers["direct"]["text"] == "không đổi"
    assert (tiers["subordinate"]["previous"]["percent"], tiers["subordinate"]["current"]["percent"]) == (
        40.0,
        80.0,
    )
    assert (tiers["subordinate"]["points"], tiers["subordinate"]["text"]) == (40.0, "tăng 40 điểm")
    assert (tiers["total"]["points"], tiers["total"]["text"]) == (33.33, "tăng 33,33 điểm")
    groups = [
        (g["code"], g["previous"]["covered"], g["current"]["covered"], g["points"])
        for g in comparison["groups"]
    ]
    assert groups == [("AP_KP", 2, 2, 0.0), ("XDD_NKV", 0, 1, 100.0), ("NG_CQ", 0, 1, 100.0)]
    assert comparison["groups"][0]["current"] == {"cells": 3, "covered": 2, "percent": 66.67}


def test_a_decrease_reads_giam(years, tree):
    """Compared the other way round (2026 against 2027, which has nothing yet): everything went down."""
    snapshot = annual_snapshot(root=years.root, year=2027, today=TODAY)
    comparison = snapshot["comparison"]
    assert comparison["cadres_assigned"]["text"] == "0, giảm 5"
    assert comparison["cells_covered"]["text"] == "0, giảm 5"
    assert {tier["code"]: tier["text"] for tier in comparison["tiers"]}["total"] == "giảm 83,33 điểm"


def test_the_commendation_list_with_each_cadres_criteria(snapshot):
    rows = {row["cadre"]["code"]: row for row in snapshot["commendations"]}
    assert list(rows) == ["K3", "K1"]  # by given name; only the proposed (and any taken off) are kept
    k1, k3 = rows["K1"], rows["K3"]
    assert (k1["months_attended"], k1["months_required"], k1["notes_on_time"], k1["notes_due"]) == (
        12,
        12,
        12,
        12,
    )
    assert (k3["months_attended"], k3["months_required"], k3["months_exempt"]) == (11, 11, 1)
    assert k3["basis"] == "criteria_met" and k3["proposed"] and k3["reason"] == ""


def test_adjustments_show_in_the_snapshot(years, staff):
    commendation_adjust(
        root=years.root, year=YEAR, cadre=years.k4, proposed=True, reason="Trễ một báo cáo do bão", by=staff
    )
    commendation_adjust(
        root=years.root, year=YEAR, cadre=years.k1, proposed=False, reason="Đã khen năm trước", by=staff
    )
    rows = {
        row["cadre"]["code"]: row
        for row in annual_snapshot(root=years.root, year=YEAR, today=TODAY)["commendations"]
    }
    assert list(rows) == ["K3", "K4", "K1"]
    assert (rows["K1"]["proposed"], rows["K1"]["basis"], rows["K1"]["reason"]) == (
        False,
        "taken_off",
        "Đã khen năm trước",
    )
    assert (rows["K4"]["proposed"], rows["K4"]["basis"], rows["K4"]["meets_criteria"]) == (
        True,
        "added",
        False,
    )
    assert (rows["K4"]["notes_on_time"], rows["K4"]["notes_due"]) == (11, 12)


def test_open_escalations_are_carried(snapshot, years):
    carried = snapshot["open_escalations"]
    assert [item["id"] for item in carried] == [years.open_escalation.pk]
    assert carried[0]["cell"]["code"] == "XA-AP1"
    assert (carried[0]["status"], carried[0]["text"]) == ("open", "Thiếu kinh phí hội trường")
    assert carried[0]["raised_on"] == "2026-11-12"


def _grow(tree, years) -> None:
    """More cells, cadres, visits and notes of both years: the query count must not change."""
    plan = AssignmentPlan.objects.get(root=tree.root, year=YEAR)
    other_year = issued_plan(tree.root, 2024, [])  # another year's plan must not leak in
    for index in range(6):
        cell = CellFactory(code=f"XA-N{index}", parent=tree.committee)
        cadre = CadreFactory(code=f"KN{index}", organization=tree.root)
        Assignment.objects.create(plan=plan, cadre=cadre, cell=cell)
        Assignment.objects.create(plan=other_year, cadre=CadreFactory(organization=tree.root), cell=cell)
        for month in (1, 5, 9):
            day = D(YEAR, month, 3)
            note(attend(cadre, cell, day), day)
        attend(cadre, cell, D(2025, 6, 6))


def _queries(years) -> int:
    with CaptureQueriesContext(connection) as captured:
        annual_snapshot(root=years.root, year=YEAR, today=TODAY)
    return len(captured)


def test_a_fixed_number_of_queries_whatever_the_size(years, tree, django_assert_max_num_queries):
    small = _queries(years)
    _grow(tree, years)
    assert _queries(years) == small
    # Three coverage runs of four queries, visits, meetings, ratings, notes, escalations, and the
    # commendation list's seven (the evaluation sheet's six and the adjustments).
    with django_assert_max_num_queries(24):
        annual_snapshot(root=years.root, year=YEAR, today=TODAY)
