"""The report list's table: the same columns on the page and in its CSV/XLSX export."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from cells.meetings.tables import FormattedColumn
from reports.models import Report


class ReportTable(tables.Table):
    period = tables.Column(
        verbose_name=_("Period"),
        accessor="period_label",
        order_by=("year", "quarter"),
        linkify=lambda record: record.get_absolute_url(),
    )
    kind = tables.Column(verbose_name=_("Kind of report"))
    root = tables.Column(verbose_name=_("Committee"), accessor="root__name", order_by=("root__code",))
    version = tables.Column(verbose_name=_("Version"))
    status = tables.Column(
        verbose_name=_("Status"), attrs={"td": {"data-status": lambda record: record.status}}
    )
    number = tables.Column(verbose_name=_("Number"), accessor="document_number", order_by=("number",))
    issued_on = FormattedColumn(strftime="%d/%m/%Y", verbose_name=_("Issue date"))
    build_status = tables.Column(verbose_name=_("Figures"))

    class Meta:
        model = Report
        fields = ()
        sequence = ("period", "kind", "root", "version", "status", "number", "issued_on", "build_status")
        order_by_field = "sort"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "report-table"}
        row_attrs = {"data-report": lambda record: record.pk}
