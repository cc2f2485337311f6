"""Meeting schedules and meetings: every role reads its subtree's meetings; organization and grassroots
staff edit them; leadership and cadres may not edit (403); another subtree's objects are 404."""

from . import Case

EVERY_ROLE = dict.fromkeys(("staff", "leader", "cadre", "grassroots", "outsider"), 200)
# world.meeting and tree.cell are in committee XA: the grassroots persona's own subtree.
READ_IN_TREE = {"staff": 200, "leader": 200, "cadre": 200, "grassroots": 200, "outsider": 404}
EDIT_IN_XA = {"staff": 200, "grassroots": 200, "leader": 403, "cadre": 403, "outsider": 404}
# tree.sibling_cell (XB-AP1) is under the root but outside the grassroots persona's committee XA.
EDIT_IN_XB = {"staff": 200, "grassroots": 404, "leader": 403, "cadre": 403, "outsider": 404}
# tree.other_cell (HU2-AP) belongs to the outsider's tree.
EDIT_IN_HU2 = {"staff": 404, "grassroots": 404, "leader": 403, "cadre": 403, "outsider": 200}


def _meeting(world) -> dict:
    return {"pk": world.meeting.pk}


def _cell(world) -> dict:
    return {"code": world.tree.cell.code}


def _sibling_cell(world) -> dict:
    return {"code": world.tree.sibling_cell.code}


def _other_cell(world) -> dict:
    return {"code": world.tree.other_cell.code}


def _committee(world) -> dict:
    """A committee is not a cell: it has no schedule and no meetings of its own."""
    return {"code": world.tree.committee.code}


CASES = [
    Case("cells:meeting_list", EVERY_ROLE),
    Case("cells:meeting_list", EVERY_ROLE, query="?export=csv"),
    Case("cells:meeting_list", EVERY_ROLE, query="?export=xlsx"),
    Case("cells:meeting_detail", READ_IN_TREE, kwargs=_meeting),
    Case("cells:meeting_edit", EDIT_IN_XA, kwargs=_meeting),
    Case("cells:meeting_cancel", EDIT_IN_XA, kwargs=_meeting),
    Case("cells:meeting_create", EDIT_IN_XA, kwargs=_cell),
    Case("cells:meeting_create", EDIT_IN_XB, kwargs=_sibling_cell),
    Case("cells:meeting_create", EDIT_IN_HU2, kwargs=_other_cell),
    Case("cells:meeting_create", {"staff": 404, "grassroots": 404, "outsider": 404}, kwargs=_committee),
    Case("cells:schedule_edit", EDIT_IN_XA, kwargs=_cell),
    Case("cells:schedule_edit", EDIT_IN_XB, kwargs=_sibling_cell),
    Case("cells:schedule_edit", EDIT_IN_HU2, kwargs=_other_cell),
    Case("cells:schedule_edit", {"staff": 404, "grassroots": 404, "outsider": 404}, kwargs=_committee),
]
