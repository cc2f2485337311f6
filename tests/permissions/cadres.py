"""Cadre pages (assignments/cadres/views.py): staff and leadership read, staff write."""

from tests.permissions import Case

OFFICE = {"staff": 200, "leader": 200, "outsider": 200}


def _cadre(world) -> dict:
    return {"code": world.cadre.code}


CASES = [
    Case("assignments:cadre_list", OFFICE),
    Case("assignments:cadre_list", OFFICE, query="?export=csv"),
    Case("assignments:cadre_list", OFFICE, query="?export=xlsx"),
    Case("assignments:cadre_create", {"staff": 200, "outsider": 200}),
    Case("assignments:cadre_detail", {"staff": 200, "leader": 200, "outsider": 404}, kwargs=_cadre),
    Case("assignments:cadre_edit", {"staff": 200, "outsider": 404}, kwargs=_cadre),
]
