"""Permission cases, one module per area. Each module defines ``CASES``: a list of ``Case``.

tests/test_permission_matrix.py runs every case for every persona, and fails for any URL pattern of
ours that has no case, so a new view cannot land without an access rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = (
    "anonymous",
    "staff",  # organization staff of root HU
    "leader",  # leadership of HU
    "cadre",  # cadre CAD1 of HU, assigned to tree.cell (XA-AP1) in the issued plan, with world.visit
    "other_cadre",  # cadre CAD2 of HU, assigned to tree.sibling_cell (XB-AP1), no visit of world's
    "grassroots",  # grassroots staff of committee XA
    "sibling_grassroots",  # grassroots staff of committee XB
    "outsider",  # organization staff of another root, HU2
)


@dataclass(frozen=True)
class Case:
    """GET ``url_name`` with ``kwargs(world)`` as each persona; ``expect`` maps persona -> status.

    ``world`` is the fixture in tests/test_permission_matrix.py: ``world.tree`` (see tests/conftest.py),
    ``world.meeting`` and ``world.member`` (in ``tree.cell``), ``world.cadre`` (a cadre of HU without
    login), ``world.plan`` (HU's ISSUED plan for 2026: CAD1 → tree.cell, CAD2 → tree.sibling_cell),
    ``world.draft_plan`` (HU's DRAFT plan for 2027), ``world.assignment`` (CAD1 → tree.cell in world.plan),
    ``world.visit`` (CAD1's planned visit to world.meeting), ``world.notification`` (to the cadre persona),
    ``world.note`` (CAD1's SUBMITTED attendance note of world.visit, difficulties flagged),
    ``world.attachment`` (a PDF of world.note), ``world.escalation`` (OPEN, from world.note),
    ``world.exemption`` (CAD2's exempt month 03/2026), ``world.report`` (HU's draft quarterly report of
    the fourth quarter of 2026, built).
    Personas left out of ``expect`` default to ``default`` (anonymous users always expect a redirect
    to the login page unless the case says otherwise). ``query`` is appended to the URL (e.g.
    "?export=csv") so exports are checked as their own entries.
    """

    url_name: str
    expect: dict[str, int]
    kwargs: Callable = field(default=lambda world: {})
    default: int = 403
    query: str = ""

    def expected(self, persona: str) -> int:
        if persona in self.expect:
            return self.expect[persona]
        return 302 if persona == "anonymous" else self.default
