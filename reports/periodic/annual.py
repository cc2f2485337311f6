"""The annual summary (báo cáo tổng kết năm): the year's figures, the comparison with the year before,
the cadres proposed for commendation and the escalations still open.

``annual_snapshot`` gathers it all as JSON: the envelope every report has (reports/periodic/building.py: root,
period, coverage on both bases, cadres) and the summary's own keys:

    "previous_year", "as_of"           the year compared with; the day the figures were taken
    "previous_coverage": {"attended": coverage(...).as_dict() of the previous year}
    "comparison": {"cadres_assigned" | "cadres_attended" | "cells_covered":
                       {"current", "previous", "change", "text": "61, tăng 12"},
                   "tiers": [{"code": "direct" | "subordinate" | "total", "current", "previous",
                              "points", "text": "tăng 12,5 điểm"}],
                   "groups": [the same per cell-type group of the subordinate cells]}
    "visits": {"planned", "attended", "missed", "pending"}, "meetings": {"regular", "thematic",
    "total"}, "ratings": {...}          counted as the quarterly report counts them (reports.periodic.quarterly)
    "notes": {"total", "submitted", "accepted", "returned", "draft", "due", "on_time"}
    "commendations": [CommendationRow.as_dict(): the cadres proposed and those staff took off]
    "open_escalations": [{"id", "cell", "source", "status", "text", "raised_on"}]

Every coverage figure comes from ``reports.coverage.selectors.coverage``; the commendation list and the notes on
time from ``reports.commendations.selectors`` / ``reports.compliance.selectors``. Comparison phrases are stored in Vietnamese,
the document's language; pages rebuild them in the reader's language from the numbers next to them.

A fixed number of queries whatever the size: three coverage runs (the selector's own fixed count each),
visits, meetings, ratings, notes, escalations and the commendation list's six.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from assignments.models import AttendanceNote, Escalation
from cells.models import Organization
from core.numbers import DIRECT_TIER, SUBORDINATE_TIER
from reports.commendations.selectors import CommendationRow, commendation_rows
from reports.coverage.selectors import Basis, Period, coverage
from reports.models import Report
from reports.periodic.annual_phrases import change_text, points_text
from reports.periodic.building import Progress, envelope, register_builder
from reports.periodic.quarterly import meeting_counts, rating_counts, visit_counts

__all__ = ["annual_snapshot", "build_annual", "change_text", "points_text"]

DOCUMENT_LANGUAGE = "vi"
# The coverage table's tiers, in its order; their names are printed in the reader's language.
TIERS = ("direct", "subordinate", "total")
TIER_LABELS = {
    "direct": DIRECT_TIER,
    "subordinate": SUBORDINATE_TIER,
    "total": gettext_lazy("Total"),
}
EMPTY_ROW = {"cells": 0, "covered": 0, "percent": 0.0}


# --- The comparison -------------------------------------------------------------------------------------
def count_change(current: int, previous: int) -> dict:
    """One counted figure of this year against last year, with its phrase in the document's language."""
    with translation.override(DOCUMENT_LANGUAGE):
        text = change_text(current, previous)
    return {"current": current, "previous": previous, "change": current - previous, "text": text}


def percent_change(code: str, name: str, current: dict, previous: dict) -> dict:
    """One coverage line (a tier or a group): both years' cells/covered/percent and the points gained."""
    points = Decimal(str(current["percent"])) - Decimal(str(previous["percent"]))
    with translation.override(DOCUMENT_LANGUAGE):
        text = points_text(current["percent"], previous["percent"])
    return {
        "code": code,
        "name": name,
        "current": _figures(current),
        "previous": _figures(previous),
        "points": float(points),
        "text": text,
    }


def _figures(row: dict) -> dict:
    return {"cells": row["cells"], "covered": row["covered"], "percent": row["percent"]}


def comparison(now: dict, before: dict) -> dict:
    """Cadres assigned and attended, cells covered, coverage by tier and by group of the subordinate
    cells, year on year; ``now`` and ``before`` are ``Coverage.as_dict()`` on the attended basis."""
    previous_groups = {group["code"]: group for group in before["subordinate"]["groups"]}
    return {
        "cadres_assigned": count_change(now["cadres"]["assigned"], before["cadres"]["assigned"]),
        "cadres_attended": count_change(now["cadres"]["attended"], before["cadres"]["attended"]),
        "cells_covered": count_change(now["total"]["covered"], before["total"]["covered"]),
        "tiers": [percent_change(tier, "", now[tier], before[tier]) for tier in TIERS],
        "groups": [
            percent_change(group["code"], group["name"], group, previous_groups.get(group["code"], EMPTY_ROW))
            for group in now["subordinate"]["groups"]
        ],
    }


# --- The year's notes and open escalations --------------------------------------------------------------
def note_counts(root: Organization, period: Period, rows: list[CommendationRow]) -> dict:
    """The notes of the year's meetings in the subtree by status (one query), and the plan cadres'
    notes due and on time (the compliance rule, from the rows already read)."""
    status = AttendanceNote.Status
    figures = AttendanceNote.objects.filter(
        meeting_date__gte=period.start,
        meeting_date__lte=period.end,
        visit__cell__path__startswith=root.path,
    ).aggregate(
        total=Count("pk"),
        submitted=Count("pk", filter=Q(status__in=[status.SUBMITTED, status.ACCEPTED])),
        accepted=Count("pk", filter=Q(status=status.ACCEPTED)),
        returned=Count("pk", filter=Q(status=status.RETURNED)),
        draft=Count("pk", filter=Q(status=status.DRAFT)),
    )
    figures["due"] = sum(row.notes_due for row in rows)
    figures["on_time"] = sum(row.notes_on_time for row in rows)
    return figures


def open_escalations(root: Organization, period: Period) -> list[dict]:
    """Escalations raised up to the period's end and not resolved yet: they carry into the next year."""
    escalations = (
        Escalation.objects.filter(cell__path__startswith=root.path, created_at__date__lte=period.end)
        .exclude(status=Escalation.Status.RESOLVED)
        .select_related("cell")
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": escalation.pk,
            "cell": {
                "code": escalation.cell.code,
                "name": escalation.cell.name,
                "label": escalation.cell.label,
            },
            "source": escalation.source,
            "status": escalation.status,
            "text": escalation.text,
            "raised_on": timezone.localtime(escalation.created_at).date().isoformat(),
        }
        for escalation in escalations
    ]


# --- The snapshot ---------------------------------------------------------------------------------------
def annual_content(
    *,
    root: Organization,
    year: int,
    today: date,
    this_year: dict | None = None,
    progress: Progress | None = None,
) -> dict:
    """The summary's own keys; ``this_year`` is the year's attended coverage when already computed."""
    progress = progress or _ignore
    period = Period.year(year)
    if this_year is None:
        this_year = coverage(root=root, period=period, basis=Basis.ATTENDED).as_dict()
    last_year = coverage(root=root, period=Period.year(year - 1), basis=Basis.ATTENDED).as_dict()
    progress(30)
    content = {
        "previous_year": year - 1,
        "as_of": today.isoformat(),
        "previous_coverage": {Basis.ATTENDED: last_year},
        "comparison": comparison(this_year, last_year),
        "visits": visit_counts(root, period),
        "meetings": meeting_counts(root, period, today=today),
        "ratings": rating_counts(root, period),
    }
    progress(50)
    rows = commendation_rows(root=root, year=year, today=today)
    content["notes"] = note_counts(root, period, rows)
    content["commendations"] = [row.as_dict() for row in rows if row.proposed or row.adjustment is not None]
    progress(90)
    content["open_escalations"] = open_escalations(root, period)
    progress(100)
    return content


def annual_snapshot(*, root: Organization, year: int, today: date | None = None) -> dict:
    """Everything the annual summary of ``root`` for ``year`` prints, as JSON (see the module's doc)."""
    today = today or timezone.localdate()
    snapshot = {"kind": Report.Kind.ANNUAL.value, **envelope(root, Period.year(year))}
    snapshot["period"].update(year=year, quarter=None)
    this_year = snapshot["coverage"][Basis.ATTENDED]
    return {**snapshot, **annual_content(root=root, year=year, today=today, this_year=this_year)}


def build_annual(report: Report, progress: Progress) -> dict:
    """The builder reports/periodic/building.py calls: the summary's keys, figures as of today."""
    return annual_content(root=report.root, year=report.year, today=timezone.localdate(), progress=progress)


def _ignore(percent: int) -> None:
    return None


register_builder(Report.Kind.ANNUAL, build_annual)

# The document, spreadsheet and page parts register themselves on import.
from reports.periodic import annual_document  # noqa: E402, F401
