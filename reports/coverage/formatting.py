"""How coverage figures are written for people: "78/267 = 29,21%" (Vietnamese decimal comma in
Vietnamese; the active language's separator otherwise). JSON keeps plain numbers. The number forms
themselves live in core.numbers, so every app writes them alike."""

from __future__ import annotations

from core.numbers import NO_SHARE, count_text, percent_text, share_text
from reports.coverage.selectors import Row

__all__ = ["NO_SHARE", "count_text", "fraction_text", "percent_text"]


def fraction_text(row: Row) -> str:
    """The official form of one table line: "78/267 = 29,21%"; "—" for a line with no cells."""
    return share_text(row.covered, row.cells, row.percent)
