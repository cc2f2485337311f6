"""Hierarchy pages (cells/hierarchy/views.py): readers are staff, leadership and grassroots staff."""

from tests.permissions import Case

# Lists show only the reader's own subtree, so every reader gets a page.
READERS = {"staff": 200, "leader": 200, "grassroots": 200, "sibling_grassroots": 200, "outsider": 200}
# Objects in committee XA (tree.committee, tree.cell): the XB grassroots persona is outside.
READERS_XA = {**READERS, "sibling_grassroots": 404, "outsider": 404}
OFFICE = {"staff": 200, "leader": 200, "outsider": 200}
STAFF_ONLY = {"staff": 200, "outsider": 200}


def _code(attr: str):
    return lambda world: {"code": getattr(world.tree, attr).code}


CASES = [
    Case("cells:tree", READERS),
    Case("cells:tree", READERS, query="?q=AP1"),
    Case("cells:tree_children", READERS_XA, kwargs=_code("committee")),
    # Grassroots staff of XA: XB is another subtree.
    Case(
        "cells:tree_children",
        {**READERS, "grassroots": 404, "outsider": 404},
        kwargs=_code("sibling_committee"),
    ),
    Case("cells:cell_list", READERS),
    Case("cells:cell_list", READERS, query="?export=csv"),
    Case("cells:cell_list", READERS, query="?export=xlsx"),
    Case("cells:organization_detail", READERS_XA, kwargs=_code("cell")),
    Case("cells:organization_detail", READERS_XA, kwargs=_code("committee")),
    Case(
        "cells:organization_detail",
        {**READERS, "grassroots": 404, "outsider": 404},
        kwargs=_code("sibling_cell"),
    ),
    Case("cells:organization_create", STAFF_ONLY),
    Case("cells:organization_edit", {"staff": 200, "outsider": 404}, kwargs=_code("cell")),
    Case("cells:organization_edit", {"staff": 200, "outsider": 404}, kwargs=_code("root")),
    Case("cells:member_list", OFFICE),
    Case("cells:member_list", OFFICE, query="?export=csv"),
    Case("cells:member_list", OFFICE, query="?export=xlsx"),
    Case("cells:member_create", STAFF_ONLY),
    Case("cells:member_edit", {"staff": 200, "outsider": 404}, kwargs=lambda world: {"pk": world.member.pk}),
]
