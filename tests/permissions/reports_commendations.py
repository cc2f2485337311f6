"""The commendation list of the annual summary and its adjustments (reports/commendations/views.py).

Staff and leadership read the list of their own subtree and download it as XLSX (the outsider, staff of
HU2, reads HU2's: an empty list, 200); only staff open the form that adds or takes off a cadre, and only
for a cadre of their root's plan of that year (the outsider gets 404 for HU's CAD1). Cadres and
grassroots staff may not use these pages at all (403): the list says who attended, which is confidential
from the cells' side. Undoing an adjustment is POST only: a GET is 405 for every login, before any
lookup. Every persona is listed for every case."""

from tests.permissions import Case

OFFICE_READ = {
    "anonymous": 302,
    "staff": 200,
    "leader": 200,
    "cadre": 403,
    "other_cadre": 403,
    "grassroots": 403,
    "sibling_grassroots": 403,
    "outsider": 200,
}
STAFF_WRITE = {
    "anonymous": 302,
    "staff": 200,
    "leader": 403,
    "cadre": 403,
    "other_cadre": 403,
    "grassroots": 403,
    "sibling_grassroots": 403,
    "outsider": 404,
}
POST_ONLY = {
    "anonymous": 302,
    "staff": 405,
    "leader": 405,
    "cadre": 405,
    "other_cadre": 405,
    "grassroots": 405,
    "sibling_grassroots": 405,
    "outsider": 405,
}


def _plan_cadre(world) -> dict:
    """CAD1, assigned in HU's issued plan of 2026."""
    return {"year": world.plan.year, "cadre": world.assignment.cadre_id}


def _any_adjustment(world) -> dict:
    return {"pk": world.assignment.pk}


CASES = [
    Case("reports:commendation_list", OFFICE_READ),
    Case("reports:commendation_list", OFFICE_READ, query="?year=2026"),
    Case("reports:commendation_list", OFFICE_READ, query="?year=2026&export=xlsx"),
    Case("reports:commendation_adjust", STAFF_WRITE, kwargs=_plan_cadre),
    Case("reports:commendation_remove", POST_ONLY, kwargs=_any_adjustment),
]
