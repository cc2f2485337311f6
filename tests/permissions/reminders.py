"""Reminders (assignments/notifications/views.py): every login sets its own notification preferences; only
organization staff open the operations page (the outsider sees the page of the same jobs, with the
failures of its own tree) and run the reconcile, which is POST only."""

from tests.permissions import Case

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
# POST only: a GET is 405 for every login, before the role check.
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
    Case("assignments:notification_preferences", EVERY_LOGIN),
    Case("assignments:operations", STAFF_ONLY),
    Case("assignments:operations_reconcile", POST_ONLY),
]
