"""Meeting schedules and meetings: every role reads its subtree's meetings; organization and grassroots
staff edit them; leadership and cadres may not edit (403); another subtree's objects are 404."""

from tests.permissions import PERSONAS, Case

EVERY_ROLE = {persona: 200 for persona in PERSONAS if persona != "anonymous"}
# Cadres are sent from the scope's meeting list to their own cells' meetings.
LIST = {**EVERY_ROLE, "cadre": 302, "other_cadre": 302}
NOT_EDITORS = {"leader": 403, "cadre": 403, "other_cadre": 403}
# world.meeting and tree.cell are in committee XA: the grassroots persona's own subtree.
READ_IN_XA = {**EVERY_ROLE, "sibling_grassroots": 404, "outsider": 404}
EDIT_IN_XA = {"staff": 200, "grassroots": 200, "sibling_grassroots": 404, "outsider": 404, **NOT_EDITORS}
# tree.sibling_cell (XB-AP1) is under the root but outside committee XA.
EDIT_IN_XB = {"staff": 200, "grassroots": 404, "sibling_grassroots": 200, "outsider": 404, **NOT_EDITORS}
# tree.other_cell (HU2-AP) belongs to the outsider's tree.
EDIT_IN_HU2 = {"staff": 404, "grassroots": 404, "sibling_grassroots": 404, "outsider": 200, **NOT_EDITORS}
# A committee is not a cell: it has no schedule and no meetings of its own.
NOT_A_CELL = {"staff": 404, "grassroots": 404, "sibling_grassroots": 404, "outsider": 404, **NOT_EDITORS}


def _meeting(world) -> dict:
    return {"pk": world.meeting.pk}


def _code(attr: str):
    return lambda world: {"code": getattr(world.tree, attr).code}


CASES = [
    Case("cells:meeting_list", LIST),
    Case("cells:meeting_list", LIST, query="?export=csv"),
    Case("cells:meeting_list", LIST, query="?export=xlsx"),
    Case("cells:meeting_detail", READ_IN_XA, kwargs=_meeting),
    Case("cells:meeting_edit", EDIT_IN_XA, kwargs=_meeting),
    Case("cells:meeting_cancel", EDIT_IN_XA, kwargs=_meeting),
    Case("cells:meeting_create", EDIT_IN_XA, kwargs=_code("cell")),
    Case("cells:meeting_create", EDIT_IN_XB, kwargs=_code("sibling_cell")),
    Case("cells:meeting_create", EDIT_IN_HU2, kwargs=_code("other_cell")),
    Case("cells:meeting_create", NOT_A_CELL, kwargs=_code("committee")),
    Case("cells:schedule_edit", EDIT_IN_XA, kwargs=_code("cell")),
    Case("cells:schedule_edit", EDIT_IN_XB, kwargs=_code("sibling_cell")),
    Case("cells:schedule_edit", EDIT_IN_HU2, kwargs=_code("other_cell")),
    Case("cells:schedule_edit", NOT_A_CELL, kwargs=_code("committee")),
]
