"""Building plans for the plan tests, through the plan services (as staff would)."""

from __future__ import annotations

from dataclasses import dataclass

from assignments.models import AssignmentPlan, Cadre
from assignments.plans import services as plans
from cells.models import Organization
from tests.factories import CadreFactory, CellFactory, OrganizationFactory, cell_type

HEADER = {
    "summary": "Phân công dự sinh hoạt chi bộ",
    "signer_name": "Nguyễn Văn Ký",
    "signer_title": "Phó Bí thư",
}


def draft_plan(root: Organization, year: int = 2026, **fields) -> AssignmentPlan:
    return plans.plan_create(root=root, year=year, **{"issuer_abbreviation": "HU", **HEADER, **fields})


def assign(plan: AssignmentPlan, cadre: Cadre, *cells: Organization) -> None:
    for cell in cells:
        plans.assignment_add(plan=plan, cadre=cadre, cell=cell)


@dataclass
class PlanTree:
    """A root whose cells are of several types: HU has a direct agency cell (CQ) and committee XA
    with a hamlet (AP), a school (TH) and another hamlet (AP2)."""

    root: Organization
    committee: Organization
    direct: Organization  # CQ, directly under the root
    hamlet: Organization  # AP
    school: Organization  # TH
    hamlet2: Organization  # AP
    cadre: Cadre
    cadre2: Cadre


def plan_tree(root: Organization | None = None, prefix: str = "P") -> PlanTree:
    root = root or OrganizationFactory(code=f"{prefix}HU", name="Huyện ủy thử")
    committee = OrganizationFactory(code=f"{prefix}XA", name="Đảng bộ xã thử", parent=root)
    return PlanTree(
        root=root,
        committee=committee,
        direct=CellFactory(
            code=f"{prefix}-CQ", name="Chi bộ cơ quan", parent=root, cell_type=cell_type("CQ")
        ),
        hamlet=CellFactory(
            code=f"{prefix}-AP1", name="Chi bộ ấp 1", parent=committee, cell_type=cell_type("AP")
        ),
        school=CellFactory(
            code=f"{prefix}-TH", name="Chi bộ trường", parent=committee, cell_type=cell_type("TH")
        ),
        hamlet2=CellFactory(
            code=f"{prefix}-AP2", name="Chi bộ ấp 2", parent=committee, cell_type=cell_type("AP")
        ),
        cadre=CadreFactory(code=f"{prefix}CAD1", full_name="Lê Văn Một", organization=root),
        cadre2=CadreFactory(code=f"{prefix}CAD2", full_name="Trần Thị Hai", organization=root),
    )


def passing_plan(t: PlanTree, year: int = 2026) -> AssignmentPlan:
    """A draft that follows every rule."""
    plan = draft_plan(t.root, year)
    assign(plan, t.cadre, t.direct, t.hamlet)
    assign(plan, t.cadre2, t.school, t.hamlet2)
    return plan
