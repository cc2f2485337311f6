"""Cadre compliance, the evaluation sheet and exempt months (reports/compliance/views.py).

Staff and leadership read the grid, the sheet (and its XLSX) and the exempt months of their own subtree
(the outsider, staff of HU2, reads HU2's: empty pages, 200); only staff exempt a month or take an
exemption back. Cadres and grassroots staff may not use these pages at all (403). Deleting is POST only:
a GET is 405 for every login, before any lookup. Every persona is listed for every case."""

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
    "outsider": 200,
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


def _exemption(world) -> dict:
    return {"pk": world.exemption.pk}


CASES = [
    Case("reports:compliance", OFFICE_READ),
    Case("reports:compliance", OFFICE_READ, query="?year=2026&q=CAD&behind=on"),
    Case("reports:evaluation_sheet", OFFICE_READ),
    Case("reports:evaluation_sheet", OFFICE_READ, query="?year=2026&export=xlsx"),
    Case("reports:exemption_list", OFFICE_READ),
    Case("reports:exemption_list", OFFICE_READ, query="?year=2026&export=csv"),
    Case("reports:exemption_list", OFFICE_READ, query="?year=2026&export=xlsx"),
    Case("reports:exemption_create", STAFF_WRITE),
    Case("reports:exemption_create", STAFF_WRITE, query="?year=2026&month=3"),
    Case("reports:exemption_delete", POST_ONLY, kwargs=_exemption),
]
