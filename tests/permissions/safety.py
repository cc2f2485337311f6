"""Irreversible actions that ask first on their own page.

Turning the calendar link off (assignments:my_calendar_revoke) is the cadre's own: other roles get 403.
A GET shows the question when the cadre has a link; the permission world gives the cadre personas none,
so they are sent back to the calendar page (302), where the page says there is no link.
"""

from tests.permissions import Case

CADRE_QUESTION = {
    "anonymous": 302,
    "staff": 403,
    "leader": 403,
    "cadre": 302,
    "other_cadre": 302,
    "grassroots": 403,
    "sibling_grassroots": 403,
    "outsider": 403,
}

CASES = [
    Case("assignments:my_calendar_revoke", CADRE_QUESTION),
]
