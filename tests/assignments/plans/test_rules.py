"""The notice's rules, each passing and failing, and the coverage preview the editor shows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from assignments.plans.coverage_preview import plan_coverage
from assignments.plans.rules import Rule, cadre_flags, plan_findings
from cells.hierarchy.services import organization_update
from tests.assignments.plans.factories import assign, draft_plan, passing_plan, plan_tree
from tests.factories import CadreFactory, CellFactory, MemberFactory, OrganizationFactory, cell_type

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in English (the Vietnamese catalogue is the lead's)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def t():
    return plan_tree()


def _finding(plan, rule: Rule):
    return next((finding for finding in plan_findings(plan) if finding.rule == rule), None)


def _codes(items) -> list[str]:
    return [item.code for item in items]


def test_a_plan_that_follows_every_rule_has_no_findings(t):
    assert plan_findings(passing_plan(t)) == []


# --- Each cadre covers cells of at least two cell types ---------------------------------------------------
def test_two_cell_types_fails_for_a_cadre_with_cells_of_one_type(t):
    plan = passing_plan(t)
    lonely = CadreFactory(code="PCAD3", full_name="Phạm Ba", organization=t.root)
    assign(plan, lonely, t.hamlet, t.hamlet2)  # two cells, both hamlets
    finding = _finding(plan, Rule.TWO_CELL_TYPES)
    assert _codes(finding.cadres) == ["PCAD3"]
    assert "1 cadre" in finding.message
    assert cadre_flags(plan_findings(plan))["PCAD3"][0].rule == Rule.TWO_CELL_TYPES


def test_two_cell_types_passes_once_the_cadre_gets_a_second_type(t):
    plan = passing_plan(t)
    lonely = CadreFactory(code="PCAD3", organization=t.root)
    assign(plan, lonely, t.hamlet)
    assert _finding(plan, Rule.TWO_CELL_TYPES) is not None
    assign(plan, lonely, t.school)
    assert _finding(plan, Rule.TWO_CELL_TYPES) is None


# --- No cadre assigned to the cell they are a member of ------------------------------------------------------
def test_own_cell_fails_when_a_cadre_is_assigned_to_their_own_cell(t):
    plan = passing_plan(t)
    t.cadre.member = MemberFactory(cell=t.hamlet)
    t.cadre.save()
    finding = _finding(plan, Rule.OWN_CELL)
    assert _codes(finding.cadres) == [t.cadre.code]
    assert _codes(finding.cells) == [t.hamlet.code]


def test_own_cell_passes_when_the_cadre_is_a_member_elsewhere(t):
    plan = passing_plan(t)
    t.cadre.member = MemberFactory(cell=t.school)  # t.cadre goes to direct and hamlet, not school
    t.cadre.save()
    assert _finding(plan, Rule.OWN_CELL) is None


# --- Every cell directly under the root has a cadre --------------------------------------------------------
def test_direct_cells_fails_for_an_uncovered_direct_cell(t):
    plan = passing_plan(t)
    CellFactory(code="P-NG", name="Chi bộ ngành", parent=t.root, cell_type=cell_type("AP"))
    finding = _finding(plan, Rule.DIRECT_CELLS)
    assert _codes(finding.cells) == ["P-NG"]


def test_direct_cells_passes_when_each_is_covered_and_ignores_subordinate_and_closed_cells(t):
    plan = passing_plan(t)
    CellFactory(code="P-AP9", parent=t.committee)  # subordinate: not required
    CellFactory(code="P-OLD", parent=t.root, valid_to=date(2025, 6, 30))  # gone before the plan's year
    CellFactory(code="P-NEW", parent=t.root, valid_from=date(2027, 1, 1))  # exists only after it
    assert _finding(plan, Rule.DIRECT_CELLS) is None


def test_a_cell_directly_under_another_root_does_not_count(t):
    plan = passing_plan(t)
    other = OrganizationFactory(code="OTHER")
    CellFactory(code="OTHER-CQ", parent=other)
    assert _finding(plan, Rule.DIRECT_CELLS) is None


# --- No cadre over the plan's load ----------------------------------------------------------------------------
def test_max_load_fails_above_the_plans_limit(t):
    plan = draft_plan(t.root, max_load=2)
    assign(plan, t.cadre, t.direct, t.hamlet, t.school)
    finding = _finding(plan, Rule.MAX_LOAD)
    assert _codes(finding.cadres) == [t.cadre.code]
    assert "more than 2 cells" in finding.message


def test_max_load_passes_at_the_limit(t):
    plan = draft_plan(t.root, max_load=3)
    assign(plan, t.cadre, t.direct, t.hamlet, t.school)
    assert _finding(plan, Rule.MAX_LOAD) is None


def test_the_default_load_is_four_cells(t):
    plan = draft_plan(t.root)
    extra = [CellFactory(parent=t.committee, cell_type=cell_type("NG")) for _ in range(2)]
    assign(plan, t.cadre, t.direct, t.hamlet, t.school, extra[0])
    assert _finding(plan, Rule.MAX_LOAD) is None
    assign(plan, t.cadre, extra[1])
    assert _finding(plan, Rule.MAX_LOAD) is not None


# --- Priority cell types each covered --------------------------------------------------------------------------
def test_priority_types_fails_for_a_present_type_nobody_covers(t):
    plan = draft_plan(t.root)
    assign(plan, t.cadre, t.direct, t.hamlet)  # CQ covered, TH (the school) not
    finding = _finding(plan, Rule.PRIORITY_TYPES)
    assert _codes(finding.cell_types) == ["TH"]


def test_priority_types_only_asks_for_types_the_root_has(t):
    plan = passing_plan(t)
    # Police and military cells exist, but in another root and as a closed cell of this one.
    CellFactory(parent=OrganizationFactory(code="OTHER"), cell_type=cell_type("CA"))
    CellFactory(parent=t.committee, cell_type=cell_type("QS"), valid_to=date(2024, 12, 31))
    assert _finding(plan, Rule.PRIORITY_TYPES) is None
    CellFactory(code="P-CA", parent=t.committee, cell_type=cell_type("CA"))
    assert _codes(_finding(plan, Rule.PRIORITY_TYPES).cell_types) == ["CA"]


def test_findings_come_in_rule_order(t):
    plan = draft_plan(t.root, max_load=1)
    assign(plan, t.cadre, t.hamlet, t.hamlet2)
    rules = [finding.rule for finding in plan_findings(plan)]
    assert rules == [Rule.TWO_CELL_TYPES, Rule.DIRECT_CELLS, Rule.MAX_LOAD, Rule.PRIORITY_TYPES]


@pytest.mark.parametrize("cadres", [2, 25])
def test_findings_take_four_queries_whatever_the_size(t, cadres, django_assert_num_queries):
    plan = passing_plan(t)
    for index in range(cadres):
        assign(plan, CadreFactory(organization=t.root), t.hamlet if index % 2 else t.school)
    with django_assert_num_queries(4):
        findings = plan_findings(plan)
    assert len(findings[0].cadres) == cadres


# --- Coverage preview -------------------------------------------------------------------------------------------
def test_coverage_counts_assigned_cells_by_tier_and_group(t):
    plan = draft_plan(t.root)
    CellFactory(code="P-KP", parent=t.root, cell_type=cell_type("KP"))  # a second direct cell
    assign(plan, t.cadre, t.direct, t.hamlet)
    assign(plan, t.cadre2, t.hamlet)  # the same cell twice counts once
    coverage = plan_coverage(plan)
    tiers = {line.key: (line.assigned, line.total) for line in coverage.tiers}
    assert tiers == {"direct": (1, 2), "subordinate": (1, 3)}
    groups = {line.key: (line.assigned, line.total) for line in coverage.groups}
    assert groups == {"AP_KP": (1, 3), "NG_CQ": (1, 2)}
    assert [line.key for line in coverage.groups] == ["AP_KP", "NG_CQ"]  # the groups' own order
    assert (coverage.total.assigned, coverage.total.total) == (2, 5)
    assert coverage.total.percent == Decimal("40.00")


def test_coverage_percent_is_computed_not_copied():
    from assignments.plans.coverage_preview import CoverageLine

    assert CoverageLine("x", "x", 3, 23).percent == Decimal("13.04")
    assert CoverageLine("x", "x", 78, 267).percent == Decimal("29.21")
    assert CoverageLine("x", "x", 0, 0).percent is None


def test_coverage_leaves_out_cells_closed_before_the_year_and_moved_cells_follow(t):
    plan = draft_plan(t.root)
    CellFactory(parent=t.committee, valid_to=date(2025, 12, 31))
    organization_update(t.school, parent=t.root)  # the school now sits directly under the root
    tiers = {line.key: line.total for line in plan_coverage(plan).tiers}
    assert tiers == {"direct": 2, "subordinate": 2}


@pytest.mark.parametrize("cells", [3, 40])
def test_coverage_is_one_query(t, cells, django_assert_num_queries):
    plan = draft_plan(t.root)
    for _ in range(cells):
        assign(plan, t.cadre, CellFactory(parent=t.committee, cell_type=cell_type("NG")))
    with django_assert_num_queries(1):
        coverage = plan_coverage(plan)
    assert coverage.total.total == cells + 4
