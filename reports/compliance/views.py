"""Cadre compliance pages: the year's grid (cadres × months), the yearly evaluation sheet (and its XLSX),
and the exempt months staff record.

Staff and leadership read, staff write; everything is scoped to the user's subtree (``user_scope``): the
committee whose plan and visits are counted. An exempt month of another subtree is a 404.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tables2 import RequestConfig

from assignments.cadres.months import MonthState, month_over
from assignments.models import NOTE_DUE_DAYS
from cells.access.roles import OFFICE, STAFF, is_staff, role_required, scope_or_404
from core.documents import XLSX_TYPE, download
from core.forms import save_or_show_errors
from core.listing import render_list
from reports.compliance import selectors as compliance
from reports.compliance import services as compliance_services
from reports.compliance.forms import ComplianceFilterForm, ExemptionFilter, ExemptionForm, SheetFilterForm
from reports.compliance.tables import EvaluationTable, ExemptionTable
from reports.compliance.xlsx import explanation, sheet_xlsx, suggestion_note

GRID_PAGE_SIZE = 50


def _of_year(url_name: str, year: int) -> str:
    """A page of these (the sheet, the exempt months) opened on ``year``."""
    return f"{reverse(url_name)}?{urlencode({'year': year})}"


@require_GET
@role_required(*OFFICE)
def compliance_grid(request: HttpRequest) -> HttpResponse:
    root, today = scope_or_404(request.user), timezone.localdate()
    form = ComplianceFilterForm(request.GET or None, initial={"year": today.year})
    year = form.year_or(today)
    page = _grid_page(request, root=root, year=year, today=today, form=form)
    context = {
        "form": form,
        "root": root,
        "year": year,
        "rows": page.object_list,
        "page": page,
        "page_query": _without_page(request),
        "months": compliance.MONTHS,
        "states": MonthState,
        "can_edit": is_staff(request.user),
        "sheet_url": _of_year("reports:evaluation_sheet", year),
        "exemptions_url": _of_year("reports:exemption_list", year),
    }
    return render(request, "reports/compliance/grid.html", context)


def _grid_page(request: HttpRequest, *, root, year: int, today, form: ComplianceFilterForm) -> Page:
    """One page of cadres: their months are counted for that page only. "Only those behind" needs every
    cadre's months to choose (one grouped query still), then pages the ones behind."""
    number = request.GET.get("page")
    if form.behind_only():
        rows = compliance.cadre_years(
            root=root, year=year, today=today, search=form.search(), behind_only=True
        )
        return Paginator(rows, GRID_PAGE_SIZE).get_page(number)
    page = Paginator(compliance.grid_cadres(root=root, year=year, search=form.search()), GRID_PAGE_SIZE)
    page = page.get_page(number)
    page.object_list = compliance.years_of(list(page.object_list), year, today)
    return page


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
@role_required(*OFFICE)
def evaluation_sheet(request: HttpRequest) -> HttpResponse:
    root, today = scope_or_404(request.user), timezone.localdate()
    form = SheetFilterForm(request.GET or None, initial={"year": today.year})
    year = form.year_or(today)
    sheets = compliance.evaluation_sheet(root=root, year=year, today=today, search=form.search())
    if request.GET.get("export") == "xlsx":
        data = sheet_xlsx(root=root, year=year, today=today, sheets=sheets)
        return download(data, XLSX_TYPE, f"evaluation-{root.code}-{year}.xlsx")
    table = EvaluationTable(sheets)
    RequestConfig(request, paginate={"per_page": GRID_PAGE_SIZE}).configure(table)
    context = {
        "form": form,
        "root": root,
        "year": year,
        "table": table,
        "explanation": explanation(),
        "suggestion_note": suggestion_note(),
        "year_in_progress": not month_over(year, 12, today),
        "grid_url": compliance.compliance_url(year),
        "note_due_days": NOTE_DUE_DAYS,
    }
    return render(request, "reports/compliance/sheet.html", context)


# --- Exempt months --------------------------------------------------------------------------------------
@require_GET
@role_required(*OFFICE)
def exemption_list(request: HttpRequest) -> HttpResponse:
    return render_list(
        request,
        queryset=compliance.exemptions_visible_to(request.user).select_related("cadre", "created_by"),
        table_class=ExemptionTable,
        filterset_class=ExemptionFilter,
        template="reports/compliance/exemption_list.html",
        export_name="exempt-months",
        context={"can_edit": is_staff(request.user)},
    )


def _initial(request: HttpRequest) -> dict:
    """The cadre, year and month a link from the grid fills in."""
    today = timezone.localdate()
    initial = {"year": today.year, "month": today.month}
    for name in ("cadre", "year", "month"):
        if request.GET.get(name, "").isdigit():
            initial[name] = int(request.GET[name])
    return initial


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def exemption_create(request: HttpRequest) -> HttpResponse:
    form = ExemptionForm(request.user, request.POST or None, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        exemption = save_or_show_errors(
            form, lambda: compliance_services.exemption_create(**form.cleaned_data, by=request.user)
        )
        if exemption is not None:
            messages.success(
                request,
                _("%(cadre)s is exempt for %(month)s/%(year)s.")
                % {
                    "cadre": exemption.cadre.full_name,
                    "month": f"{exemption.month:02d}",
                    "year": exemption.year,
                },
            )
            return redirect(_of_year("reports:exemption_list", exemption.year))
    context = {"form": form, "cancel_url": reverse("reports:exemption_list")}
    return render(request, "reports/compliance/exemption_form.html", context)


@login_required
@require_POST
@role_required(*STAFF)
def exemption_delete(request: HttpRequest, pk: int) -> HttpResponse:
    exemption = get_object_or_404(
        compliance.exemptions_visible_to(request.user).select_related("cadre"), pk=pk
    )
    year, month, name = exemption.year, exemption.month, exemption.cadre.full_name
    compliance_services.exemption_delete(exemption=exemption, by=request.user)
    messages.success(
        request,
        _("The exemption of %(cadre)s for %(month)s/%(year)s was removed: the month counts again.")
        % {"cadre": name, "month": f"{month:02d}", "year": year},
    )
    return redirect(_of_year("reports:exemption_list", year))
