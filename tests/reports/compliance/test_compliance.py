"""Cadre compliance selectors on a hand-built year (tests/reports/compliance/compliance_year.py): month states,
the rules of the year, the evaluation sheet, the dashboard's strips and the commendation candidates."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from assignments.cadres.months import MonthState, month_over
from assignments.models import CadreExemption, Visit
from reports.compliance import selectors as compliance
from reports.compliance.evaluation import Grade
from tests.assignments.visits.factories import issued_plan
from tests.factories import CadreFactory, CellFactory, cell_type
from tests.reports.compliance.compliance_year import TODAY, YEAR, D, at, attend, build_year, note

ATT, MISS, EX, PEND = MonthState.ATTENDED, MonthState.MISSED, MonthState.EXEMPT, MonthState.PENDING


@pytest.fixture
def year(tree):
    return build_year(tree)


def _rows(root, today=TODAY, **kwargs) -> dict[str, compliance.CadreYear]:
    return {
        row.cadre.code: row for row in compliance.cadre_years(root=root, year=YEAR, today=today, **kwargs)
    }


def _states(row: compliance.CadreYear) -> list[str]:
    return [month.state for month in row.months]


def test_month_states_worked_out_by_hand(year):
    with translation.override("en"):
        rows = _rows(year.root)
    assert list(rows) == [
        "K3",
        "K2",
        "K1",
    ]  # the plan's cadres by given name (Ba, Hai, Một); K4 is in no plan
    assert _states(rows["K1"]) == [ATT, EX, MISS, ATT, ATT] + [PEND] * 7
    assert [month.visits for month in rows["K1"].months][:5] == [1, 0, 0, 2, 1]
    assert _states(rows["K2"]) == [MISS, MISS, EX, MISS] + [PEND] * 8
    assert _states(rows["K3"]) == [ATT] * 4 + [PEND] * 8
    k1 = rows["K1"]
    assert (k1.compliant_months, k1.required_months, k1.exempt_months, k1.pending_months) == (3, 4, 1, 7)
    assert (rows["K2"].compliant_months, rows["K2"].required_months) == (0, 3)
    assert rows["K1"].months[1].exemption_reason == "Illness"


def test_the_current_month_fails_only_once_it_is_over(year):
    on_last_day = _rows(year.root, today=D(YEAR, 4, 30))
    assert _states(on_last_day["K2"])[:4] == [MISS, MISS, EX, PEND]
    next_day = _rows(year.root, today=D(YEAR, 5, 1))
    assert _states(next_day["K2"])[:5] == [MISS, MISS, EX, MISS, PEND]
    assert month_over(YEAR, 4, D(YEAR, 4, 30)) is False
    assert month_over(YEAR, 4, D(YEAR, 5, 1)) is True


def test_a_past_year_is_all_over_and_a_future_one_all_pending(year):
    assert _states(_rows(year.root, today=D(2027, 1, 1))["K3"]) == [ATT] * 4 + [MISS] * 8
    assert _states(_rows(year.root, today=D(2025, 12, 31))["K3"]) == [ATT] * 4 + [PEND] * 8


def test_only_visits_to_the_roots_subtree_count(year, tree):
    """K1's March visit to a cell of HU2 counts for nobody in HU; from HU2 no cadre is in a plan."""
    assert _rows(year.root)["K1"].months[2].state == MISS
    assert compliance.cadre_years(root=tree.other_root, year=YEAR, today=TODAY) == []


def test_an_exempt_month_stays_exempt_when_attended(year):
    CadreExemption.objects.create(
        cadre=year.k3, year=YEAR, month=1, reason="training", detail="Lớp bồi dưỡng"
    )
    k3 = _rows(year.root)["K3"]
    assert k3.months[0].state == EX and k3.months[0].visits == 1
    assert (k3.compliant_months, k3.required_months) == (3, 3)


def test_search_and_behind_filters(year):
    assert list(_rows(year.root, search=" bùi thị ")) == ["K2"]
    assert list(_rows(year.root, search="k3")) == ["K3"]
    assert list(_rows(year.root, behind_only=True)) == ["K2", "K1"]


def test_the_latest_draft_plan_counts_when_none_is_issued(tree):
    cell = CellFactory(code="A", parent=tree.committee, cell_type=cell_type("AP"))
    k = CadreFactory(code="KD", organization=tree.root)
    issued_plan(tree.root, 2027, [(k, cell)], status="draft")
    assert [row.cadre.code for row in compliance.cadre_years(root=tree.root, year=2027, today=TODAY)] == [
        "KD"
    ]


# --- The yearly rules and the sheet -----------------------------------------------------------------------
def _sheet(root, today=TODAY) -> dict[str, compliance.CadreSheet]:
    return {line.cadre.code: line for line in compliance.evaluation_sheet(root=root, year=YEAR, today=today)}


def test_the_sheet_worked_out_by_hand(year):
    sheet = _sheet(year.root)
    k1, k2, k3 = sheet["K1"], sheet["K2"], sheet["K3"]
    assert (k1.cells, k1.types, k1.meets_types_rule) == (2, 2, True)
    assert (k1.visits, k1.notes_due, k1.notes_on_time, k1.notes_late, k1.notes_waiting) == (4, 3, 1, 2, 1)
    assert (k1.escalations, k1.proposals) == (1, 0)
    assert (k1.score.attendance, k1.score.types, k1.score.notes, k1.score.contribution) == (
        Decimal("37.50"),
        Decimal("20.00"),
        Decimal("6.67"),
        Decimal("10.00"),
    )
    assert (k1.score.total, k1.score.grade) == (Decimal("74.17"), Grade.GOOD)
    assert (k2.cells, k2.types, k2.notes_due, k2.score.total, k2.score.grade) == (
        0,
        0,
        0,
        Decimal("20.00"),
        Grade.NOT_COMPLETED,
    )
    assert (k3.types, k3.meets_types_rule, k3.notes_on_time, k3.notes_due, k3.proposals) == (
        1,
        False,
        4,
        4,
        1,
    )
    assert (k3.score.total, k3.score.grade) == (Decimal("90.00"), Grade.EXCELLENT)


def test_two_types_rule(tree):
    a = CellFactory(code="A", parent=tree.committee, cell_type=cell_type("AP"))
    a2 = CellFactory(code="A2", parent=tree.committee, cell_type=cell_type("AP"))
    school = CellFactory(code="T", parent=tree.committee, cell_type=cell_type("TH"))
    k = CadreFactory(code="K", organization=tree.root)
    issued_plan(tree.root, YEAR, [(k, a)])
    attend(k, a, D(YEAR, 1, 5))
    attend(k, a2, D(YEAR, 2, 5))
    line = _sheet(tree.root)["K"]
    assert (line.cells, line.types, line.meets_types_rule, line.score.types) == (
        2,
        1,
        False,
        Decimal("10.00"),
    )
    attend(k, school, D(YEAR, 3, 5), Visit.Status.MISSED)  # a missed visit is no attendance
    assert _sheet(tree.root)["K"].types == 1
    attend(k, school, D(YEAR, 3, 6))
    line = _sheet(tree.root)["K"]
    assert (line.cells, line.types, line.meets_types_rule, line.score.types) == (3, 2, True, Decimal("20.00"))


@pytest.mark.parametrize(
    ("submitted", "on_time"),
    [
        (at(D(YEAR, 3, 13), 23, 59), True),  # exactly three days after the meeting of 10/03
        (at(D(YEAR, 3, 14), 0, 30), False),  # four days (17:30 UTC on the 13th: the local day counts)
        (at(D(YEAR, 3, 10), 21, 0), True),  # the same evening
    ],
)
def test_notes_on_time_boundary(tree, submitted, on_time):
    a = CellFactory(code="A", parent=tree.committee, cell_type=cell_type("AP"))
    k = CadreFactory(code="K", organization=tree.root)
    issued_plan(tree.root, YEAR, [(k, a)])
    note(attend(k, a, D(YEAR, 3, 10)), submitted)
    line = _sheet(tree.root)["K"]
    assert (line.notes_due, line.notes_on_time) == (1, 1 if on_time else 0)


@pytest.mark.parametrize(("today", "due"), [(D(YEAR, 3, 13), 0), (D(YEAR, 3, 14), 1)])
def test_a_missing_note_is_late_once_past_its_deadline(tree, today, due):
    a = CellFactory(code="A", parent=tree.committee, cell_type=cell_type("AP"))
    k = CadreFactory(code="K", organization=tree.root)
    issued_plan(tree.root, YEAR, [(k, a)])
    note(attend(k, a, D(YEAR, 3, 10)), None)  # a draft is not submitted
    line = _sheet(tree.root, today=today)["K"]
    assert (line.notes_due, line.notes_on_time, line.notes_waiting) == (due, 0, 1 - due)


def test_commendation_candidates(year):
    candidates = compliance.commendation_candidates(root=year.root, year=YEAR, today=TODAY)
    assert [line.cadre.code for line in candidates] == ["K3"]
    assert candidates[0].score.total == Decimal("90.00")


def test_a_cadre_with_every_month_exempt_is_no_candidate(tree):
    a = CellFactory(code="A", parent=tree.committee, cell_type=cell_type("AP"))
    k = CadreFactory(code="K", organization=tree.root)
    issued_plan(tree.root, YEAR, [(k, a)])
    for month in range(1, 13):
        CadreExemption.objects.create(cadre=k, year=YEAR, month=month, reason="illness", detail="Ốm dài ngày")
    assert compliance.commendation_candidates(root=tree.root, year=YEAR, today=D(2027, 2, 1)) == []


# --- The dashboard's strips -------------------------------------------------------------------------------
def test_dashboard_context(year, django_assert_num_queries):
    with django_assert_num_queries(4):
        context = compliance.dashboard_context(root=year.root, year=YEAR, today=TODAY)
        rows = context["compliance_rows"]
        assert [month.state for row in rows for month in row.months]  # the rows are built, not lazy
    assert context["compliance_year"] == YEAR
    assert [row.cadre.code for row in rows] == ["K3", "K2", "K1"]
    assert [(row.cadre.code, row.missed_months) for row in context["compliance_behind"]] == [
        ("K2", 3),
        ("K1", 1),
    ]
    grid = reverse("reports:compliance")
    assert context["compliance_url"] == f"{grid}?year=2026"
    assert context["compliance_behind_url"] == f"{grid}?year=2026&behind=on"
    visits = reverse("assignments:visit_list")
    assert (
        rows[2].months[3].visits_url == f"{visits}?cadre={year.k1.pk}&date_from=2026-04-01&date_to=2026-04-30"
    )


@pytest.mark.parametrize("cadres", [1, 6])
def test_grid_and_sheet_query_counts_do_not_grow(tree, cadres, django_assert_num_queries):
    a = CellFactory(code="A", parent=tree.committee, cell_type=cell_type("AP"))
    t = CellFactory(code="T", parent=tree.committee, cell_type=cell_type("TH"))
    people = [CadreFactory(organization=tree.root) for _i in range(cadres)]
    issued_plan(tree.root, YEAR, [(k, a) for k in people])
    for k in people:
        for month in (1, 2, 3):
            note(attend(k, a if month < 3 else t, D(YEAR, month, 7)), at(D(YEAR, month, 8)))
        CadreExemption.objects.create(cadre=k, year=YEAR, month=4, reason="leave", detail="Nghỉ phép")
    with django_assert_num_queries(4):
        rows = compliance.cadre_years(root=tree.root, year=YEAR, today=TODAY)
    with django_assert_num_queries(6):
        sheet = compliance.evaluation_sheet(root=tree.root, year=YEAR, today=TODAY)
    assert len(rows) == len(sheet) == cadres
    # 3/3 months (April exempt, May not over): 50; two types: 20; 3/3 notes on time: 20; no contribution.
    assert {line.score.total for line in sheet} == {Decimal("90.00")}
