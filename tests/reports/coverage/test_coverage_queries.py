"""coverage() runs a fixed number of queries whatever the size of the tree and the number of visits."""

from __future__ import annotations

import pytest

from reports.coverage.selectors import Basis, Period, coverage
from tests.factories import CadreFactory, OrganizationFactory
from tests.reports.coverage.coverage_tree import D, build_district, cell, visit

pytestmark = pytest.mark.django_db

# The groups, the committees, the cells and covered cells by (parent, group), both cadre counts.
QUERIES = 4


def grow(district, size: int) -> None:
    """``size`` more committees, each with three cells, one attended visit and one missed."""
    cadre = CadreFactory(code=f"KX{size}", organization=district.root)
    for number in range(size):
        committee = OrganizationFactory(code=f"DBX{size}-{number}", parent=district.root)
        cells = [cell(f"X{size}-{number}-{kind}", committee, kind) for kind in ("AP", "NKV", "TH")]
        visit(cadre, cells[0], D(2025, 1 + number % 12, 5))
        visit(cadre, cells[1], D(2025, 1 + number % 12, 6), status="missed")


def _assert_queries(district, django_assert_num_queries) -> None:
    periods = (
        Period.year(2025),
        Period.quarter(2025, 2),
        Period.month(2025, 3),
        Period(D(2024, 6, 1), D(2025, 6, 30)),
    )
    for basis in Basis.VALUES:
        for period in periods:
            with django_assert_num_queries(QUERIES):
                result = coverage(root=district.root, period=period, basis=basis)
                result.as_dict()  # reading every figure runs no further query


def test_query_count_is_the_same_at_two_sizes(django_assert_num_queries):
    district = build_district()
    _assert_queries(district, django_assert_num_queries)
    grow(district, 15)
    grown = coverage(root=district.root, period=Period.year(2025))
    assert len(grown.committees) == 2 + 15
    _assert_queries(district, django_assert_num_queries)
