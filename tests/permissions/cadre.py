"""The cadre's own notes and meetings pages: only the CADRE role (others 403, anonymous to the login page);
each cadre sees their own notes and their own cells' meetings only. The confirmation step before a note is
submitted: only its author (staff and leadership who can read the note 403, everyone else 404); world.note
is SUBMITTED, so its author is sent back to the locked note."""

from tests.permissions import Case
from tests.permissions.cadre_pages import CADRES_ONLY


def _note(world) -> dict:
    return {"pk": world.note.pk}


CONFIRM = {
    "anonymous": 302,
    "staff": 403,
    "leader": 403,
    "cadre": 302,
    "other_cadre": 404,
    "grassroots": 404,
    "sibling_grassroots": 404,
    "outsider": 404,
}

CASES = [
    Case("assignments:my_notes", CADRES_ONLY),
    Case("assignments:my_meetings", CADRES_ONLY),
    Case("assignments:note_confirm", CONFIRM, kwargs=_note),
]
