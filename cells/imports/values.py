"""Checking and converting the text of one cell: required values, lengths, dates, choices."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from django.db.models import Model
from django.utils.translation import gettext as _

from cells.imports.errors import RowError
from cells.imports.parsing import Row

VIETNAMESE_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class RowChecker:
    """Collects the problems of one file while the importer reads its rows."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []

    def error(self, row: Row | int, column: str, message: str) -> None:
        number = row.number if isinstance(row, Row) else row
        self.errors.append(RowError(number, column, message))

    def required(self, row: Row, column: str) -> str:
        value = row.values[column]
        if not value:
            self.error(row, column, _("A value is required."))
        return value

    def fits(self, row: Row, column: str, model: type[Model], field: str) -> bool:
        """The value is no longer than the model field allows."""
        limit = model._meta.get_field(field).max_length
        if limit and len(row.values[column]) > limit:
            self.error(row, column, _("Longer than %(limit)s characters.") % {"limit": limit})
            return False
        return True

    def unique(self, rows: list[Row], column: str) -> list[Row]:
        """The rows whose ``column`` value was not seen on an earlier row (a repeat is an error)."""
        first_seen: dict[str, int] = {}
        kept = []
        for row in rows:
            key = row.values[column]
            if key and key in first_seen:
                self.error(
                    row, column, _("Duplicate value, already on row %(row)s.") % {"row": first_seen[key]}
                )
                continue
            first_seen.setdefault(key, row.number)
            kept.append(row)
        return kept


def parse_date(text: str) -> date | None:
    """ISO (2019-04-01) or Vietnamese day/month/year (01/04/2019); None when neither."""
    match = ISO_DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = VIETNAMESE_DATE.match(text)
        if not match:
            return None
        day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def label_key(text: str) -> str:
    """Compare labels case-insensitively, whatever Unicode form and accent placement ("Uỷ"/"Ủy")."""
    key = unicodedata.normalize("NFC", text).casefold().strip()
    key = (
        key.replace("uỷ", "ủy")
        .replace("uý", "úy")
        .replace("uỳ", "ùy")
        .replace("uỹ", "ũy")
        .replace("uỵ", "ụy")
    )
    return re.sub(r"\s+", " ", key)
