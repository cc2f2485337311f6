"""Tables of the compliance pages: exempt months, and the yearly evaluation sheet."""

from __future__ import annotations

from decimal import Decimal

import django_tables2 as tables
from django.utils import formats
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from assignments.models import CadreExemption
from cells.access.tables import StaffEditTable
from core.tables import DayColumn
from reports.compliance import evaluation


def points(value: Decimal) -> str:
    """40.91 → "40,91" in Vietnamese."""
    return formats.number_format(value, 2)


class ExemptionTable(StaffEditTable):
    cadre = tables.Column(verbose_name=_("Cadre"), order_by=("cadre__sort_key", "cadre__code"))
    month = tables.Column(verbose_name=_("Month"), accessor="month", order_by=("year", "month"))
    reason = tables.Column(verbose_name=_("Reason"))
    detail = tables.Column(verbose_name=_("Details"), orderable=False)
    created_by = tables.Column(verbose_name=_("Recorded by"), accessor="created_by__username")
    created_at = DayColumn(verbose_name=_("Recorded on"))
    # Named "edit" so StaffEditTable hides it from everyone but staff; a POST button, never exported.
    edit = tables.TemplateColumn(
        template_code=(
            "{% url 'reports:exemption_delete' record.pk as delete_url %}"
            '{% include "core/_action_form.html" with action=delete_url form_class="d-inline"'
            ' style="btn btn-sm btn-outline-danger" icon="trash" testid="exemption-delete"'
            ' label=_("Remove") label_hidden=record %}'
        ),
        verbose_name="",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta:
        model = CadreExemption
        fields = ()
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "exemption-table"}
        empty_text = _("No exempt months match.")

    def render_month(self, record: CadreExemption) -> str:
        return f"{record.month:02d}/{record.year}"

    def value_month(self, record: CadreExemption) -> str:
        return self.render_month(record)


class PointsColumn(tables.Column):
    """A part of the score, headed with the most it can give: "Attendance (40)"."""

    def __init__(self, label, most, **kwargs) -> None:
        super().__init__(verbose_name=format_lazy("{} ({})", label, most), **kwargs)

    def render(self, value) -> str:
        return points(value)


class EvaluationTable(tables.Table):
    """One line per cadre; every part of the score is its own column, so the total can be checked."""

    code = tables.Column(verbose_name=_("Code"), accessor="cadre__code")
    full_name = tables.Column(
        verbose_name=_("Cadre"), accessor="cadre__full_name", order_by=("cadre__sort_key", "cadre__code")
    )
    months = tables.Column(
        verbose_name=_("Months compliant"), accessor="months__compliant_months", orderable=False
    )
    exempt = tables.Column(verbose_name=_("Exempt months"), accessor="months__exempt_months")
    pending = tables.Column(verbose_name=_("Months not over"), accessor="months__pending_months")
    cells = tables.Column(verbose_name=_("Cells attended"))
    types = tables.Column(verbose_name=_("Cell types attended"))
    notes = tables.Column(verbose_name=_("Notes on time"), accessor="notes_on_time", orderable=False)
    escalations = tables.Column(verbose_name=_("Escalations raised"))
    proposals = tables.Column(verbose_name=_("Notes with proposals"))
    attendance_points = PointsColumn(
        _("Attendance"), evaluation.ATTENDANCE_POINTS, accessor="score__attendance"
    )
    types_points = PointsColumn(_("Cell types"), evaluation.TYPES_POINTS, accessor="score__types")
    notes_points = PointsColumn(_("Notes"), evaluation.NOTES_POINTS, accessor="score__notes")
    contribution_points = PointsColumn(
        _("Contribution"), evaluation.CONTRIBUTION_POINTS, accessor="score__contribution"
    )
    total = PointsColumn(_("Score"), evaluation.TOTAL_POINTS, accessor="score__total")
    grade = tables.Column(verbose_name=_("Suggested grade"), accessor="score__grade_label")

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "evaluation-table"}
        empty_text = _("No cadres in the plan of this year.")

    def render_months(self, record) -> str:
        return f"{record.months.compliant_months}/{record.months.required_months}"

    def render_notes(self, record) -> str:
        return f"{record.notes_on_time}/{record.notes_due}"
