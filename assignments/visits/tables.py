"""Tables of the visit pages: the same columns on the page and in exports."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from assignments.models import Visit, VisitListAccess
from cells.meetings.tables import FormattedColumn
from core.tables import LocalTimeColumn

NO_DATE = "—"


class VisitTable(tables.Table):
    date = FormattedColumn(
        strftime="%d/%m/%Y",
        accessor="meeting__date",
        verbose_name=_("Date"),
        order_by=("meeting__date", "meeting__start_time"),
        default=NO_DATE,
        linkify=lambda record: record.get_absolute_url(),
        attrs={"td": {"class": "text-nowrap"}},
    )
    start_time = FormattedColumn(
        strftime="%H:%M", accessor="meeting__start_time", verbose_name=_("Time"), default=NO_DATE
    )
    cell_code = tables.Column(verbose_name=_("Cell code"), accessor="cell__code")
    cell = tables.Column(
        verbose_name=_("Cell"), accessor="cell__label", order_by=("cell__sort_key", "cell__code")
    )
    place = tables.Column(verbose_name=_("Place"), accessor="meeting__place", default=NO_DATE)
    # Linked as well as the date: a visit waiting for a new date has no date to click.
    cadre = tables.Column(
        verbose_name=_("Cadre"),
        accessor="cadre__full_name",
        order_by=("cadre__sort_key", "cadre__code"),
        linkify=lambda record: record.get_absolute_url(),
    )
    cadre_code = tables.Column(verbose_name=_("Cadre code"), accessor="cadre__code")
    status = tables.Column(
        verbose_name=_("Status"), attrs={"td": {"data-status": lambda record: record.status}}
    )
    together_allowed = tables.BooleanColumn(verbose_name=_("Together allowed"), yesno=(_("Yes"), _("No")))

    class Meta:
        model = Visit
        fields = ()
        sequence = (
            "date",
            "start_time",
            "cell_code",
            "cell",
            "place",
            "cadre",
            "cadre_code",
            "status",
            "together_allowed",
        )
        order_by_field = "sort"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "visit-table"}
        row_attrs = {"data-visit": lambda record: record.pk}
        empty_text = _("No visits match.")


class VisitAccessTable(tables.Table):
    at = LocalTimeColumn(verbose_name=_("When"))
    user = tables.Column(verbose_name=_("Who"), accessor="user__username")
    full_name = tables.Column(
        verbose_name=_("Name"), accessor="user", order_by=("user__last_name", "user__first_name")
    )
    root = tables.Column(verbose_name=_("Committee"), accessor="root__code")
    path = tables.Column(verbose_name=_("Page"))

    class Meta:
        model = VisitListAccess
        fields = ()
        sequence = ("at", "user", "full_name", "root", "path")
        order_by_field = "sort"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "access-table"}
        empty_text = _("Nobody has opened the visit list yet.")

    def render_full_name(self, value) -> str:
        return value.get_full_name() or value.get_username()

    def value_full_name(self, value) -> str:
        return self.render_full_name(value)
