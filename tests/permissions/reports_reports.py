"""Quarterly reports and annual summaries (reports/periodic/views.py).

Reports are office documents: organization staff and leadership of the root read them; every other role
gets 403 before any lookup (they may not use these pages at all), and another root's report is a 404.
Staff create, edit and build (POST only: a GET is 405 for the role that may post); leadership finalizes
(a GET asks first, the POST finalizes).
world.report is HU's draft quarterly report for the fourth quarter of 2025, built.
"""

from tests.permissions import Case


def _report(world) -> dict:
    return {"pk": world.report.pk}


OTHERS_403 = {"cadre": 403, "other_cadre": 403, "grassroots": 403, "sibling_grassroots": 403}
OFFICE_LIST = {"staff": 200, "leader": 200, "outsider": 200, **OTHERS_403}  # outsider: their own root's
STAFF_FORM = {"staff": 200, "leader": 403, "outsider": 200, **OTHERS_403}
OFFICE_READ = {"staff": 200, "leader": 200, "outsider": 404, **OTHERS_403}
STAFF_EDIT = {"staff": 200, "leader": 403, "outsider": 404, **OTHERS_403}
STAFF_POST = {"staff": 405, "leader": 403, "outsider": 405, **OTHERS_403}
LEADER_CONFIRM = {"staff": 403, "leader": 200, "outsider": 403, **OTHERS_403}  # GET: the question

CASES = [
    Case("reports:report_list", OFFICE_LIST),
    Case("reports:report_list", OFFICE_LIST, query="?export=csv"),
    Case("reports:report_list", OFFICE_LIST, query="?export=xlsx"),
    Case("reports:report_create", STAFF_FORM),
    Case("reports:report_detail", OFFICE_READ, kwargs=_report),
    Case("reports:report_progress", OFFICE_READ, kwargs=_report),
    Case("reports:report_edit", STAFF_EDIT, kwargs=_report),
    Case("reports:report_build", STAFF_POST, kwargs=_report),
    Case("reports:report_finalize", LEADER_CONFIRM, kwargs=_report),
    Case("reports:report_new_version", STAFF_POST, kwargs=_report),
    Case("reports:report_docx", OFFICE_READ, kwargs=_report),
    Case("reports:report_pdf", OFFICE_READ, kwargs=_report),
    Case("reports:report_xlsx", OFFICE_READ, kwargs=_report),
]
