"""Problems found in an import file: every one names its spreadsheet row and column."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    """One problem. ``row`` is the spreadsheet row (header = 1); None for a problem with the whole file."""

    row: int | None
    column: str
    message: str | Promise

    def __str__(self) -> str:
        if self.row is None:
            return _("file: %(message)s") % {"message": self.message}
        return _("row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column or "-",
            "message": self.message,
        }


class ImportRejected(Exception):  # noqa: N818 - a rejection, not a programming error
    """The file has problems: nothing was written."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors
