"""Coverage on the hand-built district of coverage_tree.py: every figure is worked out in the comments.

A line is (cells, covered, percent); groups are (code, cells, covered, percent) in the groups' order
AP_KP, XDD_NKV, NG_CQ; committees (code, cells, covered, percent) in code order.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from reports.coverage.selectors import Basis, Coverage, Period, cells_by_coverage, coverage
from tests.reports.coverage.coverage_tree import D, build_district

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    return build_district()


def line(row) -> tuple:
    return (row.cells, row.covered, str(row.percent))


def groups(tier) -> list[tuple]:
    return [(group.code, *line(group)) for group in tier.groups]


def committees(result: Coverage) -> list[tuple]:
    return [(row.code, *line(row)) for row in result.committees]


def of(district, period: Period, basis: str = Basis.ATTENDED) -> Coverage:
    return coverage(root=district.root, period=period, basis=basis)


# --- The year, attended ---------------------------------------------------------------------------------
def test_year_attended_tiers_groups_committees_total_and_cadres(district):
    result = of(district, Period.year(2025))
    # Direct: D1, D2, D3 are valid; D1 (10/02) and D3 (01/04) attended, D2 only missed/cancelled.
    # 2/3 = 66.666… → 66.67. By group: AP_KP none; XDD_NKV D2 0/1; NG_CQ D1, D3 2/2.
    assert line(result.direct) == (3, 2, "66.67")
    assert groups(result.direct) == [
        ("AP_KP", 0, 0, "0.00"),
        ("XDD_NKV", 1, 0, "0.00"),
        ("NG_CQ", 2, 2, "100.00"),
    ]
    # Subordinate cells valid in 2025: DB01 A1 A2 A3 T1 S (P is merged into S, which is valid from
    # 01/07: counted once, as S), DB02 A4 N1 A5 A7; A6 (to 31/12/2024) and HU2's O1 are out. 9 cells.
    # Covered: A1, A2, S (through P's visit of 10/03), N1 (moved to 02/07), A5 (30/11) = 5.
    # A3 has only planned/missed visits; A4's visit is on 31/12/2024. 5/9 = 55.555… → 55.56.
    assert line(result.subordinate) == (9, 5, "55.56")
    # AP_KP: A1 A2 A3(KP) S A4 A5 A7 = 7 cells, covered A1 A2 S A5 = 4: 4/7 = 57.142… → 57.14.
    # XDD_NKV: N1 1/1. NG_CQ: T1 0/1.
    assert groups(result.subordinate) == [
        ("AP_KP", 7, 4, "57.14"),
        ("XDD_NKV", 1, 1, "100.00"),
        ("NG_CQ", 1, 0, "0.00"),
    ]
    # DB01: A1 A2 A3 T1 S = 5, covered A1 A2 S = 3 → 60. DB02: A4 N1 A5 A7 = 4 (A5 sits under the
    # partial committee DB02-BP and still counts for DB02), covered N1 A5 = 2 → 50. DB03 ended in 2024.
    assert committees(result) == [("DB01", 5, 3, "60.00"), ("DB02", 4, 2, "50.00")]
    # Total: 3 + 9 = 12 cells, 2 + 5 = 7 covered: 7/12 = 58.333… → 58.33.
    assert line(result.total) == (12, 7, "58.33")
    # Assigned: the 2025 issued plan names K1 K2 K3 K5 = 4 (K6 is only in the ignored draft).
    # Attended in HU in 2025: K1 (D1 A1 A5), K2 (D3 P), K3 (A2 N1) = 3; K4 attended in HU2 only.
    assert (result.cadres_assigned, result.cadres_attended) == (4, 3)


def test_year_as_json(district):
    data = of(district, Period.year(2025)).as_dict()
    assert list(data) == [
        "root",
        "from",
        "to",
        "basis",
        "direct",
        "subordinate",
        "total",
        "committees",
        "cadres",
    ]
    assert (data["root"], data["from"], data["to"], data["basis"]) == (
        "HU",
        "2025-01-01",
        "2025-12-31",
        "attended",
    )
    assert data["direct"] == {
        "cells": 3,
        "covered": 2,
        "percent": 66.67,
        "groups": [
            {"code": "AP_KP", "name": "Ấp - khu phố", "cells": 0, "covered": 0, "percent": 0.0},
            {
                "code": "XDD_NKV",
                "name": "Xây dựng Đảng - Đoàn thể, ngoài khu vực nhà nước",
                "cells": 1,
                "covered": 0,
                "percent": 0.0,
            },
            {
                "code": "NG_CQ",
                "name": "Ngành, cơ quan, Công an, Quân sự, trường học",
                "cells": 2,
                "covered": 2,
                "percent": 100.0,
            },
        ],
    }
    assert data["subordinate"]["groups"][0] == {
        "code": "AP_KP",
        "name": "Ấp - khu phố",
        "cells": 7,
        "covered": 4,
        "percent": 57.14,
    }
    assert data["total"] == {"cells": 12, "covered": 7, "percent": 58.33}
    assert data["committees"] == [
        {"code": "DB01", "name": "Đảng bộ xã Bà Điểm", "cells": 5, "covered": 3, "percent": 60.0},
        {"code": "DB02", "name": "Đảng bộ xã Tân Hiệp", "cells": 4, "covered": 2, "percent": 50.0},
    ]
    assert data["cadres"] == {"assigned": 4, "attended": 3}


# --- Quarters: the boundary, the merge, the moved meeting ---------------------------------------------
def test_first_quarter_counts_the_last_day_and_the_predecessor_by_itself(district):
    result = of(district, Period.quarter(2025, 1))
    # Valid in Q1: D1 D2 D3; DB01 A1 A2 A3 T1 P (S starts 01/07, so P stands by itself); DB02 A4 N1 A5
    # (A7 starts 01/10). 3 + 5 + 3 = 11 cells.
    # Direct: D1 (10/02) covered; D3's visit is on 01/04, the first day of Q2: 1/3 = 33.33.
    assert line(result.direct) == (3, 1, "33.33")
    # DB01: A1 (15/01), A2 (31/03, the last day of Q1), P (10/03) = 3/5 = 60. DB02: nothing in Q1 (N1's
    # meeting is in Q2/Q3, A5's in November, A4's in 2024) = 0/3.
    assert committees(result) == [("DB01", 5, 3, "60.00"), ("DB02", 3, 0, "0.00")]
    # Subordinate 3/8 = 37.5; total 4/11 = 36.3636… → 36.36.
    assert line(result.subordinate) == (8, 3, "37.50")
    assert line(result.total) == (11, 4, "36.36")
    # Attended in Q1: K1 (D1 A1), K2 (P), K3 (A2) = 3.
    assert result.cadres_attended == 3


def test_second_quarter_starts_with_the_first_day_and_loses_the_moved_meeting(district):
    result = of(district, Period.quarter(2025, 2))
    # Same 11 cells as Q1 (P valid to 30/06, S not yet). Direct: D3 on 01/04 = 1/3.
    assert line(result.direct) == (3, 1, "33.33")
    # A3 only planned (05/05) and missed (05/06); N1's meeting of 28/06 was moved to 02/07: 0/8.
    assert line(result.subordinate) == (8, 0, "0.00")
    # Total 1/11 = 9.0909… → 9.09; only K2 attended.
    assert line(result.total) == (11, 1, "9.09")
    assert result.cadres_attended == 1


def test_third_quarter_counts_the_successor_and_the_moved_meeting(district):
    result = of(district, Period.quarter(2025, 3))
    # Valid: D1 D2 D3; DB01 A1 A2 A3 T1 S (P ended 30/06); DB02 A4 N1 A5 = 11.
    # Covered: N1 only (its meeting moved into Q3, 02/07); S is not covered by P's visit of March.
    # Subordinate 1/8 = 12.5.
    assert line(result.direct) == (3, 0, "0.00")
    assert line(result.subordinate) == (8, 1, "12.50")
    assert committees(result) == [("DB01", 5, 0, "0.00"), ("DB02", 3, 1, "33.33")]
    assert line(result.total) == (11, 1, "9.09")


def test_fourth_quarter_counts_the_new_cell(district):
    result = of(district, Period.quarter(2025, 4))
    # A7 is valid from 01/10: DB02 has A4 N1 A5 A7 = 4. 3 + 5 + 4 = 12 cells; A5 (30/11) covered:
    # 1/12 = 8.333… → 8.33.
    assert committees(result) == [("DB01", 5, 0, "0.00"), ("DB02", 4, 1, "25.00")]
    assert line(result.total) == (12, 1, "8.33")


# --- Months ---------------------------------------------------------------------------------------------
def test_months(district):
    # March: the Q1 cells (11); A2 (31/03) and P (10/03) covered = 2/11 = 18.1818… → 18.18.
    assert line(of(district, Period.month(2025, 3)).total) == (11, 2, "18.18")
    # November: the Q4 cells (12); A5 on 30/11, the month's last day = 1/12 = 8.33.
    assert line(of(district, Period.month(2025, 11)).total) == (12, 1, "8.33")
    # December: nothing = 0/12.
    assert line(of(district, Period.month(2025, 12)).total) == (12, 0, "0.00")


# --- From–to across the years --------------------------------------------------------------------------
def test_from_to_across_years_counts_dissolved_cells_of_the_old_year(district):
    result = of(district, Period(D(2024, 12, 1), D(2025, 1, 31)))
    # Valid: D1 D2 D3; DB01 A1 A2 A3 T1 P (S not yet); DB02 A4 N1 A5; DB03 A6 (valid to 31/12/2024) = 12.
    # Covered: A4 (31/12/2024) and A1 (15/01/2025); A6's visit (01/06/2024) is before the period.
    assert line(result.direct) == (3, 0, "0.00")
    assert line(result.subordinate) == (9, 2, "22.22")  # 2/9 = 22.222…
    # DB03 is valid on December days, so it has its line: 0/1.
    assert committees(result) == [
        ("DB01", 5, 1, "20.00"),
        ("DB02", 3, 1, "33.33"),
        ("DB03", 1, 0, "0.00"),
    ]
    assert line(result.total) == (12, 2, "16.67")  # 2/12 = 16.666…
    assert result.cadres_attended == 1  # K1 (A4 and A1)


def test_from_to_across_years_on_the_assigned_basis_uses_each_years_plan(district):
    result = of(district, Period(D(2024, 12, 1), D(2025, 1, 31)), Basis.ASSIGNED)
    # 2024: the latest draft (K2→A4, K2→D2); 2025: the issued plan (D1 A1 D3 P A2 N1 T1).
    # Direct: D1 D2 D3 all assigned = 3/3. Subordinate: A1 A2 T1 P A4 N1 = 6/9 (A3, A5, A6 are not).
    assert line(result.direct) == (3, 3, "100.00")
    assert line(result.subordinate) == (9, 6, "66.67")
    assert line(result.total) == (12, 9, "75.00")
    # K2 (2024) ∪ K1 K2 K3 K5 (2025) = 4.
    assert result.cadres_assigned == 4


# --- The assigned basis ---------------------------------------------------------------------------------
def test_year_assigned_uses_the_issued_plan_not_a_newer_draft(district):
    result = of(district, Period.year(2025), Basis.ASSIGNED)
    # Issued 2025: D1 A1 D3 P A2 N1 T1 (the newer draft's K6→A3 is ignored).
    # Direct: D1 D3 = 2/3 → 66.67; NG_CQ 2/2, XDD_NKV 0/1.
    assert line(result.direct) == (3, 2, "66.67")
    assert groups(result.direct)[1:] == [("XDD_NKV", 1, 0, "0.00"), ("NG_CQ", 2, 2, "100.00")]
    # DB01: A1 A2 T1 and S (P, merged into it, is assigned) = 4/5 = 80. DB02: N1 = 1/4 = 25.
    assert committees(result) == [("DB01", 5, 4, "80.00"), ("DB02", 4, 1, "25.00")]
    # Subordinate 5/9 = 55.56; AP_KP A1 A2 S = 3/7 = 42.857… → 42.86; XDD_NKV N1 1/1; NG_CQ T1 1/1.
    assert line(result.subordinate) == (9, 5, "55.56")
    assert groups(result.subordinate) == [
        ("AP_KP", 7, 3, "42.86"),
        ("XDD_NKV", 1, 1, "100.00"),
        ("NG_CQ", 1, 1, "100.00"),
    ]
    assert line(result.total) == (12, 7, "58.33")
    assert (result.cadres_assigned, result.cadres_attended) == (4, 3)


def test_year_without_an_issued_plan_uses_the_latest_draft(district):
    assigned = of(district, Period.year(2024), Basis.ASSIGNED)
    # Valid in 2024: D1 D2 D3; DB01 A1 A2 A3 T1 P; DB02 A4 N1 A5; DB03 A6 = 12 cells.
    # Latest draft: D2 and A4 (the older draft's A1 A2 A3 would give 3 subordinate cells).
    assert line(assigned.direct) == (3, 1, "33.33")
    assert line(assigned.subordinate) == (9, 1, "11.11")
    assert line(assigned.total) == (12, 2, "16.67")
    assert assigned.cadres_assigned == 1  # K2
    attended = of(district, Period.year(2024))
    # Attended in 2024: A4 (31/12) and A6 (01/06): 0/3 direct, 2/9 subordinate.
    assert line(attended.direct) == (3, 0, "0.00")
    assert line(attended.subordinate) == (9, 2, "22.22")
    assert attended.cadres_attended == 2  # K1, K3


def test_a_year_without_any_plan_has_nothing_assigned(district):
    result = of(district, Period.year(2023), Basis.ASSIGNED)
    # In 2023 S and A7 are not valid yet; P stands alone: D1 D2 D3 + DB01 5 + DB02 3 + DB03 1 = 12.
    assert line(result.total) == (12, 0, "0.00")
    assert result.cadres_assigned == 0


# --- The other root and the list behind a figure -------------------------------------------------------
def test_the_other_root_counts_only_its_own(district):
    result = coverage(root=district.other_root, period=Period.year(2025))
    # HU2 has O1, directly under it, attended 01/03/2025 by K4; K4 is assigned in HU2's issued plan.
    assert line(result.direct) == (1, 1, "100.00")
    assert line(result.subordinate) == (0, 0, "0.00")
    assert result.committees == []
    assert (result.cadres_assigned, result.cadres_attended) == (1, 1)


def test_a_committee_as_root(district):
    result = coverage(root=district.committees["DB02"], period=Period.year(2025))
    # Under DB02: A4 N1 A7 direct (3), A5 under DB02-BP (1). Covered N1 (direct), A5 (subordinate).
    assert line(result.direct) == (3, 1, "33.33")
    assert line(result.subordinate) == (1, 1, "100.00")
    assert committees(result) == [("DB02-BP", 1, 1, "100.00")]
    # Attended under DB02: K3 (N1), K1 (A5). DB02 issues no plan, so HU's issued 2025 plan counts:
    # of its cells only N1 (K3) lies under DB02.
    assert (result.cadres_assigned, result.cadres_attended) == (1, 2)
    assigned = coverage(root=district.committees["DB02"], period=Period.year(2025), basis=Basis.ASSIGNED)
    # Assigned under DB02: N1 (direct under DB02) = 1/3; A5 under DB02-BP is not assigned = 0/1.
    assert line(assigned.direct) == (3, 1, "33.33")
    assert line(assigned.subordinate) == (1, 0, "0.00")


def codes(queryset) -> list[str]:
    """The codes, sorted: path order depends on the keys the database handed out."""
    return sorted(cell.code for cell in queryset)


def test_cells_behind_each_figure(district):
    period = Period.year(2025)
    behind = {
        "root": district.root,
        "period": period,
    }
    assert codes(cells_by_coverage(**behind, direct=True, covered=True)) == ["D1", "D3"]
    assert codes(cells_by_coverage(**behind, direct=True, covered=False)) == ["D2"]
    db01 = district.committees["DB01"].pk
    assert codes(cells_by_coverage(**behind, committee=db01, covered=False)) == ["A3", "T1"]
    assert codes(cells_by_coverage(**behind, committee=db01, covered=True)) == ["A1", "A2", "S"]
    ap_kp = district.cells["A1"].cell_type.group_id
    assert codes(cells_by_coverage(**behind, direct=False, group=ap_kp, covered=True)) == [
        "A1",
        "A2",
        "A5",
        "S",
    ]
    every = cells_by_coverage(**behind)
    assert len(codes(every)) == 12
    assert {cell.code: cell.is_covered for cell in every}["S"] is True
    assigned = cells_by_coverage(**behind, basis=Basis.ASSIGNED, committee=db01, covered=False)
    assert codes(assigned) == ["A3"]


def test_every_figure_matches_the_list_behind_it(district):
    """The table and its lists come from the same definitions: each count equals its list's length."""
    for basis in Basis.VALUES:
        for period in (Period.year(2025), Period.quarter(2025, 1), Period(D(2024, 12, 1), D(2025, 1, 31))):
            result = of(district, period, basis)
            behind = {"root": district.root, "period": period, "basis": basis}
            assert cells_by_coverage(**behind).count() == result.total.cells
            assert cells_by_coverage(**behind, covered=True).count() == result.total.covered
            for direct, tier in ((True, result.direct), (False, result.subordinate)):
                assert cells_by_coverage(**behind, direct=direct, covered=True).count() == tier.covered
                for group in tier.groups:
                    rows = cells_by_coverage(**behind, direct=direct, group=group.key)
                    assert (rows.count(), rows.filter(is_covered=True).count()) == (
                        group.cells,
                        group.covered,
                    )
            for row in result.committees:
                rows = cells_by_coverage(**behind, committee=row.key)
                assert (rows.count(), rows.filter(is_covered=True).count()) == (row.cells, row.covered)


def test_percent_is_a_decimal_rounded_half_up(district):
    assert of(district, Period.year(2025)).direct.percent == Decimal("66.67")
