"""Tables of the cadre pages."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from assignments.models import Cadre
from cells.access.tables import StaffEditTable
from core.tables import EditColumn


class CadreTable(StaffEditTable):
    code = tables.Column(verbose_name=capfirst(_("code")), linkify=True, order_by=("code_key", "code"))
    full_name = tables.Column(verbose_name=capfirst(_("full name")), order_by=("sort_key", "pk"))
    position = tables.Column(verbose_name=capfirst(_("position")))
    email = tables.EmailColumn(verbose_name=capfirst(_("e-mail")))
    organization = tables.Column(
        verbose_name=capfirst(_("committee")),
        accessor="organization__label",
        order_by=("organization__sort_key", "organization__code"),
    )
    user = tables.Column(verbose_name=capfirst(_("login")), accessor="user__username")
    member = tables.Column(verbose_name=capfirst(_("card number")), accessor="member__card_number")
    edit = EditColumn("assignments:cadre_edit", "code")

    class Meta:
        model = Cadre
        fields = ()
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "cadre-table"}
        empty_text = _("No cadres match.")
