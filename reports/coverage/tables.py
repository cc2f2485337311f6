"""Tables of the lists behind the dashboard's figures (paged and exported by core.listing.render_list)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cells.models import Organization
from core.tables import YesNoColumn


class CoverageCellTable(tables.Table):
    """The cells behind one figure, with whether each is covered in the period."""

    code = tables.Column(verbose_name=capfirst(_("code")), linkify=True, order_by=("code_key", "code"))
    name = tables.Column(verbose_name=capfirst(_("name")), accessor="label", order_by=("sort_key", "code"))
    parent = tables.Column(
        verbose_name=capfirst(_("parent")),
        accessor="parent__name",
        order_by=("parent__sort_key", "parent__code"),
    )
    cell_type = tables.Column(
        verbose_name=capfirst(_("cell type")), accessor="cell_type__name", order_by="cell_type__code"
    )
    group = tables.Column(
        verbose_name=capfirst(_("group")),
        accessor="cell_type__group__name",
        order_by=("cell_type__group__order", "cell_type__group__code"),
    )
    is_covered = YesNoColumn(verbose_name=capfirst(_("covered")))

    class Meta:
        model = Organization
        fields = ()
        order_by = "code"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "coverage-cell-table"}
        row_attrs = {"data-cell": lambda record: record.code}
        empty_text = _("No cells match.")
