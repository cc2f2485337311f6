"""A hand-built year of root HU (tests/conftest.py ``tree``) for the compliance tests; "today" is
15/05/2026, so January to April are over, May is the current month and June to December are ahead.

Cells: A (AP) and T (TH) under committee XA; O (AP) under the other root HU2. Plan 2026 of HU (issued):
K1 → A, T; K2 → A; K3 → A. K4 attends too but is in no plan.

    K1  Jan  attended A 10/01 (note first submitted 13/01 23:30 local: on time, exactly 3 days; its
             petitions escalated); a returned-and-resubmitted note keeps that first submission
        Feb  exempt (illness), nothing attended
        Mar  attended O of HU2 (another root: does not count), a planned visit to A: missed
        Apr  attended A and T on 30/04: two visits; A's note submitted 04/05 (4 days: late), T's
             never (past its deadline 03/05: late)
        May  attended A 14/05: the note is not due before 17/05 (waiting, counted neither way)
        → months [att, exempt, missed, att(2), att, pending × 7]; compliant 3/4; cells 2, types 2;
          notes on time 1/3; 1 escalation; score 37.50 + 20 + 6.67 + 10 = 74.17 (Well completed)
    K2  nothing attended; March exempt (leave)
        → months [missed, missed, exempt, missed, pending × 8]; compliant 0/3; score 0 + 0 + 20 + 0 = 20
    K3  attended A on the 5th of January to April, each note submitted the same day, April's with
        proposals → compliant 4/4; types 1; notes 4/4; score 50 + 10 + 20 + 10 = 90 (Excellently)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from assignments.models import AttendanceNote, Cadre, CadreExemption, Escalation, NoteRound, Visit
from cells.models import Organization
from tests.assignments.visits.factories import issued_plan
from tests.factories import CadreFactory, CellFactory, MeetingFactory, cell_type

D = datetime.date
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = D(2026, 5, 15)
# freezegun takes UTC: 03:00 UTC is 10:00 in Hồ Chí Minh City on TODAY.
NOW = "2026-05-15 03:00:00"
YEAR = 2026


def at(day: datetime.date, hour: int = 20, minute: int = 0) -> datetime.datetime:
    """A local time in Hồ Chí Minh City."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL)


def attend(
    cadre: Cadre, cell: Organization, day: datetime.date, status: str = Visit.Status.ATTENDED
) -> Visit:
    meeting = MeetingFactory(cell=cell, date=day)
    return Visit.objects.create(cadre=cadre, cell=cell, meeting=meeting, status=status)


def note(visit: Visit, submitted_at: datetime.datetime | None, **fields) -> AttendanceNote:
    status = AttendanceNote.Status.SUBMITTED if submitted_at else AttendanceNote.Status.DRAFT
    return AttendanceNote.objects.create(
        visit=visit,
        author=visit.cadre,
        status=status,
        meeting_date=visit.meeting_date,
        meeting_kind="regular",
        summary="Chi bộ quán triệt nghị quyết",
        submitted_at=submitted_at,
        **fields,
    )


def exempt(cadre: Cadre, month: int, reason: str = CadreExemption.Reason.ILLNESS) -> CadreExemption:
    return CadreExemption.objects.create(
        cadre=cadre, year=YEAR, month=month, reason=reason, detail="Nằm viện"
    )


@dataclass
class Year:
    root: Organization
    a: Organization
    t: Organization
    o: Organization
    k1: Cadre
    k2: Cadre
    k3: Cadre
    k4: Cadre


def build_year(tree) -> Year:
    a = CellFactory(code="A", name="Chi bộ ấp A", parent=tree.committee, cell_type=cell_type("AP"))
    t = CellFactory(code="T", name="Chi bộ trường T", parent=tree.committee, cell_type=cell_type("TH"))
    o = CellFactory(code="O", name="Chi bộ ấp Củ Chi", parent=tree.other_root, cell_type=cell_type("AP"))
    k1, k2, k3, k4 = (
        CadreFactory(code=code, full_name=name, organization=tree.root)
        for code, name in (
            ("K1", "An Văn Một"),
            ("K2", "Bùi Thị Hai"),
            ("K3", "Cao Văn Ba"),
            ("K4", "Đỗ Bốn"),
        )
    )
    issued_plan(tree.root, YEAR, [(k1, a), (k1, t), (k2, a), (k3, a)])
    _k1(k1, a, t, o)
    exempt(k2, 3, CadreExemption.Reason.LEAVE)
    for month in (1, 2, 3, 4):
        visit = attend(k3, a, D(YEAR, month, 5))
        note(visit, at(D(YEAR, month, 5)), proposals="Tăng cường sinh hoạt chuyên đề" if month == 4 else "")
    attend(k4, a, D(YEAR, 1, 20))
    return Year(tree.root, a, t, o, k1, k2, k3, k4)


def _k1(k1: Cadre, a: Organization, t: Organization, o: Organization) -> None:
    january = note(attend(k1, a, D(YEAR, 1, 10)), at(D(YEAR, 1, 13), 23, 30), petitions="Sửa đường")
    # Returned, then resubmitted late: the first submission is what counts.
    NoteRound.objects.create(note=january, number=1, submitted_at=at(D(YEAR, 1, 13), 23, 30))
    NoteRound.objects.create(note=january, number=2, submitted_at=at(D(YEAR, 1, 25)))
    january.submitted_at = at(D(YEAR, 1, 25))
    january.save(update_fields=["submitted_at"])
    Escalation.objects.create(note=january, cell=a, source=Escalation.Source.PETITIONS, text="Sửa đường")
    exempt(k1, 2)
    attend(k1, o, D(YEAR, 3, 8))
    attend(k1, a, D(YEAR, 3, 20), Visit.Status.PLANNED)
    note(attend(k1, a, D(YEAR, 4, 30)), at(D(YEAR, 5, 4), 8))
    attend(k1, t, D(YEAR, 4, 30))
    attend(k1, a, D(YEAR, 5, 14))
