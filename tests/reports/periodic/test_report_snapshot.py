"""The quarterly report's snapshot on a hand-built quarter (tests/reports/periodic/report_data.py): every number
worked out by hand, the compiled items grouped by committee, and a fixed number of queries."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import Report
from reports.periodic.building import BUILDERS, build_snapshot, register_builder
from reports.periodic.quarterly import meeting_counts, quarterly_snapshot
from tests.reports.periodic.report_data import QUARTER, YEAR, build_quarter, day, more_cells

pytestmark = pytest.mark.django_db


def quarterly(root) -> Report:
    return Report(root=root, kind=Report.Kind.QUARTERLY, year=YEAR, quarter=QUARTER, issuer_abbreviation="HU")


@pytest.fixture
def quarter(tree):
    return build_quarter(tree)


@pytest.fixture
def snapshot(tree, quarter) -> dict:
    return build_snapshot(quarterly(tree.root))


def figures(row: dict) -> tuple:
    return row["cells"], row["covered"], row["percent"]


def test_the_envelope_names_the_root_and_the_quarter(snapshot):
    assert snapshot["schema"] == 1 and snapshot["kind"] == "quarterly"
    assert snapshot["root"] == {"code": "HU", "name": "Huyện ủy Hóc Môn"}
    assert snapshot["period"] == {"from": "2025-10-01", "to": "2025-12-31", "year": 2025, "quarter": 4}


def test_coverage_attended_in_the_quarter(snapshot):
    attended = snapshot["coverage"]["attended"]
    assert figures(attended["direct"]) == (2, 2, 100.0)
    assert figures(attended["subordinate"]) == (4, 2, 50.0)
    groups = {group["code"]: figures(group) for group in attended["subordinate"]["groups"]}
    assert groups == {"AP_KP": (3, 2, 66.67), "XDD_NKV": (0, 0, 0.0), "NG_CQ": (1, 0, 0.0)}
    assert figures(attended["total"]) == (6, 4, 66.67)
    assert [(c["code"], figures(c)) for c in attended["committees"]] == [
        ("XA", (3, 1, 33.33)),
        ("XB", (1, 1, 100.0)),
    ]


def test_coverage_assigned_by_the_years_plan(snapshot):
    assigned = snapshot["coverage"]["assigned"]
    assert figures(assigned["direct"]) == (2, 1, 50.0)
    assert figures(assigned["subordinate"]) == (4, 4, 100.0)
    assert figures(assigned["total"]) == (6, 5, 83.33)
    assert [(c["code"], c["covered"]) for c in assigned["committees"]] == [("XA", 3), ("XB", 1)]


def test_cadres_visits_meetings_and_ratings(snapshot):
    assert snapshot["cadres"] == {"assigned": 3, "attended": 2}
    # Cancelled visits are left out; the planned one not recorded yet is pending.
    assert snapshot["visits"] == {"planned": 6, "attended": 4, "missed": 1, "pending": 1}
    # The cancelled meeting, the third quarter's and the other root's are not counted.
    assert snapshot["meetings"] == {"regular": 5, "thematic": 2, "total": 7}
    # Submitted and accepted notes of the quarter only: not the returned, the draft or the other root's.
    assert snapshot["ratings"] == {"good": 1, "fair": 1, "average": 0, "weak": 0, "unrated": 0, "notes": 2}


def test_meetings_after_the_build_day_are_not_held_yet(tree, quarter):
    assert meeting_counts(tree.root, quarterly(tree.root).period, today=day(11, 15)) == {
        "regular": 4,  # 05/10, 20/10, 10/11 and 15/11
        "thematic": 0,
        "total": 4,
    }
    assert meeting_counts(tree.root, quarterly(tree.root).period, today=day(9, 1))["total"] == 0


def test_items_are_grouped_by_committee_with_the_direct_cells_first(snapshot, quarter):
    sections = {section["key"]: section["groups"] for section in snapshot["sections"]}
    assert list(sections) == ["good_practices", "shortcomings", "petitions", "difficulties"]
    direct, xa = quarter.notes["direct"], quarter.notes["xa"]
    assert sections["good_practices"] == [
        {
            "code": "",
            "name": "",
            "direct": True,
            "items": [
                {
                    "note": direct.pk,
                    "url": reverse("assignments:note_detail", args=[direct.pk]),
                    "cell": "HU-CQ",
                    "cell_name": "Chi bộ cơ quan",
                    "date": "2025-11-10",
                    "text": "Phân công rõ ràng\nnhiệm vụ từng đảng viên",
                    "status": "submitted",
                }
            ],
        },
        {
            "code": "XA",
            "name": "Đảng bộ xã Xuân Thới Sơn",
            "direct": False,
            "items": [
                {
                    "note": xa.pk,
                    "url": reverse("assignments:note_detail", args=[xa.pk]),
                    "cell": "XA-AP1",
                    "cell_name": "Chi bộ ấp 1",
                    "date": "2025-10-05",
                    "text": "Chi bộ lồng ghép chuyên đề an ninh trật tự",
                    "status": "accepted",
                }
            ],
        },
    ]
    assert [item["text"] for group in sections["shortcomings"] for item in group["items"]] == [
        "Một số đảng viên đến muộn"
    ]
    assert [(group["code"], [i["text"] for i in group["items"]]) for group in sections["petitions"]] == [
        ("XA", ["Đề nghị sửa đường vào ấp"])
    ]
    # The only difficulties are in a returned note and a draft: nothing is compiled.
    assert sections["difficulties"] == []


def test_the_snapshot_is_plain_json(snapshot):
    assert json.loads(json.dumps(snapshot)) == snapshot


def test_progress_rises_to_100(tree, quarter):
    seen: list[int] = []
    build_snapshot(quarterly(tree.root), seen.append)
    assert seen == sorted(seen) and seen[0] == 0 and seen[-1] == 100
    assert len(set(seen)) >= 5  # the envelope and each of the quarter's four parts


def count_queries(report: Report) -> int:
    with CaptureQueriesContext(connection) as captured:
        build_snapshot(report)
    return len(captured)


def test_the_build_takes_a_fixed_number_of_queries(tree, quarter):
    report = quarterly(tree.root)
    small = count_queries(report)
    more_cells(tree, 25)
    assert count_queries(report) == small
    assert small <= 16


def test_a_kind_registers_its_builder(tree, quarter):
    """The plug-in interface the annual summary uses: its module registers a builder for its kind."""
    saved = BUILDERS.get(Report.Kind.ANNUAL)
    register_builder(Report.Kind.ANNUAL, lambda report, progress: {"year_only": report.year})
    try:
        report = Report(root=tree.root, kind=Report.Kind.ANNUAL, year=YEAR, issuer_abbreviation="HU")
        snapshot = build_snapshot(report)
    finally:
        if saved is None:
            BUILDERS.pop(Report.Kind.ANNUAL)
        else:
            BUILDERS[Report.Kind.ANNUAL] = saved
    assert snapshot["year_only"] == 2025
    assert snapshot["period"] == {"from": "2025-01-01", "to": "2025-12-31", "year": 2025, "quarter": None}
    assert snapshot["coverage"]["attended"]["total"]["covered"] == 5  # XA-TH's third-quarter visit too


def test_the_quarterly_builder_is_registered():
    assert BUILDERS[Report.Kind.QUARTERLY] is quarterly_snapshot
