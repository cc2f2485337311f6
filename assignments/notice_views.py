"""The plan's notice as a document: DOCX and PDF downloads.

Who may download follows ``plans_visible_to``: organization staff and leadership of the plan's root get
every plan of it (a draft comes out marked "DỰ THẢO", with the number and the day left blank); the
published (issued) notice also goes to the cadres assigned in it and to grassroots staff under the root,
since it is sent to them anyway and holds nothing of visits. Drafts are 404 for those, and every plan
of another root is 404 for everyone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from cells.access import role_required
from cells.documents import DOCX_TYPE, PDF_TYPE, download
from cells.roles import Role

from .models import AssignmentPlan
from .notice import Notice, notice_docx, notice_of, notice_pdf
from .selectors import plans_visible_to


def _plan(user, pk: int) -> AssignmentPlan:
    return get_object_or_404(plans_visible_to(user).select_related("root__parent"), pk=pk)


def _download(
    request: HttpRequest, pk: int, render: Callable[[Notice], bytes], content_type: str, ext: str
) -> HttpResponse:
    notice = notice_of(_plan(request.user, pk))
    return download(render(notice), content_type, f"{notice.filename_stem}.{ext}")


@require_GET
@role_required(*Role)
def plan_notice_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, notice_docx, DOCX_TYPE, "docx")


@require_GET
@role_required(*Role)
def plan_notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, notice_pdf, PDF_TYPE, "pdf")
