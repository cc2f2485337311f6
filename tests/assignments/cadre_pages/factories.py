"""The data the cadre's pages and calendar feed are tested on (tests/assignments/cadre_pages/test_cadre_pages.py and
test_calendar_feed.py): CAD1's year 2026 seen on 15/05/2026, next to CAD2's, which must never show."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from assignments.models import Assignment, AssignmentPlan, Cadre, Visit
from cells.models import Meeting
from tests.factories import MeetingFactory

TODAY = datetime.date(2026, 5, 15)
# 10:00 in Hồ Chí Minh City: freezegun takes UTC.
NOW = "2026-05-15 03:00:00"


def plan(root, year: int, *, issued: bool = True, number: int = 15) -> AssignmentPlan:
    fields = {"status": AssignmentPlan.Status.DRAFT}
    if issued:
        fields = {
            "status": AssignmentPlan.Status.ISSUED,
            "number": number,
            "issued_on": datetime.date(year, 1, 5),
        }
    return AssignmentPlan.objects.create(root=root, year=year, issuer_abbreviation="HU", **fields)


def meeting(cell, day: datetime.date, **fields) -> Meeting:
    return MeetingFactory(cell=cell, date=day, **fields)


def visit(cadre: Cadre, meeting_: Meeting | None, status=Visit.Status.PLANNED, cell=None) -> Visit:
    return Visit.objects.create(cadre=cadre, cell=cell or meeting_.cell, meeting=meeting_, status=status)


@dataclass
class CadreYear:
    cad1: Cadre
    cad2: Cadre
    meetings: dict[str, Meeting]
    visits: dict[str, Visit]


def cadre_year(tree, personas) -> CadreYear:
    """CAD1 is assigned to XA-AP1 and XA-TH in the issued 2026 plan; CAD2 to XB-AP1.

    Decoys that must never appear on CAD1's pages: HU-CQ (CAD1's cell in a 2025 plan and in a 2026 draft),
    CAD2's cell and CAD2's visit.
    """
    cad1, cad2 = Cadre.objects.get(code="CAD1"), Cadre.objects.get(code="CAD2")
    issued = plan(tree.root, 2026)
    Assignment.objects.create(plan=issued, cadre=cad1, cell=tree.cell)
    Assignment.objects.create(plan=issued, cadre=cad1, cell=tree.cell2)
    Assignment.objects.create(plan=issued, cadre=cad2, cell=tree.sibling_cell)
    Assignment.objects.create(plan=plan(tree.root, 2025, number=9), cadre=cad1, cell=tree.direct_cell)
    Assignment.objects.create(plan=plan(tree.root, 2026, issued=False), cadre=cad1, cell=tree.direct_cell)
    d = datetime.date
    meetings = {
        "feb": meeting(tree.cell, d(2026, 2, 5)),
        "mar": meeting(tree.cell2, d(2026, 3, 10)),
        "apr": meeting(tree.cell, d(2026, 4, 5)),
        "apr2": meeting(tree.cell2, d(2026, 4, 20)),
        "may": meeting(tree.cell, d(2026, 5, 20), place="Hội trường ấp 1"),
        "may2": meeting(tree.cell2, d(2026, 5, 25), kind=Meeting.Kind.THEMATIC, topic="Chuyển đổi số"),
        "jun": meeting(tree.cell, d(2026, 6, 5), status=Meeting.Status.CHANGED, place="Nhà văn hóa ấp 1"),
        "jul": meeting(tree.cell, d(2026, 7, 5), status=Meeting.Status.CANCELLED),
        "aug": meeting(tree.cell, d(2026, 8, 5)),  # the fourth upcoming one of XA-AP1: not on the page
        "cancelled_for_visit": meeting(tree.cell2, d(2026, 5, 2), status=Meeting.Status.CANCELLED),
        "sibling": meeting(tree.sibling_cell, d(2026, 5, 22), place="Nơi họp của CAD2"),
        "direct": meeting(tree.direct_cell, d(2026, 5, 28), place="Chi bộ cơ quan"),
    }
    visits = {
        "feb": visit(cad1, meetings["feb"]),  # planned, never recorded
        "mar": visit(cad1, meetings["mar"], Visit.Status.MISSED),
        "apr": visit(cad1, meetings["apr"], Visit.Status.ATTENDED),
        "apr_missed": visit(cad1, meetings["apr2"], Visit.Status.MISSED),
        "may": visit(cad1, meetings["may"]),
        "needs_date": visit(cad1, None, Visit.Status.NEEDS_DATE, cell=tree.cell2),
        "cancelled": visit(cad1, meetings["may2"], Visit.Status.CANCELLED),
        "other": visit(cad2, meetings["sibling"]),
    }
    return CadreYear(cad1=cad1, cad2=cad2, meetings=meetings, visits=visits)
