"""The member list's table: sortable, paged by core.listing.render_list, exported as shown."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cells.access.tables import StaffEditTable
from cells.models import Member
from core.tables import DayColumn, EditColumn


class MemberTable(StaffEditTable):
    card_number = tables.Column(verbose_name=capfirst(_("card number")))
    full_name = tables.Column(verbose_name=capfirst(_("full name")), order_by=("sort_key", "pk"))
    cell = tables.Column(
        verbose_name=capfirst(_("cell")),
        accessor="cell__label",
        order_by=("cell__sort_key", "cell__code"),
        linkify=lambda record: record.cell.get_absolute_url(),
    )
    status = tables.Column(verbose_name=capfirst(_("status")))
    joined_on = DayColumn(verbose_name=capfirst(_("joined on")))
    edit = EditColumn("cells:member_edit", "pk")

    class Meta:
        model = Member
        fields = ()
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "member-table"}
        empty_text = _("No party members match.")
