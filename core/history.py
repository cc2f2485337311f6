"""The audit trail shown to organization staff on an object's page: who, when, what changed.

Built from django-simple-history records. A page passes one or more historical querysets; the rows come
back newest first, each change described with the field's label and display values. Related records are
named in one query per related model, so the number of queries does not grow with the history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import QuerySet
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

EMPTY = "—"
# Bookkeeping columns that change on every save and say nothing to a reader.
KINDS = {"+": "created", "~": "changed", "-": "deleted"}
NOISE = {"version", "updated_at", "created_at", "path", "depth"}


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
    *sources: tuple[QuerySet, Callable[[object], str] | None], exclude: Iterable[str] = ()
) -> list[AuditRow]:
    """Rows of every ``(historical queryset, subject)`` source, merged newest first."""
    excluded = NOISE | set(exclude)
    deltas = []
    for queryset, subject in sources:
        deltas.extend(_deltas(queryset, subject, excluded))
    names = _related_names([(record, change) for record, _text, changes in deltas for change in changes])
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
    return sorted(rows, key=lambda row: row.when, reverse=True)


def _deltas(queryset: QuerySet, subject, excluded: set[str]) -> list[tuple[object, str, list]]:
    records = list(queryset.select_related("history_user").order_by("history_date", "history_id"))
    previous: dict[object, object] = {}
    deltas = []
    for record in records:
        before = previous.get(record.id)
        changes = [] if before is None else _changed(record, before, excluded)
        previous[record.id] = record
        if before is not None and not changes and record.history_type == "~":
            continue  # a save that changed only bookkeeping columns
        deltas.append((record, subject(record) if subject else "", changes))
    return deltas


def _changed(record, before, excluded: set[str]) -> list:
    # Only what the history table keeps (a model may leave fields out of its history) and what
    # diff_against can compare (it reads values with model_to_dict, which skips non-editable fields).
    kept = {field.name for field in record._meta.fields}
    tracked = [
        field.name
        for field in record.instance_type._meta.concrete_fields
        if field.editable and field.name in kept and field.name not in excluded
    ]
    return record.diff_against(before, included_fields=tracked).changes


def _field(record, name: str) -> models.Field:
    return record.instance_type._meta.get_field(name)


def _related_names(changes: list) -> dict[tuple[type, object], str]:
    """One query per related model named in the changes."""
    wanted: dict[type, set] = defaultdict(set)
    for record, change in changes:
        field = _field(record, change.field)
        if field.is_relation:
            wanted[field.related_model].update(v for v in (change.old, change.new) if v is not None)
    names = {}
    for model, pks in wanted.items():
        for pk, obj in model._default_manager.in_bulk(pks).items():
            names[model, pk] = str(obj)
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
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _action_label(history_type: str) -> str:
    return {"+": _("created"), "~": _("changed"), "-": _("deleted")}.get(history_type, history_type)


def _user_name(user) -> str:
    if user is None:
        return _("the system")
    return user.get_full_name() or user.get_username()


def plan_audit(plan) -> list[AuditRow]:
    """The plan's own changes and every assignment added to or removed from it, newest first."""
    from assignments.models import Assignment

    def assignment(record) -> str:
        return f"{record.cadre.code} → {record.cell.code}"

    return audit_rows(
        (plan.history.filter(id=plan.pk), None),
        (Assignment.history.filter(plan_id=plan.pk).select_related("cadre", "cell"), assignment),
    )
