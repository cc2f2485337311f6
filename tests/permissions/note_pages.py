"""The cadre's note pages (assignments/notes/views.py).

A note, its attachments and the visit it belongs to are confidential: only the author cadre, organization
staff and leadership of the subtree see them; everyone else gets a 404. Only the author writes: staff and
leadership who can read the note get a 403 here (they review it on assignments:note_detail). world.note is
SUBMITTED, so the author's edit page is the locked, read-only view. Every persona is listed."""

from tests.permissions import Case


def _visit(world) -> dict:
    return {"pk": world.visit.pk}


def _note(world) -> dict:
    return {"pk": world.note.pk}


def _attachment(world) -> dict:
    return {"pk": world.attachment.pk}


# world.visit already has its note: the cadre is sent on to it.
START = {
    "anonymous": 302,
    "staff": 403,
    "leader": 403,
    "cadre": 302,
    "other_cadre": 404,
    "grassroots": 404,
    "sibling_grassroots": 404,
    "outsider": 404,
}
UNPLANNED = {
    "anonymous": 302,
    "staff": 403,
    "leader": 403,
    "cadre": 200,
    "other_cadre": 200,
    "grassroots": 403,
    "sibling_grassroots": 403,
    "outsider": 403,
}
EDIT = {
    "anonymous": 302,
    "staff": 403,
    "leader": 403,
    "cadre": 200,
    "other_cadre": 404,
    "grassroots": 404,
    "sibling_grassroots": 404,
    "outsider": 404,
}
DOWNLOAD = {
    "anonymous": 302,
    "staff": 200,
    "leader": 200,
    "cadre": 200,
    "other_cadre": 404,
    "grassroots": 404,
    "sibling_grassroots": 404,
    "outsider": 404,
}
# POST only: a GET is 405 for every login, before any lookup (so it says nothing of the object).
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

# A GET (a reload after a refused submission) sends the author back to the note form.
SUBMIT_BACK_TO_FORM = {**EDIT, "cadre": 302}

CASES = [
    Case("assignments:note_start", START, kwargs=_visit),
    Case("assignments:note_unplanned", UNPLANNED),
    Case("assignments:note_edit", EDIT, kwargs=_note),
    Case("assignments:note_autosave", POST_ONLY, kwargs=_note),
    Case("assignments:note_submit", SUBMIT_BACK_TO_FORM, kwargs=_note),
    Case("assignments:note_attachment_upload", POST_ONLY, kwargs=_note),
    Case("assignments:attachment_download", DOWNLOAD, kwargs=_attachment),
    Case("assignments:attachment_delete", POST_ONLY, kwargs=_attachment),
]
