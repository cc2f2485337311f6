"""The meeting list's table: the same columns on the page and in the CSV/XLSX export."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from cells.models import Meeting


class FormattedColumn(tables.Column):
    """A date or time written the same way on the page and in the export (27/11/2026, 19:30)."""

    def __init__(self, *args, strftime: str, **kwargs) -> None:
        self.strftime = strftime
        super().__init__(*args, **kwargs)

    def render(self, value) -> str:
        return value.strftime(self.strftime)

    def value(self, value) -> str:
        return self.render(value)


class MeetingTable(tables.Table):
    date = FormattedColumn(
        strftime="%d/%m/%Y", verbose_name=_("Date"), linkify=True, attrs={"td": {"class": "text-nowrap"}}
    )
    start_time = FormattedColumn(strftime="%H:%M", verbose_name=_("Time"))
    cell = tables.Column(
        verbose_name=_("Cell"), order_by=("cell__sort_key", "cell__code"), accessor="cell__label"
    )
    place = tables.Column(verbose_name=_("Place"))
    kind = tables.Column(verbose_name=_("Kind of meeting"))
    topic = tables.Column(verbose_name=_("Topic"), default="")
    status = tables.Column(
        verbose_name=_("Status"), attrs={"td": {"data-status": lambda record: record.status}}
    )

    class Meta:
        model = Meeting
        fields = ["date", "start_time", "cell", "place", "kind", "topic", "status"]
        order_by_field = "sort"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "meeting-table"}
        row_attrs = {"data-meeting": lambda record: record.pk}
        empty_text = _("No meetings match.")
