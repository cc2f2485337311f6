"""The lists behind the dashboard's figures: the cells covered, or not, in a period.

Everything is scoped to the user's subtree: its top (``user_scope``) is the root of the figures, so a
grassroots committee's staff sees its committee and an outsider sees their own tree. Period and basis
come from a GET form; a bad value is a form error on the page, never a 500.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from cells.access.roles import OFFICE, role_required, scope_or_404
from cells.models import Organization
from core.listing import render_list
from reports.coverage import dashboard
from reports.coverage.forms import CoverageCellsForm
from reports.coverage.selectors import Basis, cells_by_coverage
from reports.coverage.tables import CoverageCellTable


@require_GET
@role_required(*OFFICE)
def coverage_cells(request: HttpRequest) -> HttpResponse:
    """The cells behind one figure of the dashboard, with a covered column; CSV/XLSX like every list."""
    root = scope_or_404(request.user)
    form = CoverageCellsForm(request.GET, root=root, today=timezone.localdate())
    cells = Organization.objects.none()
    context = {"form": form, "root": root}
    if not form.is_valid() and "export" in request.GET:
        # No file for a bad request: the page comes back with the form's errors instead.
        request.GET = request.GET.copy()
        del request.GET["export"]
    elif form.is_valid():
        cells = cells_by_coverage(
            root=root, period=form.picked_period, basis=form.picked_basis, **form.selection()
        )
        context |= {
            "period_label": dashboard.period_label(form.picked_period),
            "basis_label": dict(Basis.CHOICES)[form.picked_basis],
            "dashboard_url": f"{reverse('reports:dashboard')}?{urlencode(form.query())}",
        }
    return render_list(
        request,
        queryset=cells,
        table_class=CoverageCellTable,
        filterset_class=None,
        template="reports/coverage/cells.html",
        export_name="coverage-cells",
        context=context,
    )
