"""Visits and notifications (assignments/visits/views.py).

A visit is confidential: staff and leadership of the subtree and the visiting cadre see it; for everyone
else it is a 404 (never a 403, which would say it exists). The list, the access log and the planning pages
are refused by role (403). Every persona is listed for every case."""

from tests.permissions import Case


def _visit(world) -> dict:
    return {"pk": world.visit.pk}


def _notification(world) -> dict:
    return {"pk": world.notification.pk}


# Staff and leadership of a tree read the visit list of their tree (the outsider's is empty).
LIST = {
    "anonymous": 302,
    "staff": 200,
    "leader": 200,
    "cadre": 403,
    "other_cadre": 403,
    "grassroots": 403,
    "sibling_grassroots": 403,
    "outsider": 200,
}
STAFF_ONLY = {
    "anonymous": 302,
    "staff": 200,
    "leader": 403,
    "cadre": 403,
    "other_cadre": 403,
    "grassroots": 403,
    "sibling_grassroots": 403,
    "outsider": 200,
}
# Staff plan for any cadre, a cadre for himself.
PLANNERS = {
    "anonymous": 302,
    "staff": 200,
    "leader": 403,
    "cadre": 200,
    "other_cadre": 200,
    "grassroots": 403,
    "sibling_grassroots": 403,
    "outsider": 200,
}
# world.visit: CAD1 (the cadre persona) at world.meeting in XA-AP1.
VISIT_READ = {
    "anonymous": 302,
    "staff": 200,
    "leader": 200,
    "cadre": 200,
    "other_cadre": 404,
    "grassroots": 404,
    "sibling_grassroots": 404,
    "outsider": 404,
}
VISIT_EDIT = {
    "anonymous": 302,
    "staff": 200,
    "leader": 403,
    "cadre": 200,
    "other_cadre": 404,
    "grassroots": 404,
    "sibling_grassroots": 404,
    "outsider": 404,
}
EVERY_LOGIN = {
    "anonymous": 302,
    "staff": 200,
    "leader": 200,
    "cadre": 200,
    "other_cadre": 200,
    "grassroots": 200,
    "sibling_grassroots": 200,
    "outsider": 200,
}
# POST only: a GET is 405 for every login (before any lookup, so it says nothing of the object).
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

CASES = [
    Case("assignments:visit_list", LIST),
    Case("assignments:visit_list", LIST, query="?export=csv"),
    Case("assignments:visit_list", LIST, query="?export=xlsx"),
    Case("assignments:visit_access_log", STAFF_ONLY),
    Case("assignments:visit_access_log", STAFF_ONLY, query="?export=csv"),
    Case("assignments:visit_create", PLANNERS),
    Case("assignments:visit_propose", STAFF_ONLY),
    Case("assignments:visit_propose", STAFF_ONLY, query="?year=2026&period=m12"),
    Case("assignments:visit_detail", VISIT_READ, kwargs=_visit),
    Case("assignments:visit_edit", VISIT_EDIT, kwargs=_visit),
    Case("assignments:notification_list", EVERY_LOGIN),
    Case("assignments:notification_list", EVERY_LOGIN, query="?export=csv"),
    Case("assignments:notification_read", POST_ONLY, kwargs=_notification),
]
