"""Quarterly reports and annual summaries: list, create, page, edit, build (with its progress bar),
finalize, new version, and the DOCX/PDF/XLSX downloads.

Reports are office documents: staff and leadership only (any other role gets 403 before a lookup;
another root's report is 404 through ``reports_visible_to``). Staff draft, edit and build; leadership
finalizes. Changing a finalized report is a 403 on a visible report.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cells.access.roles import OFFICE, STAFF, holds_role, is_staff, role_required
from cells.access.scope import user_scope
from core.documents import DOCX_TYPE, PDF_TYPE, XLSX_TYPE, download
from core.forms import save_or_show_errors
from core.listing import render_list
from reports.models import Report
from reports.periodic import selectors as report_selectors
from reports.periodic import services
from reports.periodic.documents import ReportDocument, document_kind, report_document, report_docx, report_pdf
from reports.periodic.figures import committee_lines, coverage_lines
from reports.periodic.forms import ReportCreateForm, ReportEditForm, ReportFilter
from reports.periodic.tables import ReportTable
from reports.periodic.workbook import report_xlsx, xlsx_filename

PROGRESS_POLL = "running"  # query flag of the polling progress bar: when the build ends, reload the page


def _report(user, pk: int) -> Report:
    return get_object_or_404(report_selectors.report_for(user), pk=pk)


def _draft(user, pk: int) -> Report:
    """A visible report that is still a draft; a finalized one changes only through a new version."""
    report = _report(user, pk)
    if report.is_final:
        raise PermissionDenied
    return report


# --- List and create ------------------------------------------------------------------------------------
@require_GET
@role_required(*OFFICE)
def report_list(request: HttpRequest) -> HttpResponse:
    return render_list(
        request,
        queryset=report_selectors.reports_for_list(request.user),
        table_class=ReportTable,
        filterset_class=ReportFilter,
        template="reports/periodic/list.html",
        export_name="reports",
        context={"can_create": is_staff(request.user)},
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def report_create(request: HttpRequest) -> HttpResponse:
    form = ReportCreateForm(request.POST or None)
    root = user_scope(request.user)
    if request.method == "POST" and form.is_valid():
        if root is None or not root.is_committee:
            form.add_error(None, _("Your account is not attached to a committee."))
        else:
            report = save_or_show_errors(
                form, lambda: services.report_create(root=root, by=request.user, **form.cleaned_data)
            )
            if report is not None:
                services.report_build_enqueue(report=report)
                messages.success(request, _("Draft created; its figures are being compiled."))
                return redirect(report)
    context = {"form": form, "cancel_url": reverse("reports:report_list"), "root": root}
    return render(request, "reports/periodic/form.html", context)


# --- The report page ------------------------------------------------------------------------------------
@require_GET
@role_required(*OFFICE)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request.user, pk)
    context = {
        "report": report,
        "snapshot": report.snapshot,
        "coverage_lines": coverage_lines(report.snapshot),
        "committee_lines": committee_lines(report.snapshot),
        "kind_page": document_kind(report.kind).page(report) if report.snapshot else {},
        "kind_template": f"reports/periodic/_detail_{report.kind}.html",
        "versions": report_selectors.report_versions(report),
        "can_edit": is_staff(request.user) and not report.is_final,
        "can_finalize": holds_role(request.user, services.FINALIZERS) and not report.is_final,
        "can_version": is_staff(request.user) and report.is_final,
        **_progress(report),
    }
    return render(request, "reports/periodic/detail.html", context)


@require_GET
@role_required(*OFFICE)
def report_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar (htmx polls it every second while the build runs). When a build the page was
    waiting for ends, the page reloads to show the new figures."""
    report = _report(request.user, pk)
    response = render(request, "reports/periodic/_progress.html", _progress(report))
    if request.htmx and request.GET.get(PROGRESS_POLL) and not report.is_building:
        response["HX-Refresh"] = "true"
    return response


def _progress(report: Report) -> dict:
    """The progress bar's context; its width is a class in steps of 5 % (static/css/reports.css)."""
    return {"report": report, "poll": report.is_building, "step": 5 * round(report.build_progress / 5)}


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _draft(request.user, pk)
    form = ReportEditForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        saved = save_or_show_errors(
            form, lambda: services.report_update(report=report, by=request.user, **form.service_fields())
        )
        if saved is not None:
            messages.success(request, _("Report saved."))
            return redirect(saved)
    context = {"form": form, "report": report, "cancel_url": report.get_absolute_url()}
    return render(request, "reports/periodic/form.html", context)


# --- Build, finalize, new version -----------------------------------------------------------------------
@role_required(*STAFF)
@require_POST
def report_build(request: HttpRequest, pk: int) -> HttpResponse:
    report = _draft(request.user, pk)
    services.report_build_enqueue(report=report)
    messages.info(request, _("The figures are being compiled."))
    return redirect(report)


@require_http_methods(["GET", "POST"])
@role_required(*services.FINALIZERS)
def report_finalize(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first (finalizing takes the number and freezes the figures for good); POST finalizes."""
    report = _draft(request.user, pk)
    if request.method == "GET":
        return render(request, "reports/periodic/finalize.html", {"report": report})
    try:
        final = services.report_finalize(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, _("The report was not finalized: %(reason)s") % {"reason": _reasons(error)})
        return redirect(report)
    messages.success(request, _("Report finalized as No. %(number)s.") % {"number": final.document_number})
    return redirect(final)


@role_required(*STAFF)
@require_POST
def report_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request.user, pk)
    try:
        draft = services.report_new_version(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, _reasons(error))
        return redirect(report)
    services.report_build_enqueue(report=draft)
    messages.success(request, _("Version %(version)s created as a draft.") % {"version": draft.version})
    return redirect(draft)


def _reasons(error: ValidationError) -> str:
    """A service's refusal as one line: "Signer: Fill this in before …" for each field named."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    labels = {field.name: capfirst(field.verbose_name) for field in Report._meta.fields}
    return " ".join(
        f"{labels.get(name, name)}: {' '.join(ValidationError(errors).messages)}"
        for name, errors in error.error_dict.items()
    )


# --- Downloads ------------------------------------------------------------------------------------------
def _document(
    request: HttpRequest, pk: int, render_with: Callable[[ReportDocument], bytes], ext: str, kind: str
):
    doc = report_document(_report(request.user, pk))
    return download(render_with(doc), kind, f"{doc.filename_stem}.{ext}")


@require_GET
@role_required(*OFFICE)
def report_docx_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _document(request, pk, report_docx, "docx", DOCX_TYPE)


@require_GET
@role_required(*OFFICE)
def report_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _document(request, pk, report_pdf, "pdf", PDF_TYPE)


@require_GET
@role_required(*OFFICE)
def report_xlsx_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request.user, pk)
    return download(report_xlsx(report), XLSX_TYPE, xlsx_filename(report))
