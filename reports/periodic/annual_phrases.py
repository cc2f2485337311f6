"""How the annual summary says a change from last year: "61, tăng 12" (the dashboard's phrase,
``reports.coverage.dashboard.change_text``), and for a table's change column "tăng 12", "tăng 12,5 điểm",
"không đổi".

Built with gettext in the active language: the documents print them inside translation.override("vi")
(Vietnamese whatever the reader's language), the pages in the reader's language. Percentage points are
written like a percentage without its sign (12,5 in Vietnamese, 12.5 in English).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from reports.coverage.dashboard import change_text
from reports.coverage.formatting import percent_text

__all__ = ["change_text", "difference_text", "points_text"]


def difference_text(current: int, previous: int) -> str:
    """The change of a count alone: "up 12" / "down 3" / "unchanged" ("tăng 12" / "giảm 3" / "không đổi")."""
    change = current - previous
    if change > 0:
        return _("up %(change)s") % {"change": change}
    if change < 0:
        return _("down %(change)s") % {"change": -change}
    return _("unchanged")


def points_text(current: float | Decimal, previous: float | Decimal) -> str:
    """The change of a percentage in points: "up 12.5 points" / "down 3 points" / "unchanged"."""
    change = Decimal(str(current)) - Decimal(str(previous))
    values = {"change": percent_text(abs(change)).removesuffix("%")}
    if change > 0:
        return _("up %(change)s points") % values
    if change < 0:
        return _("down %(change)s points") % values
    return _("unchanged")
