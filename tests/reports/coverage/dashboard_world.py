"""The data the dashboard tests read (tests/reports/coverage/test_dashboard*.py), on the personas' tree:

    HU   direct  HU-CQ (CQ)     attended 20/05/2026 (CAD1)
         XA      XA-AP1 (AP)    attended 05/02/2026 (CAD1), attended 03/03/2025 (CAD1)
                                attended 04/03/2026 (CAD1, its note has the resolved escalation)
                 XA-TH (TH)     missed 10/02/2026 (CAD2)
         XB      XB-AP1 (AP)    attended 10/05/2026 (CAD2)
    HU2  HU2-AP  attended 07/02/2026 by HU2's own cadre (never in HU's figures)

Plans of HU: 2026 issued (CAD1 → XA-AP1, CAD2 → XB-AP1); 2025 issued (CAD1 → XA-AP1).
Escalations: one open and one directed at XA-AP1, one resolved.
``grow(world, n)`` adds n cells under XA, each attended by a new cadre of the 2026 plan who also has an
exempt month, for the query-count tests at two sizes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from assignments.models import (
    Assignment,
    AssignmentPlan,
    AttendanceNote,
    Cadre,
    CadreExemption,
    Escalation,
    Visit,
)
from cells.models import Organization
from tests.assignments.cadre_pages.factories import plan
from tests.factories import CadreFactory, CellFactory, MeetingFactory, cell_type

D = datetime.date
YEAR = 2026


@dataclass
class World:
    tree: object
    cad1: Cadre
    cad2: Cadre
    plan: AssignmentPlan


def attended(cadre: Cadre, cell: Organization, day: datetime.date, status=Visit.Status.ATTENDED) -> Visit:
    meeting = MeetingFactory(cell=cell, date=day)
    return Visit.objects.create(cadre=cadre, cell=cell, meeting=meeting, status=status)


def build(tree, personas) -> World:
    cad1, cad2 = Cadre.objects.get(code="CAD1"), Cadre.objects.get(code="CAD2")
    _retype(tree)
    this_year = plan(tree.root, YEAR)
    Assignment.objects.create(plan=this_year, cadre=cad1, cell=tree.cell)
    Assignment.objects.create(plan=this_year, cadre=cad2, cell=tree.sibling_cell)
    Assignment.objects.create(plan=plan(tree.root, YEAR - 1, number=3), cadre=cad1, cell=tree.cell)
    attended(cad1, tree.direct_cell, D(YEAR, 5, 20))
    first = attended(cad1, tree.cell, D(YEAR, 2, 5))
    attended(cad1, tree.cell, D(YEAR - 1, 3, 3))
    attended(cad2, tree.cell2, D(YEAR, 2, 10), Visit.Status.MISSED)
    attended(cad2, tree.sibling_cell, D(YEAR, 5, 10))
    attended(CadreFactory(code="CAD-HU2", organization=tree.other_root), tree.other_cell, D(YEAR, 2, 7))
    _escalations(first, tree.cell)
    return World(tree=tree, cad1=cad1, cad2=cad2, plan=this_year)


def _retype(tree) -> None:
    """The personas' tree has every cell of type AP; give the direct cell and the school their own."""
    Organization.objects.filter(pk=tree.direct_cell.pk).update(cell_type=cell_type("CQ"))
    Organization.objects.filter(pk=tree.cell2.pk).update(cell_type=cell_type("TH"))


def _escalations(visit: Visit, cell: Organization) -> None:
    note = AttendanceNote.objects.create(
        visit=visit,
        author=visit.cadre,
        status=AttendanceNote.Status.ACCEPTED,
        meeting_date=visit.meeting_date,
        meeting_kind=visit.meeting.kind,
    )
    for source, status in (
        (Escalation.Source.PETITIONS, Escalation.Status.OPEN),
        (Escalation.Source.DIFFICULTIES, Escalation.Status.DIRECTED),
    ):
        Escalation.objects.create(note=note, cell=cell, source=source, text="x", status=status)
    other = attended(visit.cadre, cell, D(YEAR, 3, 4))
    resolved_note = AttendanceNote.objects.create(
        visit=other,
        author=other.cadre,
        status=AttendanceNote.Status.ACCEPTED,
        meeting_date=other.meeting_date,
        meeting_kind=other.meeting.kind,
    )
    Escalation.objects.create(
        note=resolved_note,
        cell=cell,
        source=Escalation.Source.PETITIONS,
        text="y",
        status=Escalation.Status.RESOLVED,
    )


def grow(world: World, n: int, start: int = 0) -> None:
    """n more cells under XA, each attended once in 2026 by a new cadre of the 2026 plan (who has an
    exempt month too), so every figure of the page, the cadres' strips included, has more rows."""
    for i in range(start, start + n):
        cell = CellFactory(code=f"XA-X{i:03d}", parent=world.tree.committee, cell_type=cell_type("KP"))
        cadre = CadreFactory(code=f"CADX{i:03d}", organization=world.tree.root)
        attended(cadre, cell, D(YEAR, 1 + i % 12, 1 + i % 28))
        Assignment.objects.create(plan=world.plan, cadre=cadre, cell=cell)
        CadreExemption.objects.create(
            cadre=cadre, year=YEAR, month=1 + (i + 1) % 12, reason=CadreExemption.Reason.LEAVE
        )
