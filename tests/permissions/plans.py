"""The yearly plan (assignments/plans/views.py): staff draft, issue and amend; leadership read; another
root's plan is 404; an issued plan is not edited outside an amendment (403 on a visible plan); the
published list of assigned cadres is for the cells' side and the office, never for cadres."""

from tests.permissions import Case


def _expect(*, staff: int, leader: int, outsider: int, grassroots: int = 403, cadre: int = 403) -> dict:
    """Every persona spelled out: the cadres and the grassroots staff of both committees alike."""
    return {
        "anonymous": 302,
        "staff": staff,
        "leader": leader,
        "cadre": cadre,
        "other_cadre": cadre,
        "grassroots": grassroots,
        "sibling_grassroots": grassroots,
        "outsider": outsider,
    }


OFFICE_LIST = _expect(staff=200, leader=200, outsider=200)
STAFF_PAGE = _expect(staff=200, leader=403, outsider=200)
READ_PLAN = _expect(staff=200, leader=200, outsider=404)
EDIT_PLAN = _expect(staff=200, leader=403, outsider=404)
LOCKED_PLAN = _expect(staff=403, leader=403, outsider=404)  # visible, but not editable in its state
POST_ONLY = _expect(staff=405, leader=403, outsider=405)
PUBLISHED = _expect(staff=200, leader=200, outsider=200, grassroots=200)


def _plan(world) -> dict:
    return {"pk": world.plan.pk}


def _draft(world) -> dict:
    return {"pk": world.draft_plan.pk}


def _draft_assignment(world) -> dict:
    return {"pk": world.draft_plan.pk, "assignment_pk": world.draft_plan.assignments.get().pk}


def _issued_assignment(world) -> dict:
    return {"pk": world.plan.pk, "assignment_pk": world.assignment.pk}


CASES = [
    Case("assignments:plan_list", OFFICE_LIST),
    Case("assignments:plan_list", OFFICE_LIST, query="?export=csv"),
    Case("assignments:plan_list", OFFICE_LIST, query="?export=xlsx"),
    Case("assignments:plan_create", STAFF_PAGE),
    Case("assignments:plan_detail", READ_PLAN, kwargs=_plan),
    Case("assignments:plan_detail", READ_PLAN, kwargs=_draft),
    Case("assignments:plan_checks", READ_PLAN, kwargs=_plan),
    Case("assignments:plan_checks", READ_PLAN, kwargs=_draft),
    Case("assignments:plan_edit", EDIT_PLAN, kwargs=_draft),
    Case("assignments:plan_edit", LOCKED_PLAN, kwargs=_plan),
    Case("assignments:plan_cell_search", EDIT_PLAN, kwargs=_draft, query="?q=AP"),
    Case("assignments:plan_cell_search", LOCKED_PLAN, kwargs=_plan, query="?q=AP"),
    Case("assignments:plan_assign", POST_ONLY, kwargs=_draft),
    Case("assignments:plan_unassign", EDIT_PLAN, kwargs=_draft_assignment),  # GET asks first
    Case("assignments:plan_unassign", LOCKED_PLAN, kwargs=_issued_assignment),
    Case("assignments:plan_issue", EDIT_PLAN, kwargs=_draft),
    Case("assignments:plan_issue", LOCKED_PLAN, kwargs=_plan),
    Case("assignments:plan_amend", EDIT_PLAN, kwargs=_plan),
    Case("assignments:plan_amend", LOCKED_PLAN, kwargs=_draft),
    Case("assignments:assigned_cadres", PUBLISHED),
    Case("assignments:assigned_cadres", PUBLISHED, query="?export=csv"),
    Case("assignments:assigned_cadres", PUBLISHED, query="?export=xlsx"),
]
