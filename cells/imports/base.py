"""What every importer shares: the context it runs in, the plan it makes, and the interface."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from simple_history.utils import bulk_update_with_history

from cells.access.scope import organizations_visible_to, scope_of, sees_everything
from cells.imports.errors import RowError
from cells.imports.parsing import Row
from cells.models import Organization

LOOKUP_BATCH_SIZE = 500  # keys per "code IN (...)": below SQLite's oldest limit of 999 variables
# Rows per INSERT: fewer round trips on PostgreSQL; Django lowers it to fit SQLite's limit.
BATCH_SIZE = 2000
# Rows per bulk UPDATE: Django writes one CASE WHEN per row and field; compiling and evaluating it
# grows faster than the batch does, so small batches are quicker overall.
UPDATE_BATCH_SIZE = 100


@dataclass
class ImportContext:
    """Who imports and where. ``scoped`` limits the import to the user's subtree (the upload page);
    the command runs unscoped. ``user`` is recorded in the history; ``root`` receives cadres.
    ``allow_unassigned`` lets the attendance history name a cadre outside that year's plan."""

    user: Any = None
    scoped: bool = False
    root: Organization | None = None
    allow_unassigned: bool = False

    def organizations(self) -> QuerySet[Organization]:
        return organizations_visible_to(self.user) if self.scoped else Organization.objects.all()

    def can_see(self, organization: Organization) -> bool:
        """Whether the organization is inside the subtree this import may touch."""
        return not self.scoped or scope_of(self.user).contains(organization)

    def may_add_roots(self) -> bool:
        return not self.scoped or sees_everything(self.user)


CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class PlanRow:
    number: int
    status: str
    values: dict[str, str]
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (column, before, after)


@dataclass
class Plan:
    kind: str
    columns: tuple[str, ...]
    errors: list[RowError] = field(default_factory=list)
    rows: list[PlanRow] = field(default_factory=list)
    payload: Any = None  # what the importer's write() needs; built only when there are no errors

    def rows_with(self, status: str) -> list[PlanRow]:
        return [row for row in self.rows if row.status == status]

    @property
    def counts(self) -> dict[str, int]:
        counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
        for row in self.rows:
            counts[row.status] += 1
        return counts


class Importer:
    """One kind of file. Subclasses set the class attributes and implement plan() and write()."""

    kind: str = ""
    label: str | Promise = ""
    columns: tuple[str, ...] = ()
    optional_columns: tuple[str, ...] = ()  # may be left out of the header; read as "" then
    order: int = 100
    needs_root: bool = False  # rows belong to the root committee (ImportContext.root)

    def plan(self, rows: list[Row], context: ImportContext) -> Plan:
        raise NotImplementedError

    def write(self, plan: Plan, context: ImportContext) -> None:
        raise NotImplementedError


def plan_row(row: Row, exists: bool, before: dict[str, str], after: dict[str, str]) -> PlanRow:
    """Created, updated (listing the changed columns) or unchanged, comparing values as text."""
    if not exists:
        return PlanRow(row.number, CREATED, row.values)
    changes = [(column, before[column], after[column]) for column in after if before[column] != after[column]]
    return PlanRow(row.number, UPDATED if changes else UNCHANGED, row.values, changes)


def batches(items: Iterable, size: int = LOOKUP_BATCH_SIZE) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def fetch_by(queryset: QuerySet, field_name: str, keys: Iterable) -> dict[Any, Any]:
    """The rows of ``queryset`` whose ``field_name`` is one of ``keys``, by key, in batched queries."""
    found = {}
    for chunk in batches(sorted(set(keys))):
        for obj in queryset.filter(**{f"{field_name}__in": chunk}):
            found[getattr(obj, field_name)] = obj
    return found


def changed_fields(row: PlanRow, field_of: dict[str, str]) -> list[str]:
    """The model fields behind the columns that changed on an updated row."""
    return [field_of[column] for column, _before, _after in row.changes if column in field_of]


def with_texts(objs: list) -> list:
    """New rows with their derived name columns set (bulk_create skips save())."""
    for obj in objs:
        obj.refresh_texts()
    return objs


def update_with_history(changes: list[tuple[Model, list[str]]], model: type[Model], user) -> None:
    """bulk_update only the fields that changed, one group per set of fields (a file that promotes
    600 members rewrites one column, not four), each update recorded in the history."""
    groups: dict[tuple[str, ...], list[Model]] = {}
    for obj, fields in changes:
        if set(fields) & set(getattr(obj, "TEXT_SOURCES", ())):
            obj.refresh_texts()  # bulk_update skips save(): names, sort keys and search texts follow here
            fields = [*fields, *obj.TEXT_FIELDS]
        groups.setdefault(tuple(sorted(fields)), []).append(obj)
    for fields, objs in groups.items():
        bulk_update_with_history(objs, model, list(fields), batch_size=UPDATE_BATCH_SIZE, default_user=user)


@dataclass
class Upserts:
    """What an importer keyed by code will write: new rows, and existing rows with the fields that change."""

    new: list = field(default_factory=list)
    changed: list[tuple[object, list[str]]] = field(default_factory=list)
