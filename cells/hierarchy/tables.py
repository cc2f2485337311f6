"""Tables of the hierarchy pages: sortable, paged by core.listing.render_list, exported as shown."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cells.models import Organization
from core.tables import CountColumn, YesNoColumn


class CellTable(tables.Table):
    code = tables.Column(verbose_name=capfirst(_("code")), linkify=True, order_by=("code_key", "code"))
    name = tables.Column(
        verbose_name=capfirst(_("name")), accessor="label", order_by=("sort_key", "code"), linkify=True
    )
    cell_type = tables.Column(
        verbose_name=capfirst(_("cell type")), accessor="cell_type__name", order_by="cell_type__code"
    )
    group = tables.Column(
        verbose_name=capfirst(_("group")),
        accessor="cell_type__group__name",
        order_by=("cell_type__group__order", "cell_type__group__code"),
    )
    parent = tables.Column(
        verbose_name=capfirst(_("parent")),
        accessor="parent__name",
        order_by=("parent__sort_key", "parent__code"),
    )
    members_count = CountColumn(verbose_name=capfirst(_("members")))
    is_active = YesNoColumn(verbose_name=capfirst(_("active")))

    class Meta:
        model = Organization
        fields = ()
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "cell-table"}
        empty_text = _("No cells match.")
