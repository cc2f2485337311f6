"""The month (or quarter) proposal: one visit per cadre per month in their own cells, never two cadres at
one meeting, and unpredictable for a cell: it varies from draw to draw and avoids last time's cell and week.

The variation is checked statistically over many seeds, never against a fixed expected list."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from assignments.models import AssignmentPlan, Visit
from assignments.visits import services as visits
from cells.models import Meeting
from tests.assignments.visits.factories import issued_plan, next_year
from tests.factories import CadreFactory, CellFactory

pytestmark = pytest.mark.django_db

SEEDS = range(200)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _monthly(cell, year: int, day: int, **fields) -> None:
    """A meeting on ``day`` of every month of ``year``."""
    Meeting.objects.bulk_create(
        Meeting(cell=cell, date=date(year, month, day), start_time="19:30", place="Hội trường", **fields)
        for month in range(1, 13)
    )


@pytest.fixture
def year() -> int:
    return next_year()


@pytest.fixture
def district(tree, year):
    """Three cadres sharing some cells; each cell meets on its own day (so in its own week) every month,
    and C1 also holds a thematic meeting in the fourth week.

    A → C1, C2, C3 · B → C3, C4 · C → C1, C5
    """
    cells = {name: CellFactory(code=name, parent=tree.committee) for name in ("C1", "C2", "C3", "C4", "C5")}
    for name, day in (("C1", 5), ("C2", 12), ("C3", 20), ("C4", 26), ("C5", 9)):
        _monthly(cells[name], year, day)
    _monthly(cells["C1"], year, 22, kind=Meeting.Kind.THEMATIC, topic="Chuyên đề")
    cadres = {
        code: CadreFactory(code=code, full_name=f"Cán bộ {code}", organization=tree.root) for code in "ABC"
    }
    pairs = [("A", "C1"), ("A", "C2"), ("A", "C3"), ("B", "C3"), ("B", "C4"), ("C", "C1"), ("C", "C5")]
    plan = issued_plan(tree.root, year, [(cadres[c], cells[x]) for c, x in pairs])
    cells_of = {code: {cells[x].pk for c, x in pairs if c == code} for code in cadres}
    return {"plan": plan, "cells": cells, "cadres": cadres, "cells_of": cells_of, "root": tree.root}


def _propose(district, year, seed, **period):
    return visits.visit_propose(root=district["root"], year=year, seed=seed, **period)


def _draws(root, year, seeds=SEEDS, **period):
    """Many draws over one reading of the database (visit_propose = proposal_input + proposal_draw)."""
    data = visits.proposal_input(root=root, year=year, **period)
    return [visits.proposal_draw(data, seed) for seed in seeds]


# --- Coverage and the hard rules -----------------------------------------------------------------------
def test_every_cadre_gets_one_visit_each_month_in_their_own_cells(district, year):
    for proposal in _draws(district["root"], year, range(50), quarter=2):
        assert proposal.months == [4, 5, 6]
        assert proposal.unplaced == []
        per_month = Counter((row.cadre.code, row.meeting.date.month) for row in proposal.rows)
        assert per_month == {(code, month): 1 for code in "ABC" for month in (4, 5, 6)}
        for row in proposal.rows:
            assert row.meeting.cell_id in district["cells_of"][row.cadre.code]
            assert row.meeting.date.year == year


def test_never_two_cadres_at_one_meeting(district, year):
    for proposal in _draws(district["root"], year, month=3):
        meetings = [row.meeting.pk for row in proposal.rows]
        assert len(meetings) == len(set(meetings)) == 3
    for seed in range(5):  # and through the service itself
        rows = _propose(district, year, seed, month=3).rows
        meetings = [row.meeting.pk for row in rows]
        assert len(meetings) == len(set(meetings)) == 3


def test_a_cadre_with_a_single_option_still_gets_it_when_another_could_take_it(tree, year):
    """X can only go to S; Y can go to S or T: every draw must send X to S and Y to T."""
    s, t = CellFactory(code="S", parent=tree.committee), CellFactory(code="T", parent=tree.committee)
    _monthly(s, year, 8)
    _monthly(t, year, 15)
    x, y = CadreFactory(code="X", organization=tree.root), CadreFactory(code="Y", organization=tree.root)
    issued_plan(tree.root, year, [(x, s), (y, s), (y, t)])
    for proposal in _draws(tree.root, year, range(100), month=7):
        assert {(row.cadre.code, row.meeting.cell.code) for row in proposal.rows} == {("X", "S"), ("Y", "T")}


def test_cancelled_past_and_already_visited_meetings_are_left_out(district, year):
    cells, cadres = district["cells"], district["cadres"]
    Meeting.objects.filter(cell=cells["C2"], date__month=3).update(status=Meeting.Status.CANCELLED)
    taken = Meeting.objects.get(cell=cells["C4"], date__month=3)
    Visit.objects.create(cadre=cadres["B"], cell=cells["C4"], meeting=taken)  # B already covered in March
    for proposal in _draws(district["root"], year, range(100), month=3, today=date(year, 3, 6)):
        rows = proposal.rows
        assert {row.cadre.code for row in rows} == {"A", "C"}
        for row in rows:
            assert row.meeting.date >= date(year, 3, 6)
            assert row.meeting.cell != cells["C2"]
            assert row.meeting != taken


def test_a_meeting_planned_for_another_cadre_is_not_proposed(district, year):
    cells, cadres = district["cells"], district["cadres"]
    for meeting in Meeting.objects.filter(cell=cells["C3"], date__month=3):
        Visit.objects.create(cadre=cadres["A"], cell=cells["C3"], meeting=meeting, status=Visit.Status.MISSED)
    for proposal in _draws(district["root"], year, range(100), month=3):
        rows = proposal.rows
        assert all(row.meeting.cell != cells["C3"] for row in rows)
        assert {row.cadre.code for row in rows} == {"A", "B", "C"}  # B goes to C4, A elsewhere


def test_a_cadre_whose_cells_do_not_meet_that_month_is_listed_as_unplaced(tree, year):
    quiet = CellFactory(code="Q", parent=tree.committee)
    Meeting.objects.create(cell=quiet, date=date(year, 2, 3), start_time="08:00", place="Nhà văn hóa")
    cadre = CadreFactory(code="Z", organization=tree.root)
    issued_plan(tree.root, year, [(cadre, quiet)])
    proposal = visits.visit_propose(root=tree.root, year=year, month=3, seed=1)
    assert proposal.rows == []
    assert [(item.cadre.code, item.month) for item in proposal.unplaced] == [("Z", 3)]


def test_without_an_issued_plan_there_is_nothing_to_propose(tree, year):
    issued_plan(tree.root, year, [], status=AssignmentPlan.Status.DRAFT)
    with pytest.raises(ValidationError, match="no issued assignment plan"):
        visits.visit_propose(root=tree.root, year=year, month=3)


@pytest.mark.parametrize("period", [{}, {"month": 3, "quarter": 1}, {"month": 13}, {"quarter": 5}])
def test_the_period_must_be_one_month_or_one_quarter(district, year, period):
    with pytest.raises(ValidationError):
        _propose(district, year, 1, **period)


# --- It varies ----------------------------------------------------------------------------------------
def test_the_cell_and_the_week_vary_from_draw_to_draw(district, year):
    """A has three cells; across 200 draws each gets a fair share and the week of the month moves."""
    cell_codes, weeks = Counter(), Counter()
    for proposal in _draws(district["root"], year, month=3):
        (row,) = [row for row in proposal.rows if row.cadre.code == "A"]
        cell_codes[row.meeting.cell.code] += 1
        weeks[visits.week_of_month(row.meeting.date)] += 1
    assert set(cell_codes) == {"C1", "C2", "C3"}
    for count in cell_codes.values():
        assert 0.12 <= count / len(SEEDS) <= 0.65, cell_codes
    assert len(weeks) >= 3, weeks
    assert max(weeks.values()) / len(SEEDS) <= 0.6, weeks


def test_different_seeds_give_different_proposals(district, year):
    draws = {
        tuple(row.token for row in proposal.rows) for proposal in _draws(district["root"], year, month=3)
    }
    assert len(draws) >= 10  # of the 17 possible


@pytest.fixture
def two_cells(tree, year):
    """D has two cells: P meets in the first week, R in the second."""
    p, r = CellFactory(code="P", parent=tree.committee), CellFactory(code="R", parent=tree.committee)
    _monthly(p, year, 5)
    _monthly(r, year, 14)
    cadre = CadreFactory(code="D", organization=tree.root)
    issued_plan(tree.root, year, [(cadre, p), (cadre, r)])
    return {"cadre": cadre, "P": p, "R": r, "root": tree.root}


def _share_of_p(two_cells, year, **period) -> float:
    picks = Counter(
        proposal.rows[0].meeting.cell.code for proposal in _draws(two_cells["root"], year, **period)
    )
    return picks["P"] / len(SEEDS)


def test_without_history_both_cells_are_about_as_likely(two_cells, year):
    assert 0.35 <= _share_of_p(two_cells, year, month=4) <= 0.65


def test_last_times_cell_and_week_are_weighed_against(two_cells, year):
    """D attended P in the first week of March: in April P (again the first week) becomes unlikely."""
    march = Meeting.objects.get(cell=two_cells["P"], date__month=3)
    Visit.objects.create(
        cadre=two_cells["cadre"], cell=two_cells["P"], meeting=march, status=Visit.Status.ATTENDED
    )
    assert _share_of_p(two_cells, year, month=4) <= 0.2


def test_within_a_quarter_the_next_month_avoids_the_previous_pick(two_cells, year):
    repeats = pairs = 0
    for proposal in _draws(two_cells["root"], year, quarter=3):
        codes = [row.meeting.cell.code for row in sorted(proposal.rows, key=lambda row: row.meeting.date)]
        assert len(codes) == 3
        repeats += sum(first == second for first, second in zip(codes, codes[1:], strict=False))
        pairs += len(codes) - 1
    assert repeats / pairs <= 0.25


# --- Accepting -----------------------------------------------------------------------------------------
def test_accepting_saves_the_kept_rows_as_planned_visits(district, year, staff):
    proposal = _propose(district, year, 3, month=5)
    kept = proposal.rows[:2]
    saved = visits.visit_proposal_accept(rows=[(row.cadre, row.meeting) for row in kept], by=staff)
    assert {(v.cadre_id, v.meeting_id, v.status, v.planned_by) for v in saved} == {
        (row.cadre.pk, row.meeting.pk, Visit.Status.PLANNED, staff) for row in kept
    }
    assert Visit.objects.count() == 2


def test_accepting_is_all_or_nothing(district, year, staff, tree):
    """A meeting taken meanwhile by someone else fails its row, and then nothing is saved."""
    first, second = _propose(district, year, 3, month=5).rows[:2]
    meanwhile = CadreFactory(code="E", organization=tree.root)
    Visit.objects.create(cadre=meanwhile, cell=first.meeting.cell, meeting=first.meeting)
    with pytest.raises(ValidationError, match=first.cadre.full_name):
        visits.visit_proposal_accept(rows=[(r.cadre, r.meeting) for r in (first, second)], by=staff)
    assert list(Visit.objects.values_list("cadre__code", flat=True)) == ["E"]
