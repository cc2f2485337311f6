"""Pausing and resuming a scheduled job on the operations page (assignments/notifications/views.py): POST only,
organization staff only (the POST cases are in tests/assignments/notifications/test_reach.py); a GET is 405 for every
login."""

from tests.permissions import Case

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
    Case("assignments:operations_schedule_pause", POST_ONLY, kwargs=lambda world: {"key": "monthly"}),
    Case("assignments:operations_schedule_resume", POST_ONLY, kwargs=lambda world: {"key": "monthly"}),
]
