"""Reading a CSV (UTF-8, with or without the BOM Excel writes) or XLSX file into rows of strings."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from cells.imports.errors import RowError

CSV_EXTENSIONS = {".csv"}
XLSX_EXTENSIONS = {".xlsx"}
ALLOWED_EXTENSIONS = CSV_EXTENSIONS | XLSX_EXTENSIONS


@dataclass(frozen=True)
class Row:
    number: int  # the spreadsheet row: the header is row 1
    values: dict[str, str]


@dataclass
class Table:
    rows: list[Row]
    errors: list[RowError]


class FileProblem(Exception):  # noqa: N818 - carries a message for the user
    pass


def file_extension(filename: str) -> str:
    return PurePath(filename or "").suffix.lower()


def read_table(data: bytes, filename: str, columns: tuple[str, ...], optional: tuple[str, ...] = ()) -> Table:
    """Rows under a header that must hold exactly ``columns`` (in any order) and may hold any of
    ``optional`` (an absent one reads as ""); empty rows are skipped."""
    try:
        raw_rows = _raw_rows(data, file_extension(filename))
    except FileProblem as problem:
        return Table(rows=[], errors=[RowError(None, "", str(problem))])
    if not raw_rows:
        return Table(rows=[], errors=[RowError(None, "", _("The file is empty."))])
    header, body = raw_rows[0], raw_rows[1:]
    names, errors = _check_header(header, body, columns, optional)
    if errors:
        return Table(rows=[], errors=errors)
    position_of = {name: position for position, name in names.items()}
    rows = [
        Row(
            number=index,
            values={
                name: _cell(raw, position_of[name]) if name in position_of else ""
                for name in (*columns, *optional)
            },
        )
        for index, raw in enumerate(body, start=2)
        if any(_cell(raw, position) for position in names)
    ]
    return Table(rows=rows, errors=[])


def _raw_rows(data: bytes, extension: str) -> list[list[str]]:
    if extension in CSV_EXTENSIONS:
        return _csv_rows(data)
    if extension in XLSX_EXTENSIONS:
        return _xlsx_rows(data)
    raise FileProblem(_("The file must be a CSV or an XLSX file."))


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte order mark
    except UnicodeDecodeError as error:
        raise FileProblem(_('The CSV file is not UTF-8 text. In Excel, save it as "CSV UTF-8".')) from error
    if "\x00" in text:
        raise FileProblem(_("The file is not a CSV text file."))
    try:
        return [[value.strip() for value in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as error:
        raise FileProblem(_("The CSV file cannot be read.")) from error


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileProblem(_("The file is not a valid XLSX workbook.")) from error
    try:
        sheet = workbook.worksheets[0]
        return [[_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _text(value) -> str:
    """A spreadsheet value as the text a person typed: 79001234.0 -> "79001234", a date -> ISO."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _cell(raw: list[str], position: int) -> str:
    return raw[position] if position < len(raw) else ""


def _check_header(
    header: list[str], body: list[list[str]], columns: tuple[str, ...], optional: tuple[str, ...] = ()
) -> tuple[dict[int, str], list[RowError]]:
    """Map column positions to names; every missing, extra, duplicate or unnamed column is an error
    (an optional column may be missing)."""
    names: dict[int, str] = {}
    errors: list[RowError] = []
    for position, label in enumerate(header):
        name = label.strip().lower()
        if not name:
            if any(_cell(raw, position) for raw in body):
                errors.append(
                    RowError(1, get_column_letter(position + 1), _("This column has no name in the header."))
                )
            continue
        if name in names.values():
            errors.append(RowError(1, name, _("This column appears twice.")))
        elif name not in columns and name not in optional:
            errors.append(RowError(1, name, _("Unexpected column.")))
        names[position] = name
    for name in columns:
        if name not in names.values():
            errors.append(RowError(1, name, _("Missing column.")))
    return names, errors
