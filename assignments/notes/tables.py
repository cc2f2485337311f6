"""Tables of the note review list and the escalation queue: the same columns on the page and in exports."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from assignments.models import AttendanceNote, Escalation
from cells.meetings.tables import FormattedColumn
from core.tables import LocalTimeColumn

YES_NO = (_("Yes"), _("No"))


class NoteReviewTable(tables.Table):
    meeting_date = FormattedColumn(
        strftime="%d/%m/%Y",
        verbose_name=_("Meeting date"),
        linkify=lambda record: record.get_absolute_url(),
        attrs={"td": {"class": "text-nowrap"}},
    )
    cell_code = tables.Column(verbose_name=_("Cell code"), accessor="visit__cell__code")
    cell = tables.Column(
        verbose_name=_("Cell"),
        accessor="visit__cell__label",
        order_by=("visit__cell__sort_key", "visit__cell__code"),
    )
    cadre = tables.Column(
        verbose_name=_("Cadre"), accessor="author__full_name", order_by=("author__sort_key", "author__code")
    )
    overall_rating = tables.Column(verbose_name=_("Overall rating"))
    status = tables.Column(
        verbose_name=_("Status"), attrs={"td": {"data-status": lambda record: record.status}}
    )
    flagged = tables.BooleanColumn(
        verbose_name=_("Flagged"), accessor="difficulties_escalate", orderable=False, yesno=YES_NO
    )
    overdue = tables.BooleanColumn(verbose_name=_("Overdue"), yesno=YES_NO)
    due_on = FormattedColumn(
        strftime="%d/%m/%Y", verbose_name=_("Due"), orderable=False, attrs={"td": {"class": "text-nowrap"}}
    )

    class Meta:
        model = AttendanceNote
        fields = ()
        sequence = (
            "meeting_date",
            "cell_code",
            "cell",
            "cadre",
            "overall_rating",
            "status",
            "flagged",
            "overdue",
            "due_on",
        )
        order_by_field = "sort"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "note-table"}
        row_attrs = {
            "data-note": lambda record: record.pk,
            "data-overdue": lambda record: "yes" if record.overdue else "no",
            "class": lambda record: "table-danger" if record.overdue else "",
        }
        empty_text = _("No notes match.")

    def render_flagged(self, record: AttendanceNote) -> str:
        return str(YES_NO[0] if _flagged(record) else YES_NO[1])

    def value_flagged(self, record: AttendanceNote) -> str:
        return self.render_flagged(record)


def _flagged(note: AttendanceNote) -> bool:
    return bool(note.petitions_escalate or note.difficulties_escalate)


class EscalationTable(tables.Table):
    created_at = LocalTimeColumn(verbose_name=_("Raised"), linkify=lambda record: record.get_absolute_url())
    cell_code = tables.Column(verbose_name=_("Cell code"), accessor="cell__code")
    cell = tables.Column(
        verbose_name=_("Cell"), accessor="cell__label", order_by=("cell__sort_key", "cell__code")
    )
    source = tables.Column(verbose_name=_("Source"))
    text = tables.Column(verbose_name=_("Text"), orderable=False)
    status = tables.Column(
        verbose_name=_("Status"), attrs={"td": {"data-status": lambda record: record.status}}
    )
    cadre = tables.Column(
        verbose_name=_("Cadre"),
        accessor="note__author__full_name",
        order_by=("note__author__sort_key", "note__author__code"),
    )

    class Meta:
        model = Escalation
        fields = ()
        sequence = ("created_at", "cell_code", "cell", "source", "text", "status", "cadre")
        order_by_field = "sort"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "escalation-table"}
        row_attrs = {"data-escalation": lambda record: record.pk}
        empty_text = _("Nothing in the queue.")

    def render_text(self, value: str) -> str:
        # Escaped by django-tables2's default rendering; only shortened here.
        return value if len(value) <= 160 else value[:157] + "…"
