"""A hand-built district for the coverage tests: every cell, visit and assignment is listed here so the
tests can work each figure out by hand.

Root HU (groups in order AP_KP, XDD_NKV, NG_CQ):

    direct cells      D1 (CQ, NG_CQ)   attended 10/02/2025 by K1
                      D2 (XDD)         missed 12/02/2025 (K2), cancelled 12/03/2025 (K3)
                      D3 (CQ, NG_CQ)   attended 01/04/2025 by K2 (first day of Q2)
    DB01 committee    A1 (AP)          attended 15/01/2025 by K1
                      A2 (AP)          attended 31/03/2025 by K3 (last day of Q1)
                      A3 (KP)          planned 05/05/2025 (K1), missed 05/06/2025 (K2)
                      T1 (TH, NG_CQ)   nothing
                      P  (AP)          valid to 30/06/2025, merged into S; attended 10/03/2025 by K2
                      S  (AP)          valid from 01/07/2025; no visit of its own
    DB02 committee    A4 (AP)          attended 31/12/2024 by K1
                      N1 (NKV)         attended; its meeting of 28/06/2025 moved to 02/07/2025 (K3)
                      DB02-BP partial committee → A5 (AP, depth 3)  attended 30/11/2025 by K1
                      A7 (AP)          valid from 01/10/2025; nothing
    DB03 committee    valid to 31/12/2024 → A6 (AP, valid to 31/12/2024)  attended 01/06/2024 by K3
Root HU2 (another district): O1 (AP) attended 01/03/2025 by K4 (HU2's cadre); HU2 issued a 2025 plan.

Cadres of HU: K1, K2, K3, K5 (assigned, never attends), K6 (only in an ignored 2025 draft).
Plans of HU: 2025 issued (K1→D1, K1→A1, K2→D3, K2→P, K3→A2, K3→N1, K5→T1) and a later 2025 draft
(K6→A3, ignored: the issued plan wins); 2024 two drafts, the older (K1→A1, A2, A3) ignored, the latest
(K2→A4, K2→D2) counted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from assignments.models import AssignmentPlan, Cadre, Visit
from cells.meetings.services import meeting_move
from cells.models import Meeting, Organization
from tests.assignments.visits.factories import issued_plan
from tests.factories import CadreFactory, CellFactory, MeetingFactory, OrganizationFactory, cell_type

D = datetime.date
ATTENDED, PLANNED, MISSED, CANCELLED = (
    Visit.Status.ATTENDED,
    Visit.Status.PLANNED,
    Visit.Status.MISSED,
    Visit.Status.CANCELLED,
)


@dataclass
class District:
    root: Organization
    other_root: Organization
    cells: dict[str, Organization]
    committees: dict[str, Organization]
    cadres: dict[str, Cadre]


def cell(code: str, parent: Organization, type_code: str = "AP", **fields) -> Organization:
    return CellFactory(
        code=code, name=f"Chi bộ {code}", parent=parent, cell_type=cell_type(type_code), **fields
    )


def visit(cadre: Cadre, at: Organization, day: datetime.date, status: str = ATTENDED) -> Visit:
    meeting = MeetingFactory(cell=at, date=day)
    return Visit.objects.create(cadre=cadre, cell=at, meeting=meeting, status=status)


def build_district() -> District:
    root = OrganizationFactory(code="HU", name="Huyện ủy Hóc Môn")
    other_root = OrganizationFactory(code="HU2", name="Huyện ủy Củ Chi")
    db01 = OrganizationFactory(code="DB01", name="Đảng bộ xã Bà Điểm", parent=root)
    db02 = OrganizationFactory(code="DB02", name="Đảng bộ xã Tân Hiệp", parent=root)
    partial = OrganizationFactory(code="DB02-BP", name="Đảng bộ bộ phận", parent=db02)
    db03 = OrganizationFactory(code="DB03", name="Đảng bộ đã giải thể", parent=root, valid_to=D(2024, 12, 31))
    successor = cell("S", db01, valid_from=D(2025, 7, 1))
    cells = {
        "D1": cell("D1", root, "CQ"),
        "D2": cell("D2", root, "XDD"),
        "D3": cell("D3", root, "CQ"),
        "A1": cell("A1", db01),
        "A2": cell("A2", db01),
        "A3": cell("A3", db01, "KP"),
        "T1": cell("T1", db01, "TH"),
        "P": cell("P", db01, valid_to=D(2025, 6, 30), successor=successor),
        "S": successor,
        "A4": cell("A4", db02),
        "N1": cell("N1", db02, "NKV"),
        "A5": cell("A5", partial),
        "A7": cell("A7", db02, valid_from=D(2025, 10, 1)),
        "A6": cell("A6", db03, valid_to=D(2024, 12, 31)),
        "O1": cell("O1", other_root),
    }
    cadres = {code: CadreFactory(code=code, organization=root) for code in ("K1", "K2", "K3", "K5", "K6")}
    cadres["K4"] = CadreFactory(code="K4", organization=other_root)
    _visits(cells, cadres)
    _plans(root, other_root, cells, cadres)
    return District(root, other_root, cells, {"DB01": db01, "DB02": db02, "DB03": db03}, cadres)


def _visits(c: dict[str, Organization], k: dict[str, Cadre]) -> None:
    visit(k["K1"], c["D1"], D(2025, 2, 10))
    visit(k["K2"], c["D2"], D(2025, 2, 12), MISSED)
    visit(k["K3"], c["D2"], D(2025, 3, 12), CANCELLED)
    visit(k["K2"], c["D3"], D(2025, 4, 1))
    visit(k["K1"], c["A1"], D(2025, 1, 15))
    visit(k["K3"], c["A2"], D(2025, 3, 31))
    visit(k["K1"], c["A3"], D(2025, 5, 5), PLANNED)
    visit(k["K2"], c["A3"], D(2025, 6, 5), MISSED)
    visit(k["K2"], c["P"], D(2025, 3, 10))
    visit(k["K1"], c["A4"], D(2024, 12, 31))
    moved = visit(k["K3"], c["N1"], D(2025, 6, 28))
    meeting = Meeting.objects.get(pk=moved.meeting_id)
    meeting_move(meeting=meeting, day=D(2025, 7, 2), start_time=meeting.start_time, place=meeting.place)
    visit(k["K1"], c["A5"], D(2025, 11, 30))
    visit(k["K3"], c["A6"], D(2024, 6, 1))
    visit(k["K4"], c["O1"], D(2025, 3, 1))


def _plans(root, other_root, c: dict[str, Organization], k: dict[str, Cadre]) -> None:
    draft = AssignmentPlan.Status.DRAFT
    issued_plan(
        root,
        2025,
        [
            (k["K1"], c["D1"]),
            (k["K1"], c["A1"]),
            (k["K2"], c["D3"]),
            (k["K2"], c["P"]),
            (k["K3"], c["A2"]),
            (k["K3"], c["N1"]),
            (k["K5"], c["T1"]),
        ],
    )
    issued_plan(root, 2025, [(k["K6"], c["A3"])], status=draft)  # newer, but a draft: ignored
    issued_plan(root, 2024, [(k["K1"], c["A1"]), (k["K1"], c["A2"]), (k["K1"], c["A3"])], status=draft)
    issued_plan(root, 2024, [(k["K2"], c["A4"]), (k["K2"], c["D2"])], status=draft)  # the latest draft
    issued_plan(other_root, 2025, [(k["K4"], c["O1"])])
