"""How coverage figures are written for people: "78/267 = 29,21 %" (Vietnamese decimal comma in
Vietnamese; the active language's separator otherwise). JSON keeps plain numbers."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats

from .coverage import Row


def percent_text(value: Decimal | float) -> str:
    """29.21 → "29,21 %"; whole and one-decimal values lose their trailing zeros (100 %, 12,5 %)."""
    value = Decimal(str(value)).quantize(Decimal("0.01"))
    places = 0 if value == value.to_integral() else (1 if (value * 10) == (value * 10).to_integral() else 2)
    return f"{formats.number_format(value, places)} %"


def fraction_text(row: Row) -> str:
    """The official form of one table line: "78/267 = 29,21 %"."""
    return f"{row.covered}/{row.cells} = {percent_text(row.percent)}"
