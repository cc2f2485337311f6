"""Reading a report's snapshot back as table lines: the coverage table of the page, the documents, the
chart and the spreadsheet all come from here, so they print the same lines in the same order.

Each line holds a ``reports.coverage.selectors.Row`` per basis, rebuilt from the stored integers, so the percent
and the "78/267 = 29,21%" text come from the one rounding function (``reports.coverage.selectors.percent``).
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.coverage.selectors import Basis, Row

# What a line of the coverage table is: the two tiers, a cell-type group inside a tier, the total.
DIRECT, SUBORDINATE, GROUP, TOTAL, COMMITTEE = "direct", "subordinate", "group", "total", "committee"


@dataclass(frozen=True)
class CoverageLine:
    kind: str  # DIRECT, SUBORDINATE, GROUP (of the tier above it), TOTAL or COMMITTEE
    code: str
    name: str
    attended: Row
    assigned: Row

    @property
    def is_group(self) -> bool:
        return self.kind == GROUP


def row_of(data: dict) -> Row:
    return Row(
        code=data.get("code", ""), name=data.get("name", ""), cells=data["cells"], covered=data["covered"]
    )


def coverage_lines(snapshot: dict) -> list[CoverageLine]:
    """Direct cells and their groups, subordinate cells and their groups, then the total."""
    attended, assigned = _bases(snapshot)
    if attended is None:
        return []
    lines = []
    for tier in (DIRECT, SUBORDINATE):
        lines.append(CoverageLine(tier, "", "", row_of(attended[tier]), row_of(assigned[tier])))
        for seen, planned in zip(attended[tier]["groups"], assigned[tier]["groups"], strict=True):
            if seen["cells"] or planned["cells"]:  # a group with no cells in this tier says nothing
                lines.append(CoverageLine(GROUP, seen["code"], seen["name"], row_of(seen), row_of(planned)))
    lines.append(CoverageLine(TOTAL, "", "", row_of(attended[TOTAL]), row_of(assigned[TOTAL])))
    return lines


def committee_lines(snapshot: dict) -> list[CoverageLine]:
    """One line per grassroots committee (its subordinate cells), in code order."""
    attended, assigned = _bases(snapshot)
    if attended is None:
        return []
    planned = {committee["code"]: committee for committee in assigned["committees"]}
    return [
        CoverageLine(COMMITTEE, seen["code"], seen["name"], row_of(seen), row_of(planned[seen["code"]]))
        for seen in attended["committees"]
    ]


def _bases(snapshot: dict) -> tuple[dict | None, dict | None]:
    figures = snapshot.get("coverage") or {}
    return figures.get(Basis.ATTENDED), figures.get(Basis.ASSIGNED)
