"""The two operations every import path (the command, the upload page, the benchmark) goes through."""

from __future__ import annotations

from django.db import transaction

from cells.imports.base import ImportContext, Plan
from cells.imports.errors import ImportRejected, RowError
from cells.imports.parsing import read_table
from cells.imports.registry import importer_for


def import_plan(*, kind: str, data: bytes, filename: str, context: ImportContext) -> Plan:
    """Read and check the file; say what would be created, updated and left unchanged. Writes nothing."""
    importer = importer_for(kind)
    table = read_table(data, filename, importer.columns, importer.optional_columns)
    if table.errors:
        return Plan(kind, importer.columns, errors=table.errors)
    plan = importer.plan(table.rows, context)
    plan.errors = sorted(
        plan.errors, key=lambda error: _error_order(error, (*importer.columns, *importer.optional_columns))
    )
    return plan


@transaction.atomic
def import_apply(*, kind: str, data: bytes, filename: str, context: ImportContext) -> Plan:
    """Check the file again and write it whole, in one transaction; any problem writes nothing."""
    plan = import_plan(kind=kind, data=data, filename=filename, context=context)
    if plan.errors:
        raise ImportRejected(plan.errors)
    importer_for(kind).write(plan, context)
    return plan


def _error_order(error: RowError, columns: tuple[str, ...]) -> tuple[int, int]:
    return (error.row or 0, columns.index(error.column) if error.column in columns else -1)
