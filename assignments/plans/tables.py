"""Tables of the plan pages: the list of plans and the published list of assigned cadres per cell."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from assignments.models import AssignmentPlan
from cells.models import Organization
from core.tables import DayColumn

NUMBER_STYLE = {"td": {"class": "text-end"}}


class PlanTable(tables.Table):
    year = tables.Column(verbose_name=capfirst(_("year")), linkify=True)
    number = tables.Column(
        verbose_name=capfirst(_("number")), accessor="number", order_by=("number",), empty_values=()
    )
    status = tables.Column(verbose_name=capfirst(_("status")))
    issued_on = DayColumn(verbose_name=capfirst(_("issue date")))
    summary = tables.Column(verbose_name=capfirst(_("summary line")))
    cadre_count = tables.Column(verbose_name=capfirst(_("cadres")), attrs=NUMBER_STYLE)
    cell_count = tables.Column(verbose_name=capfirst(_("cells")), attrs=NUMBER_STYLE)
    amendment_count = tables.Column(verbose_name=capfirst(_("amendments")), attrs=NUMBER_STYLE)

    class Meta:
        model = AssignmentPlan
        fields = ()
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "plan-table"}
        empty_text = _("No plan yet.")

    def render_number(self, record: AssignmentPlan) -> str:
        return record.document_number or "–"

    def value_number(self, record: AssignmentPlan) -> str:
        return record.document_number


class AssignedCadresTable(tables.Table):
    """Names and positions only: this is what the published notice says, nothing of visits."""

    code = tables.Column(verbose_name=capfirst(_("code")), order_by=("code_key", "code"))
    name = tables.Column(verbose_name=capfirst(_("name")), accessor="label", order_by=("sort_key", "code"))
    cell_type = tables.Column(
        verbose_name=capfirst(_("cell type")), accessor="cell_type__name", order_by="cell_type__code"
    )
    parent = tables.Column(
        verbose_name=capfirst(_("parent")),
        accessor="parent__name",
        order_by=("parent__sort_key", "parent__code"),
    )
    cadres = tables.Column(
        verbose_name=capfirst(_("assigned cadres")), accessor="pk", orderable=False, empty_values=()
    )

    class Meta:
        model = Organization
        fields = ()
        attrs = {"class": "table table-sm align-middle", "data-testid": "assigned-cadres-table"}
        empty_text = _("No cells.")

    def render_cadres(self, record: Organization) -> str:
        assignments = record.published_assignments
        if not assignments:
            return "–"
        items = format_html_join(
            "",
            '<li>{} <span class="text-muted">({})</span></li>',
            ((a.cadre.full_name, a.cadre.get_position_display()) for a in assignments),
        )
        return format_html('<ul class="list-unstyled mb-0">{}</ul>', items)

    def value_cadres(self, record: Organization) -> str:
        return "; ".join(
            f"{a.cadre.full_name} ({a.cadre.get_position_display()})" for a in record.published_assignments
        )
