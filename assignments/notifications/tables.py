"""The notification list's table: the same columns on the page and in exports."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from assignments.models import Notification
from core.tables import LocalTimeColumn


def _card_label(label) -> dict:
    """The column's name on each cell, shown in front of it when the table becomes cards on a phone."""
    return {"td": {"data-label": label}}


class NotificationTable(tables.Table):
    created_at = LocalTimeColumn(verbose_name=_("When"), attrs=_card_label(_("When")))
    kind = tables.Column(verbose_name=_("About"), attrs=_card_label(_("About")))
    text = tables.TemplateColumn(
        template_name="assignments/notifications/_text.html",
        verbose_name=_("Message"),
        orderable=False,
        attrs={"td": {"data-testid": "notification-text"}},
    )
    read_at = tables.TemplateColumn(
        template_name="assignments/notifications/_actions.html",
        verbose_name=_("Read"),
        orderable=False,
        exclude_from_export=True,
        attrs=_card_label(_("Read")),
    )

    class Meta:
        model = Notification
        fields = ()
        sequence = ("created_at", "kind", "text", "read_at")
        order_by_field = "sort"
        # A stack of cards on a phone (static/css/app.css), the table from 768 px on.
        attrs = {"class": "table table-sm align-middle table-cards", "data-testid": "notification-table"}
        row_attrs = {
            "data-notification": lambda record: record.pk,
            "class": lambda record: "" if record.read_at else "fw-semibold",
        }
        empty_text = _("No notifications.")

    def value_text(self, record: Notification) -> str:
        # Exports keep the message's own line breaks (the page shows them as <br>).
        return record.text
