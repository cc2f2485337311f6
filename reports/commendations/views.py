"""The commendation list of a year (and its XLSX), and staff's adjustments of it.

Staff and leadership read the list of their own subtree (``user_scope``: the committee whose plan is
counted); only staff add a cadre, take one off or undo an adjustment. A cadre outside the year's plan, or
an adjustment of another subtree, is a 404.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assignments.cadres.months import month_over
from cells.access.roles import OFFICE, STAFF, is_staff, role_required, scope_or_404
from core.documents import XLSX_TYPE, download
from core.forms import save_or_show_errors
from reports.commendations import selectors as commendations_selectors
from reports.commendations import services as commendations_services
from reports.commendations.forms import AdjustForm, CommendationYearForm
from reports.commendations.xlsx import commendation_xlsx
from reports.compliance.selectors import plan_cadres


def list_url(year: int) -> str:
    return f"{reverse('reports:commendation_list')}?{urlencode({'year': year})}"


@require_GET
@role_required(*OFFICE)
def commendation_list(request: HttpRequest) -> HttpResponse:
    root, today = scope_or_404(request.user), timezone.localdate()
    form = CommendationYearForm(request.GET or None)
    year = form.year_or(today)
    rows = commendations_selectors.commendation_rows(root=root, year=year, today=today)
    proposed = [row for row in rows if row.proposed]
    if request.GET.get("export") == "xlsx":
        data = commendation_xlsx(root=root, year=year, rows=proposed)
        return download(data, XLSX_TYPE, f"commendations-{root.code}-{year}.xlsx")
    context = {
        "form": form,
        "root": root,
        "year": year,
        "proposed": proposed,
        "others": [row for row in rows if not row.proposed],
        "can_edit": is_staff(request.user),
        "year_in_progress": not month_over(year, 12, today),
    }
    return render(request, "reports/commendations/list.html", context)


def _initial(row: commendations_selectors.CommendationRow) -> dict:
    """The change staff most likely mean: the opposite of where the cadre stands now."""
    return {"proposed": "false" if row.proposed else "true", "reason": row.reason}


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def commendation_adjust(request: HttpRequest, year: int, cadre: int) -> HttpResponse:
    root, today = scope_or_404(request.user), timezone.localdate()
    chosen = get_object_or_404(plan_cadres(root, year), pk=cadre)
    rows = commendations_selectors.commendation_rows(root=root, year=year, today=today)
    row = next(row for row in rows if row.cadre.pk == chosen.pk)
    form = AdjustForm(request.POST or None, initial=_initial(row))
    if request.method == "POST" and form.is_valid():
        adjustment = save_or_show_errors(
            form,
            lambda: commendations_services.commendation_adjust(
                root=root, year=year, cadre=chosen, by=request.user, **form.cleaned_data
            ),
        )
        if adjustment is not None:
            messages.success(request, _message(adjustment.proposed, chosen.full_name, year))
            return redirect(list_url(year))
    context = {"form": form, "row": row, "year": year, "cancel_url": list_url(year)}
    return render(request, "reports/commendations/adjust.html", context)


def _message(proposed: bool, name: str, year: int) -> str:
    values = {"cadre": name, "year": year}
    if proposed:
        return _("%(cadre)s is proposed for commendation for %(year)s.") % values
    return _("%(cadre)s is no longer proposed for commendation for %(year)s.") % values


@login_required
@require_POST
@role_required(*STAFF)
def commendation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = get_object_or_404(
        commendations_selectors.adjustments_visible_to(request.user).select_related("cadre", "root"), pk=pk
    )
    year, name = adjustment.year, adjustment.cadre.full_name
    commendations_services.commendation_adjustment_remove(adjustment=adjustment, by=request.user)
    messages.success(
        request,
        _("The change for %(cadre)s was undone: the criteria decide again.") % {"cadre": name},
    )
    return redirect(list_url(year))
