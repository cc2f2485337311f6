"""The dashboard's figures besides the coverage table, and the links from every number to its list.

Coverage itself always comes from reports.coverage.selectors.coverage(); this module only lays those rows out
(tiers, groups, total, committees), compares two periods, and adds the few figures that are not
coverage: attended visits per month, cells never visited in the year and the open escalations. Each is
one query, whatever the size of the tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils.translation import gettext as _

from assignments.models import Escalation, Visit
from assignments.notes.selectors import escalations_visible_to
from cells.models import Organization
from core.dates import quarter_of
from core.numbers import DIRECT_TIER, SUBORDINATE_TIER
from reports.coverage.formatting import fraction_text, percent_text
from reports.coverage.selectors import Basis, Coverage, Period, Row, Tier, cells_by_coverage


# --- The coverage table, line by line -------------------------------------------------------------------
@dataclass
class Line:
    """One line of the table as shown and exported: a tier, a group inside it, the total or a committee."""

    label: str
    row: Row
    level: str  # "tier", "group", "total" or "committee"
    params: dict[str, str] = field(default_factory=dict)  # what narrows the list behind it
    code: str = ""

    @property
    def text(self) -> str:
        return fraction_text(self.row)

    @property
    def not_covered(self) -> int:
        return self.row.cells - self.row.covered


def table_lines(cov: Coverage) -> list[Line]:
    """Direct tier and its groups, subordinate tier and its groups, then the total (the official order)."""
    lines = []
    for tier_key, label, tier in (
        ("direct", str(DIRECT_TIER), cov.direct),
        ("subordinate", str(SUBORDINATE_TIER), cov.subordinate),
    ):
        lines.append(Line(label, tier, "tier", {"tier": tier_key}))
        lines.extend(
            Line(group.name, group, "group", {"tier": tier_key, "group": group.code}, group.code)
            for group in tier.groups
        )
    lines.append(Line(_("Total"), cov.total, "total"))
    return lines


def committee_lines(cov: Coverage) -> list[Line]:
    return [Line(row.name, row, "committee", {"committee": row.code}, row.code) for row in cov.committees]


def with_links(lines: list[Line], query: dict[str, str]) -> list[dict]:
    """Each line with the URLs of its three lists: every cell, the covered ones, the others."""
    return [
        {
            "line": line,
            "cells_url": cells_url(query, line.params),
            "covered_url": cells_url(query, line.params, covered="yes"),
            "not_covered_url": cells_url(query, line.params, covered="no"),
        }
        for line in lines
    ]


def cells_url(query: dict[str, str], params: dict[str, str], **extra: str) -> str:
    return f"{reverse('reports:coverage_cells')}?{urlencode({**query, **params, **extra})}"


def group_totals(cov: Coverage) -> list[Row]:
    """Each group over both tiers: the tiers' grouped rows added up (no other count)."""
    totals = []
    for direct, subordinate in zip(cov.direct.groups, cov.subordinate.groups, strict=True):
        row = Row(direct.code, direct.name, key=direct.key)
        row.add(direct.cells + subordinate.cells, direct.covered + subordinate.covered)
        totals.append(row)
    return totals


def change_text(current: int, previous: int) -> str:
    """ "61, up 12" / "61, tăng 12": a count and how it moved since the earlier period."""
    delta = current - previous
    if delta > 0:
        return _("%(value)s, up %(change)s") % {"value": current, "change": delta}
    if delta < 0:
        return _("%(value)s, down %(change)s") % {"value": current, "change": -delta}
    return _("%(value)s, unchanged") % {"value": current}


def points_text(current: Decimal, previous: Decimal) -> str:
    """ "34,83 %, up 4,83 points": a percentage and its change in percentage points."""
    delta = current - previous
    # The change is written like a percentage (50 / 12,5 / 4,83) but without the sign: it is in points.
    values = {"value": percent_text(current), "change": percent_text(abs(delta)).removesuffix("%")}
    if delta > 0:
        return _("%(value)s, up %(change)s points") % values
    if delta < 0:
        return _("%(value)s, down %(change)s points") % values
    return _("%(value)s, unchanged") % {"value": values["value"]}


@dataclass
class Comparison:
    label: str
    previous: str
    current: str
    change: str


def compare(current: Coverage, previous: Coverage) -> list[Comparison]:
    """Cadres, covered cells and coverage (total and by group) in both periods."""
    rows = [
        _count_row(_("Cadres assigned"), current.cadres_assigned, previous.cadres_assigned),
        _count_row(_("Cadres who attended"), current.cadres_attended, previous.cadres_attended),
        _count_row(_("Cells covered"), current.total.covered, previous.total.covered),
        _percent_row(_("Coverage"), current.total, previous.total),
    ]
    for now, before in zip(group_totals(current), group_totals(previous), strict=True):
        rows.append(_percent_row(now.name, now, before))
    return rows


def _count_row(label: str, current: int, previous: int) -> Comparison:
    return Comparison(label, str(previous), str(current), change_text(current, previous))


def _percent_row(label: str, current: Row, previous: Row) -> Comparison:
    return Comparison(
        label, fraction_text(previous), fraction_text(current), points_text(current.percent, previous.percent)
    )


# --- Figures that are not coverage ----------------------------------------------------------------------
@dataclass
class MonthCount:
    month: int
    visits: int
    url: str


def visits_per_month(root: Organization, year: int) -> list[MonthCount]:
    """Attended visits of the subtree by month of the meeting: one grouped query, twelve rows."""
    days = Period.year(year)
    counts = dict(
        Visit.objects.filter(
            status=Visit.Status.ATTENDED,
            meeting_date__gte=days.start,
            meeting_date__lte=days.end,
            cell__path__startswith=root.path,
        )
        .annotate(month=ExtractMonth("meeting_date"))
        .order_by()
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    return [
        MonthCount(month, counts.get(month, 0), visit_list_url(Period.month(year, month)))
        for month in range(1, 13)
    ]


def visit_list_url(period: Period) -> str:
    """The visit list (assignments) narrowed to the attended visits of the period."""
    query = {
        "date_from": period.start.isoformat(),
        "date_to": period.end.isoformat(),
        "status": Visit.Status.ATTENDED,
    }
    return f"{reverse('assignments:visit_list')}?{urlencode(query)}"


def never_visited(root: Organization, year: int) -> tuple[int, str]:
    """Cells of the subtree with no attended visit in the year, and the link to them."""
    period = Period.year(year)
    count = cells_by_coverage(root=root, period=period, basis=Basis.ATTENDED, covered=False).count()
    return count, cells_url({"year": str(year), "basis": Basis.ATTENDED}, {}, covered="no")


def open_escalations(user) -> dict[str, int]:
    """Escalations waiting for leadership in the user's subtree: open and directed, one query."""
    return escalations_visible_to(user).aggregate(
        open=Count("pk", filter=Q(status=Escalation.Status.OPEN)),
        directed=Count("pk", filter=Q(status=Escalation.Status.DIRECTED)),
    )


# --- Chart data (read by static/js/charts.js from json_script) -------------------------------------------
def group_chart(cov: Coverage) -> dict:
    return {
        "labels": [group.name for group in cov.direct.groups],
        "unit": "%",
        "datasets": [
            _dataset(_("Directly under the committee"), cov.direct),
            _dataset(_("Under grassroots committees"), cov.subordinate),
        ],
    }


def _dataset(label: str, tier: Tier) -> dict:
    return {"label": label, "data": [float(group.percent) for group in tier.groups]}


def month_chart(months: list[MonthCount], year: int) -> dict:
    return {
        "labels": [_("Month %(number)s") % {"number": m.month} for m in months],
        "datasets": [
            {"label": _("Attended visits in %(year)s") % {"year": year}, "data": [m.visits for m in months]}
        ],
    }


def comparison_chart(current: Coverage, previous: Coverage, labels: tuple[str, str]) -> dict:
    groups_now, groups_before = group_totals(current), group_totals(previous)
    return {
        "labels": [_("Total")] + [row.name for row in groups_now],
        "unit": "%",
        "datasets": [
            {"label": labels[0], "data": [float(r.percent) for r in [previous.total, *groups_before]]},
            {"label": labels[1], "data": [float(r.percent) for r in [current.total, *groups_now]]},
        ],
    }


def period_label(period: Period) -> str:
    """ "Year 2026", "Quarter 2/2026", "Month 3/2026", else "01/01/2026 – 15/02/2026"."""
    start, end = period.start, period.end
    if period == Period.year(start.year):
        return _("Year %(year)s") % {"year": start.year}
    if period == Period.month(start.year, start.month):
        return _("Month %(month)s/%(year)s") % {"month": start.month, "year": start.year}
    if period == Period.quarter(start.year, quarter_of(start)):
        return _("Quarter %(quarter)s/%(year)s") % {"quarter": quarter_of(start), "year": start.year}
    return f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
