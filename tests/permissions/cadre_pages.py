"""The cadre's own pages: only the CADRE role (others 403, anonymous to the login page). The calendar feed
needs no login; an unknown token is a 404 for everyone (the real feed is tested in
tests/assignments/cadre_pages/test_calendar_feed.py)."""

import secrets

from tests.permissions import Case

CADRES_ONLY = {
    "anonymous": 302,
    "staff": 403,
    "leader": 403,
    "cadre": 200,
    "other_cadre": 200,
    "grassroots": 403,
    "sibling_grassroots": 403,
    "outsider": 403,
}
NOBODY = {
    "anonymous": 404,
    "staff": 404,
    "leader": 404,
    "cadre": 404,
    "other_cadre": 404,
    "grassroots": 404,
    "sibling_grassroots": 404,
    "outsider": 404,
}


def _unknown_token(world) -> dict:
    return {"token": secrets.token_urlsafe(32)}


CASES = [
    Case("assignments:my_visits", CADRES_ONLY),
    Case("assignments:my_calendar", CADRES_ONLY),
    Case("assignments:calendar_feed", NOBODY, kwargs=_unknown_token),
]
