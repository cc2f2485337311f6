"""A hand-built quarter for the report tests: the fourth quarter of 2025 in the `tree` fixture's HU.

Cells (type → group):
    direct:      HU-CQ (AP → AP_KP), HU-TH (TH → NG_CQ)
    XA:          XA-AP1 (AP), XA-TH (AP), XA-CQ (CQ → NG_CQ)
    XB:          XB-AP1 (AP)
Plan 2025 (issued): A → XA-AP1, HU-CQ; B → XB-AP1, XA-CQ; C → XA-TH.

Visits and notes (meeting kind R regular, T thematic):
    A  XA-AP1  05/10  R  attended  note ACCEPTED  good   practices "…an ninh trật tự", petitions "…đường vào ấp"
    A  HU-CQ   10/11  R  attended  note SUBMITTED fair   shortcomings "…đến muộn", practices "…phân công rõ ràng"
    B  XB-AP1  01/12  T  attended  note RETURNED  weak   difficulties (left out: returned)
    B  HU-TH   20/11  T  attended  note DRAFT            difficulties (left out: draft)
    B  XA-CQ   20/10  R  missed
    C  XA-TH   20/12  R  planned
    A  XA-TH   15/11  R  cancelled
    A  XA-TH   30/09  R  attended  note ACCEPTED  practices (left out: third quarter)
    outsider's HU2-AP 10/10 attended, note ACCEPTED (left out: another root)
    a cancelled meeting of XB-AP1 on 10/10 (not held)

Worked out for the quarter:
    attended: direct 2/2 = 100%, subordinate 2/4 = 50% (AP_KP 2/3 = 66,67%, NG_CQ 0/1 = 0%),
              total 4/6 = 66,67%; XA 1/3 = 33,33%, XB 1/1 = 100%
    assigned: direct 1/2 = 50%, subordinate 4/4 = 100%, total 5/6 = 83,33%; XA 3/3, XB 1/1
    cadres: assigned 3, attended 2 (A, B)
    visits: planned 6, attended 4, missed 1, pending 1
    meetings held: regular 5, thematic 2, total 7
    ratings: good 1, fair 1 (2 notes)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from assignments.models import Assignment, AssignmentPlan, AttendanceNote, Cadre, Visit
from cells.models import Meeting, Organization
from tests.factories import CadreFactory, CellFactory, MeetingFactory, cell_type

YEAR, QUARTER = 2025, 4


@dataclass
class Quarter:
    cells: dict[str, Organization]
    cadres: dict[str, Cadre]
    notes: dict[str, AttendanceNote]


def day(month: int, dd: int, year: int = YEAR) -> datetime.date:
    return datetime.date(year, month, dd)


def visit(cadre: Cadre, cell: Organization, when: datetime.date, status: str, kind: str = "regular") -> Visit:
    topic = "Chuyên đề học tập và làm theo tư tưởng Hồ Chí Minh" if kind == Meeting.Kind.THEMATIC else ""
    meeting = MeetingFactory(cell=cell, date=when, kind=kind, topic=topic)
    return Visit.objects.create(cadre=cadre, cell=cell, meeting=meeting, status=status)


def note(visit: Visit, status: str, **texts) -> AttendanceNote:
    return AttendanceNote.objects.create(
        visit=visit,
        author=visit.cadre,
        status=status,
        meeting_date=visit.meeting.date,
        meeting_kind=visit.meeting.kind,
        summary="Chi bộ sinh hoạt đúng nội dung.",
        **texts,
    )


def build_quarter(tree) -> Quarter:
    cells = {
        "HU-CQ": tree.direct_cell,
        "HU-TH": CellFactory(code="HU-TH", name="Chi bộ Trường THPT", parent=tree.root, cell_type=cell_type("TH")),
        "XA-AP1": tree.cell,
        "XA-TH": tree.cell2,
        "XA-CQ": CellFactory(code="XA-CQ", name="Chi bộ cơ quan xã", parent=tree.committee, cell_type=cell_type("CQ")),
        "XB-AP1": tree.sibling_cell,
    }  # fmt: skip
    cadres = {
        name: CadreFactory(code=f"CB-{name}", full_name=f"Cán bộ {name}", organization=tree.root)
        for name in "ABC"
    }
    _plan(tree.root, cells, cadres)
    notes = _visits_and_notes(tree, cells, cadres)
    return Quarter(cells=cells, cadres=cadres, notes=notes)


def _plan(root, cells, cadres) -> None:
    plan = AssignmentPlan.objects.create(
        root=root,
        year=YEAR,
        status=AssignmentPlan.Status.ISSUED,
        number=3,
        issuer_abbreviation="HU",
        issued_on=day(1, 6),
    )
    pairs = [("A", "XA-AP1"), ("A", "HU-CQ"), ("B", "XB-AP1"), ("B", "XA-CQ"), ("C", "XA-TH")]
    Assignment.objects.bulk_create(
        Assignment(plan=plan, cadre=cadres[c], cell=cells[cell]) for c, cell in pairs
    )


def _visits_and_notes(tree, cells, cadres) -> dict[str, AttendanceNote]:
    a, b, c = cadres["A"], cadres["B"], cadres["C"]
    attended, status = Visit.Status.ATTENDED, AttendanceNote.Status
    notes = {
        "xa": note(
            visit(a, cells["XA-AP1"], day(10, 5), attended),
            status.ACCEPTED,
            overall_rating="good",
            good_practices="Chi bộ lồng ghép chuyên đề an ninh trật tự",
            petitions="Đề nghị sửa đường vào ấp",
        ),
        "direct": note(
            visit(a, cells["HU-CQ"], day(11, 10), attended),
            status.SUBMITTED,
            overall_rating="fair",
            shortcomings="Một số đảng viên đến muộn",
            good_practices="Phân công rõ ràng\nnhiệm vụ từng đảng viên",
        ),
        "returned": note(
            visit(b, cells["XB-AP1"], day(12, 1), attended, kind="thematic"),
            status.RETURNED,
            overall_rating="weak",
            difficulties="Thiếu kinh phí",
        ),
        "draft": note(
            visit(b, cells["HU-TH"], day(11, 20), attended, kind="thematic"),
            status.DRAFT,
            difficulties="Hội trường xuống cấp",
        ),
        "third_quarter": note(
            visit(a, cells["XA-TH"], day(9, 30), attended),
            status.ACCEPTED,
            overall_rating="good",
            good_practices="Ngoài quý",
        ),
    }
    visit(b, cells["XA-CQ"], day(10, 20), Visit.Status.MISSED)
    visit(c, cells["XA-TH"], day(12, 20), Visit.Status.PLANNED)
    visit(a, cells["XA-TH"], day(11, 15), Visit.Status.CANCELLED)
    MeetingFactory(cell=cells["XB-AP1"], date=day(10, 10), status=Meeting.Status.CANCELLED)
    outsider = CadreFactory(code="CB-OUT", organization=tree.other_root)
    notes["other_root"] = note(
        visit(outsider, tree.other_cell, day(10, 10), attended),
        status.ACCEPTED,
        overall_rating="good",
        good_practices="Của huyện khác",
    )
    return notes


def more_cells(tree, count: int) -> None:
    """Grow the subtree (for query counts at two sizes): ``count`` cells under XA, each with an
    attended visit and an accepted note in the quarter."""
    cadre = CadreFactory(code=f"CB-MORE-{count}", organization=tree.root)
    for n in range(count):
        cell = CellFactory(parent=tree.committee, cell_type=cell_type("KP"))
        note(
            visit(cadre, cell, day(11, 1 + n % 28), Visit.Status.ATTENDED),
            AttendanceNote.Status.ACCEPTED,
            overall_rating="average",
            petitions=f"Kiến nghị {n}",
        )
