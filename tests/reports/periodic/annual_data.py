"""Two hand-built years of root HU (tests/conftest.py ``tree``) for the annual summary and commendation
tests. "Today" is 15/01/2027: both years are over, every month of 2026 counts.

Cells of HU (valid in both years):
    direct       HU-CQ  (AP, from the tree)
    subordinate  XA-AP1, XA-TH, XB-AP1  (AP: group "Ấp - khu phố", from the tree)
                 XA-NG  (NG: group "Ngành, cơ quan, …")
                 XB-XDD (XDD: group "Xây dựng Đảng - Đoàn thể, …")
    → 1 direct + 5 subordinate = 6 cells; HU2-AP belongs to the other root and never counts.

2025 (plan: K1, K2 → 2 cadres assigned)
    K1 attended XA-AP1 (10/03) and XA-TH (12/05); K2 attended HU-CQ (15/04)
    → covered: direct 1/1 = 100%; subordinate 2/5 = 40% (AP 2/3 = 66,67%, XDD 0/1, NG 0/1);
      total 3/6 = 50%; cadres attended 2

2026 (plan: K1, K2, K3, K4, K5 → 5 cadres assigned: "5, tăng 3")
    K1  XA-AP1 on the 10th of every month, each note submitted the next day      → 12/12, notes 12/12
    K3  XA-NG on the 12th of every month but June (exempt: illness), notes same day → 11/11, notes 11/11
    K4  XB-XDD on the 14th of every month; March's note handed in 5 days later (late; due within 3),
        December's meeting thematic                                              → 12/12, notes 11/12
    K2  HU-CQ 20/02 and XB-AP1 20/10, no notes                                    → 2/12, notes 0/2
    K5  nothing                                                                   → 0/12
    → covered: direct 1/1 = 100% (unchanged); subordinate 4/5 = 80% (up 40 points):
      AP 2/3 = 66,67% (XA-AP1, XB-AP1: unchanged), XDD 1/1 = 100% (up 100), NG 1/1 = 100% (up 100);
      total 5/6 = 83,33% (up 33,33 points); cells covered "5, tăng 2"; cadres attended 4 ("4, tăng 2")
    → visits attended 12 + 11 + 12 + 2 = 37, meetings 36 regular + 1 thematic; notes 35 (all submitted)
    → commendation by the criteria: K1 and K3 (K3's exempt June does not count against him);
      not K4 (one late note), K2, K5 (months missed)
    Escalations: K1's November note raised one still OPEN (carried), its October note one RESOLVED.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from assignments.models import AttendanceNote, Cadre, CadreExemption, Escalation, Visit
from cells.models import Organization
from tests.assignments.visits.factories import issued_plan
from tests.factories import CadreFactory, CellFactory, MeetingFactory, cell_type

D = datetime.date
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = D(2027, 1, 15)
YEAR, LAST_YEAR = 2026, 2025


def at(day: datetime.date, hour: int = 20) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL)


def attend(cadre: Cadre, cell: Organization, day: datetime.date, **meeting) -> Visit:
    return Visit.objects.create(
        cadre=cadre,
        cell=cell,
        meeting=MeetingFactory(cell=cell, date=day, **meeting),
        status=Visit.Status.ATTENDED,
    )


def note(visit: Visit, submitted_on: datetime.date, **fields) -> AttendanceNote:
    return AttendanceNote.objects.create(
        visit=visit,
        author=visit.cadre,
        status=AttendanceNote.Status.SUBMITTED,
        meeting_date=visit.meeting_date,
        meeting_kind=visit.meeting.kind,
        summary="Chi bộ quán triệt nghị quyết",
        submitted_at=at(submitted_on),
        **fields,
    )


@dataclass
class Years:
    root: Organization
    ng: Organization
    xdd: Organization
    k1: Cadre
    k2: Cadre
    k3: Cadre
    k4: Cadre
    k5: Cadre
    open_escalation: Escalation


def build_years(tree) -> Years:
    ng = CellFactory(code="XA-NG", name="Chi bộ ngành", parent=tree.committee, cell_type=cell_type("NG"))
    xdd = CellFactory(
        code="XB-XDD", name="Chi bộ Đoàn thể", parent=tree.sibling_committee, cell_type=cell_type("XDD")
    )
    k1, k2, k3, k4, k5 = (
        CadreFactory(code=code, full_name=name, organization=tree.root)
        for code, name in (
            ("K1", "An Văn Một"),
            ("K2", "Bùi Thị Hai"),
            ("K3", "Cao Văn Ba"),
            ("K4", "Dương Thị Bốn"),
            ("K5", "Hồ Văn Năm"),
        )
    )
    issued_plan(tree.root, LAST_YEAR, [(k1, tree.cell), (k2, tree.direct_cell)])
    issued_plan(
        tree.root,
        YEAR,
        [
            (k1, tree.cell),
            (k2, tree.direct_cell),
            (k2, tree.sibling_cell),
            (k3, ng),
            (k4, xdd),
            (k5, tree.cell2),
        ],
    )
    attend(k1, tree.cell, D(LAST_YEAR, 3, 10))
    attend(k1, tree.cell2, D(LAST_YEAR, 5, 12))
    attend(k2, tree.direct_cell, D(LAST_YEAR, 4, 15))
    escalation = _year(tree, k1, k2, k3, k4, ng, xdd)
    return Years(tree.root, ng, xdd, k1, k2, k3, k4, k5, escalation)


def _year(tree, k1, k2, k3, k4, ng, xdd) -> Escalation:
    notes_k1 = {}
    for month in range(1, 13):
        day = D(YEAR, month, 10)
        notes_k1[month] = note(attend(k1, tree.cell, day), day + datetime.timedelta(days=1))
        if month != 6:
            day = D(YEAR, month, 12)
            note(attend(k3, ng, day), day)
        day = D(YEAR, month, 14)
        meeting = {"kind": "thematic", "topic": "Chuyển đổi số"} if month == 12 else {}
        note(attend(k4, xdd, day, **meeting), day + datetime.timedelta(days=5 if month == 3 else 2))
    CadreExemption.objects.create(cadre=k3, year=YEAR, month=6, reason="illness", detail="Nằm viện")
    attend(k2, tree.direct_cell, D(YEAR, 2, 20))
    attend(k2, tree.sibling_cell, D(YEAR, 10, 20))
    Escalation.objects.create(
        note=notes_k1[10],
        cell=tree.cell,
        source=Escalation.Source.PETITIONS,
        text="Sửa đường vào ấp",
        status=Escalation.Status.RESOLVED,
    )
    carried = Escalation.objects.create(
        note=notes_k1[11],
        cell=tree.cell,
        source=Escalation.Source.DIFFICULTIES,
        text="Thiếu kinh phí hội trường",
    )
    Escalation.objects.update(created_at=at(D(YEAR, 11, 12)))  # raised when the notes came in
    carried.refresh_from_db()
    return carried
