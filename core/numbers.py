"""Numbers as people read them, the same on every page, export, document and e-mail.

"5.976 đảng viên" (thousands grouped with the active language's separator), "29,21%" (no space before
"%": party documents write it so, and nothing can break the line there), "100%" rather than "100,00%",
and "—" for a share of nothing (0/0). Every app formats through here; reports.coverage.formatting builds the
coverage forms ("78/267 = 29,21%") on top.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats, numberformat
from django.utils.translation import gettext_lazy

NO_SHARE = "—"  # a share of nothing: 0 of 0 cells is no percentage at all

# The two tiers of the coverage table, named alike on every page; documents print the Vietnamese.
DIRECT_TIER = gettext_lazy("Grassroots cells directly under the committee")
SUBORDINATE_TIER = gettext_lazy("Subordinate cells of grassroots committees")
DIRECT_TIER_DOCUMENT = "Chi bộ cơ sở trực thuộc"
SUBORDINATE_TIER_DOCUMENT = "Chi bộ trực thuộc đảng bộ cơ sở"


def count_text(value: int) -> str:
    """5976 → "5.976" in Vietnamese, "5,976" in English (grouped even where settings do not group)."""
    return numberformat.format(
        value,
        formats.get_format("DECIMAL_SEPARATOR"),
        decimal_pos=0,
        grouping=3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def percent_text(value: Decimal | float) -> str:
    """29.21 → "29,21%"; whole and one-decimal values lose their trailing zeros (100%, 12,5%)."""
    value = Decimal(str(value)).quantize(Decimal("0.01"))
    places = 0 if value == value.to_integral() else (1 if (value * 10) == (value * 10).to_integral() else 2)
    return f"{formats.number_format(value, places)}%"


def share_text(part: int, whole: int, percent: Decimal | float) -> str:
    """ "78/267 = 29,21%", or "—" when there is nothing to take a share of."""
    if not whole:
        return NO_SHARE
    return f"{count_text(part)}/{count_text(whole)} = {percent_text(percent)}"
