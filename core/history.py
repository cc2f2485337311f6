"""The audit trail shown to organization staff on an object's page: who, when, what changed.

Built from django-simple-history records. A page passes one or more historical querysets; the rows come
back newest first, each change described with the field's label and display values. Related records are
named in one query per related model, so the number of queries does not grow with the history: by their
``str()`` unless the page passes its own namer for that model (e.g. one that names only what the reader may
see). Shown with the template ``core/_history_table.html``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time

from django.db import models
from django.db.models import QuerySet
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

EMPTY = "—"
# Bookkeeping columns that change on every save and say nothing to a reader.
KINDS = {"+": "created", "~": "changed", "-": "deleted"}
NOISE = {"version", "updated_at", "created_at", "path", "depth"}

# Names the records of one related model: given their primary keys, returns {pk: name}; a key left out
# is shown as the raw id.
Namer = Callable[[set], Mapping[object, str]]


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class AuditRow:
    when: datetime
    who: str
    action: str
    kind: str  # created / changed / deleted, for styling and tests
    subject: str
    changes: list[FieldChange]


def audit_rows(
    *sources: tuple[QuerySet, Callable[[object], str] | None],
    exclude: Iterable[str] = (),
    fields: Iterable[str] | None = None,
    namers: Mapping[type, Namer] | None = None,
    limit: int | None = None,
) -> list[AuditRow]:
    """Rows of every ``(historical queryset, subject)`` source, merged newest first.

    ``fields`` keeps only those fields' changes (all editable ones by default, less ``exclude``);
    ``namers`` names the records of the given related models; ``limit`` keeps the latest rows of each
    source (one more record is read, so the oldest row shown is still compared with its predecessor).
    """
    excluded = NOISE | set(exclude)
    included = None if fields is None else set(fields)
    deltas = []
    for queryset, subject in sources:
        deltas.extend(_deltas(queryset, subject, excluded, included, limit))
    names = _related_names(
        [(record, change) for record, _text, changes in deltas for change in changes], namers or {}
    )
    rows = [
        AuditRow(
            when=record.history_date,
            who=_user_name(record.history_user),
            action=_action_label(record.history_type),
            kind=KINDS.get(record.history_type, ""),
            subject=text,
            changes=[_describe(record, change, names) for change in changes],
        )
        for record, text, changes in deltas
    ]
    rows = sorted(rows, key=lambda row: row.when, reverse=True)
    return rows if limit is None else rows[:limit]


def _deltas(
    queryset: QuerySet, subject, excluded: set[str], included: set[str] | None, limit: int | None
) -> list[tuple[object, str, list]]:
    queryset = queryset.select_related("history_user")
    if limit is None:
        records = list(queryset.order_by("history_date", "history_id"))
    else:
        records = list(queryset.order_by("-history_date", "-history_id")[: limit + 1])[::-1]
    previous: dict[object, object] = {}
    deltas = []
    for record in records:
        before = previous.get(record.id)
        changes = [] if before is None else _changed(record, before, excluded, included)
        previous[record.id] = record
        if before is not None and not changes and record.history_type == "~":
            continue  # a save that changed only bookkeeping columns
        deltas.append((record, subject(record) if subject else "", changes))
    if limit is not None and len(records) > limit:
        deltas = deltas[1:]  # the extra record read only to compare the oldest one shown with
    return deltas


def _changed(record, before, excluded: set[str], included: set[str] | None) -> list:
    # Only what the history table keeps (a model may leave fields out of its history) and what
    # diff_against can compare (it reads values with model_to_dict, which skips non-editable fields).
    kept = {field.name for field in record._meta.fields}
    tracked = [
        field.name
        for field in record.instance_type._meta.concrete_fields
        if field.editable
        and field.name in kept
        and field.name not in excluded
        and (included is None or field.name in included)
    ]
    return record.diff_against(before, included_fields=tracked).changes


def _field(record, name: str) -> models.Field:
    return record.instance_type._meta.get_field(name)


def _related_names(changes: list, namers: Mapping[type, Namer]) -> dict[tuple[type, object], str]:
    """One query per related model named in the changes."""
    wanted: dict[type, set] = defaultdict(set)
    for record, change in changes:
        field = _field(record, change.field)
        if field.is_relation:
            wanted[field.related_model].update(v for v in (change.old, change.new) if v is not None)
    names = {}
    for model, pks in wanted.items():
        if model in namers:
            named = namers[model](pks)
        else:
            named = {pk: str(obj) for pk, obj in model._default_manager.in_bulk(pks).items()}
        names.update(((model, pk), name) for pk, name in named.items())
    return names


def _describe(record, change, names) -> FieldChange:
    field = _field(record, change.field)
    return FieldChange(
        name=change.field,
        label=str(field.verbose_name).capitalize(),
        old=_display(field, change.old, names),
        new=_display(field, change.new, names),
    )


def _display(field: models.Field, value, names) -> str:
    if value is None or value == "":
        return EMPTY
    if field.is_relation:
        return names.get((field.related_model, value), str(value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _action_label(history_type: str) -> str:
    return {"+": _("created"), "~": _("changed"), "-": _("deleted")}.get(history_type, history_type)


def _user_name(user) -> str:
    if user is None:
        return _("the system")
    return user.get_full_name() or user.get_username()
