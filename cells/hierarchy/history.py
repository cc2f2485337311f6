"""The organization page's history: changes of the organization, named as people read them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from cells.hierarchy.selectors import organizations_visible_to
from cells.models import CellType, Organization

HISTORY_LIMIT = 20


@dataclass(frozen=True)
class HistoryEntry:
    """One saved version of a record: who, when, what kind of change, and the fields that changed."""

    record: object
    changes: list[tuple[str, str, str]]  # (field label, old value, new value)

    @property
    def action(self) -> str:
        """Created, changed or deleted, in the reader's language (the history package has no Vietnamese)."""
        return history_action_label(self.record.history_type)


def history_action_label(history_type: str) -> str:
    return str({"+": _("created"), "~": _("changed"), "-": _("deleted")}.get(history_type, history_type))


def organization_history(
    user, organization: Organization, *, limit: int = HISTORY_LIMIT
) -> list[HistoryEntry]:
    """The latest changes to one visible organization, newest first: three queries whatever the size.

    ``limit + 1`` records are read so the oldest one shown can still be compared with its predecessor.
    Related records are named by code; ones outside the user's subtree stay as their raw id.
    """
    records = list(
        Organization.history.filter(id=organization.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    deltas = [
        (record, record.diff_against(previous).changes if previous is not None else [])
        for record, previous in zip(records, [*records[1:], None], strict=True)
    ][:limit]
    # Saving a new node writes its path in a second save: a "changed" record with nothing to show.
    deltas = [(record, changes) for record, changes in deltas if changes or record.history_type != "~"]
    names = _related_names(user, [change for _record, changes in deltas for change in changes])
    return [
        HistoryEntry(record, [_describe_change(change, names) for change in changes])
        for record, changes in deltas
    ]


_ORGANIZATION_LINKS = {"parent", "successor"}


def _related_names(user, changes) -> dict[tuple[str, object], str]:
    org_ids = {v for c in changes if c.field in _ORGANIZATION_LINKS for v in (c.old, c.new) if v is not None}
    type_ids = {v for c in changes if c.field == "cell_type" for v in (c.old, c.new) if v is not None}
    names: dict[tuple[str, object], str] = {}
    if org_ids:
        for pk, code in organizations_visible_to(user).filter(pk__in=org_ids).values_list("pk", "code"):
            names["org", pk] = code
    if type_ids:
        for pk, code in CellType.objects.filter(pk__in=type_ids).values_list("pk", "code"):
            names["type", pk] = code
    return names


def _describe_change(change, names: dict[tuple[str, object], str]) -> tuple[str, str, str]:
    field = Organization._meta.get_field(change.field)
    kind = "org" if change.field in _ORGANIZATION_LINKS else "type" if change.field == "cell_type" else None

    def shown(value) -> str:
        if value is None or value == "":
            return "–"
        if kind is not None:
            return names.get((kind, value), str(value))
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return str(formats.localize(value))

    return str(field.verbose_name), shown(change.old), shown(change.new)
