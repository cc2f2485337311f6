"""Note review and the escalation queue (assignments/notes/views.py).

Notes are read by their author, organization staff and leadership of the cell's subtree; everyone else
gets a 404 (never a 403, which would say it exists). The review list and the escalation pages belong to
the office roles (403 for any other role: they may not use those pages at all). Only staff decide a round
(POST; a GET goes back to the note, leadership 403). Every persona is listed for every case."""

from tests.permissions import Case


def _note(world) -> dict:
    return {"pk": world.note.pk}


def _escalation(world) -> dict:
    return {"pk": world.escalation.pk}


OFFICE_LIST = {
    "anonymous": 302,
    "staff": 200,
    "leader": 200,
    "cadre": 403,
    "other_cadre": 403,
    "grassroots": 403,
    "sibling_grassroots": 403,
    "outsider": 200,  # an empty list of the other root's notes
}
# world.note: CAD1 (the cadre persona) at XA-AP1.
NOTE_READ = {
    "anonymous": 302,
    "staff": 200,
    "leader": 200,
    "cadre": 200,
    "other_cadre": 404,
    "grassroots": 404,
    "sibling_grassroots": 404,
    "outsider": 404,
}
# A GET (a reload after a refused decision) sends staff back to the note; another root's note is 404.
REVIEW_BACK_TO_NOTE = {
    "anonymous": 302,
    "staff": 302,
    "leader": 403,
    "cadre": 403,
    "other_cadre": 403,
    "grassroots": 403,
    "sibling_grassroots": 403,
    "outsider": 404,
}
ESCALATION_READ = {
    "anonymous": 302,
    "staff": 200,
    "leader": 200,
    "cadre": 403,
    "other_cadre": 403,
    "grassroots": 403,
    "sibling_grassroots": 403,
    "outsider": 404,
}

CASES = [
    Case("assignments:note_review_list", OFFICE_LIST),
    Case("assignments:note_review_list", OFFICE_LIST, query="?export=csv"),
    Case("assignments:note_review_list", OFFICE_LIST, query="?export=xlsx"),
    Case("assignments:note_detail", NOTE_READ, kwargs=_note),
    Case("assignments:note_review", REVIEW_BACK_TO_NOTE, kwargs=_note),
    Case("assignments:escalation_list", OFFICE_LIST),
    Case("assignments:escalation_list", OFFICE_LIST, query="?export=csv"),
    Case("assignments:escalation_list", OFFICE_LIST, query="?export=xlsx"),
    Case("assignments:escalation_detail", ESCALATION_READ, kwargs=_escalation),
]
