"""Building a report's snapshot: the figures and compiled items it prints, as one JSON-serializable dict.

Every kind of report (``Report.Kind``) shares the envelope built here, then adds its own content:

    {"schema": 1, "kind": "quarterly", "root": {"code", "name"},
     "period": {"from", "to", "year", "quarter"},
     "coverage": {"attended": coverage(...).as_dict(), "assigned": coverage(...).as_dict()},
     "cadres": {"assigned", "attended"},
     ...the kind's own keys (the quarterly report: visits, meetings, ratings, sections)}

Plug-in interface (how a kind joins): the module ``reports/<kind>.py`` (``reports.periodic.quarterly``,
``reports.periodic.annual``) calls, when imported,

    register_builder(Report.Kind.ANNUAL, annual_snapshot)

where ``annual_snapshot(report, progress) -> dict`` returns the kind's keys (merged into the envelope;
it may read ``report.root``, ``report.year``, ``report.quarter``, ``report.period``) and calls
``progress(percent)`` (0–100 of its own share) as it goes. The module is imported on first use by
:func:`load_kind`, so nothing else needs editing. The same module registers its document parts with
``reports.periodic.documents.register_document`` (see there).

A snapshot is computed from the database at build time and never read back from it: once the report
is final, later visits and notes cannot change it (``reports.periodic.services.report_finalize``).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from django.core.exceptions import ImproperlyConfigured

from reports.coverage.selectors import Basis, Period, coverage
from reports.models import Report

SCHEMA = 1

Progress = Callable[[int], None]
Builder = Callable[[Report, Progress], dict]

BUILDERS: dict[str, Builder] = {}

# The envelope's share of the progress bar (the two coverage computations); the kind gets the rest.
ENVELOPE_SHARE = 30


def register_builder(kind: str, builder: Builder) -> Builder:
    """Make ``builder`` compute the content of reports of ``kind`` (called by ``reports/<kind>.py``)."""
    BUILDERS[kind] = builder
    return builder


def load_kind(kind: str) -> None:
    """Import ``reports/<kind>.py``, which registers the kind's builder and document parts."""
    if kind not in Report.Kind.values:
        raise ValueError(f"unknown report kind: {kind!r}")
    import_module(f"reports.periodic.{kind}")


def builder_for(kind: str) -> Builder:
    if kind not in BUILDERS:
        load_kind(kind)
    if kind not in BUILDERS:
        raise ImproperlyConfigured(f"reports.{kind} registers no builder for {kind!r} reports")
    return BUILDERS[kind]


def build_snapshot(report: Report, progress: Progress | None = None) -> dict:
    """The snapshot of ``report`` as the data stands now (``report.root`` should be loaded)."""
    progress = progress or _ignore
    builder = builder_for(report.kind)
    progress(0)
    snapshot = {"schema": SCHEMA, "kind": report.kind, **envelope(report.root, report.period)}
    snapshot["period"].update(year=report.year, quarter=report.quarter)
    progress(ENVELOPE_SHARE)
    snapshot.update(builder(report, scaled(progress, ENVELOPE_SHARE, 100)))
    progress(100)
    return snapshot


def envelope(root, period: Period) -> dict:
    """Root, period, coverage on both bases and the cadre counts: what every report prints."""
    attended = coverage(root=root, period=period, basis=Basis.ATTENDED).as_dict()
    assigned = coverage(root=root, period=period, basis=Basis.ASSIGNED).as_dict()
    return {
        "root": {"code": root.code, "name": root.name},
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "coverage": {Basis.ATTENDED: attended, Basis.ASSIGNED: assigned},
        "cadres": attended["cadres"],
    }


def scaled(progress: Progress, start: int, end: int) -> Progress:
    """A progress callback for one part of the work: its 0–100 maps onto ``start``–``end``."""
    return lambda percent: progress(start + (end - start) * max(0, min(percent, 100)) // 100)


def _ignore(percent: int) -> None:
    return None
