"""The dashboard: coverage figures, charts, the comparison with a year before and the cadres behind, for
organization staff and leadership.

Everything is scoped to the user's subtree: its top (``user_scope``) is the root of the figures, so a
grassroots committee's staff sees its committee and an outsider sees their own tree. Period and basis
come from a GET form; a bad value is a form error on the page, never a 500.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from cells.access.roles import OFFICE, role_required, scope_or_404
from core.documents import XLSX_TYPE, download
from reports.compliance import selectors as compliance
from reports.coverage import dashboard
from reports.coverage.forms import PeriodForm
from reports.coverage.selectors import Basis, Coverage, coverage
from reports.coverage.xlsx import coverage_workbook


@require_GET
@role_required(*OFFICE)
def dashboard_view(request: HttpRequest) -> HttpResponse:
    root = scope_or_404(request.user)
    today = timezone.localdate()
    form = PeriodForm(request.GET, today=today)
    context = {"form": form, "root": root}
    if form.is_valid():
        cov = coverage(root=root, period=form.picked_period, basis=form.picked_basis)
        if request.GET.get("export") == "xlsx":
            return _xlsx(cov)
        context |= _figures(request, form, cov, today)
    template = "reports/dashboard/_body.html" if request.htmx else "reports/dashboard/dashboard.html"
    response = render(request, template, context)
    # The same URL answers htmx with the body alone: a cache (the browser's, on Back) must keep them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


def _xlsx(cov: Coverage) -> HttpResponse:
    name = f"coverage-{cov.root.code}-{cov.period.start:%Y%m%d}-{cov.period.end:%Y%m%d}.xlsx"
    return download(coverage_workbook(cov), XLSX_TYPE, name)


def _figures(request: HttpRequest, form: PeriodForm, cov: Coverage, today) -> dict:
    query = form.query()
    previous = coverage(root=cov.root, period=cov.period.a_year_before(), basis=cov.basis)
    labels = (dashboard.period_label(previous.period), dashboard.period_label(cov.period))
    year = form.year_shown
    months = dashboard.visits_per_month(cov.root, year)
    never_count, never_url = dashboard.never_visited(cov.root, year)
    return {
        "cov": cov,
        "query": query,
        "period_label": labels[1],
        "previous_label": labels[0],
        "basis_label": dict(Basis.CHOICES)[cov.basis],
        "lines": dashboard.with_links(dashboard.table_lines(cov), query),
        "committee_lines": dashboard.with_links(dashboard.committee_lines(cov), query),
        "group_pairs": list(zip(cov.direct.groups, cov.subordinate.groups, strict=True)),
        "comparison": dashboard.compare(cov, previous),
        "xlsx_url": f"{reverse('reports:dashboard')}?{urlencode({**query, 'export': 'xlsx'})}",
        "year": year,
        "months": months,
        "never_visited": never_count,
        "never_visited_url": never_url,
        "escalations": dashboard.open_escalations(request.user),
        "attended_visits_url": dashboard.visit_list_url(cov.period),
        "charts": {
            "groups": dashboard.group_chart(cov),
            "months": dashboard.month_chart(months, year),
            "comparison": dashboard.comparison_chart(cov, previous, labels),
        },
        # Each cadre's twelve months and the cadres behind: reports/compliance/selectors.py and its own partial,
        # templates/reports/dashboard_cadres.html.
        **compliance.dashboard_context(root=cov.root, year=year, today=today),
    }
