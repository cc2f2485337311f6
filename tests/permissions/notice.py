"""The plan's notice as DOCX/PDF (assignments/plans/views.py).

The issued notice is a published document (it is sent to the cells and holds nothing of visits): staff
and leadership of the root, the cadres assigned in it and grassroots staff under the root may download
it. A draft is the office's working copy: staff and leadership get it marked "DỰ THẢO"; for everyone else
it does not exist (404). Another root's staff get 404 for both. world.plan assigns CAD1 (cadre) and CAD2
(other_cadre); world.draft_plan is HU's draft for 2027.
"""

from tests.permissions import Case

ISSUED = {
    "anonymous": 302,
    "staff": 200,
    "leader": 200,
    "cadre": 200,
    "other_cadre": 200,
    "grassroots": 200,
    "sibling_grassroots": 200,
    "outsider": 404,
}
DRAFT = {
    "anonymous": 302,
    "staff": 200,
    "leader": 200,
    "cadre": 404,
    "other_cadre": 404,
    "grassroots": 404,
    "sibling_grassroots": 404,
    "outsider": 404,
}


def _plan(world) -> dict:
    return {"pk": world.plan.pk}


def _draft(world) -> dict:
    return {"pk": world.draft_plan.pk}


CASES = [
    Case("assignments:plan_notice_docx", ISSUED, kwargs=_plan),
    Case("assignments:plan_notice_pdf", ISSUED, kwargs=_plan),
    Case("assignments:plan_notice_docx", DRAFT, kwargs=_draft),
    Case("assignments:plan_notice_pdf", DRAFT, kwargs=_draft),
]
