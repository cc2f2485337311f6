"""Reads of reports, scoped to a user: one access rule for every report page and download.

Reports are office documents: organization staff and leadership read the reports of the root
committees in their subtree; every other role reads none (their pages answer 403 before any lookup,
and a report of another root is a 404 for everyone).
"""

from __future__ import annotations

from django.db.models import QuerySet

from cells.access.roles import OFFICE
from cells.access.scope import scope_of
from reports.models import Report


def reports_visible_to(user) -> QuerySet[Report]:
    scope = scope_of(user)
    if not scope.holds(OFFICE):
        return Report.objects.none()
    return scope.filter(Report.objects.all(), "root__path")


def reports_for_list(user) -> QuerySet[Report]:
    """The list's rows with their root: one query per page, whatever the number of reports."""
    return (
        reports_visible_to(user)
        .select_related("root")
        .defer("snapshot", "narrative", "proposals", "recipients", "build_error")
        .order_by("-year", "-quarter", "kind", "root__code", "-version")
    )


def report_for(user) -> QuerySet[Report]:
    """A report with what its page and documents print (root and the root's parent)."""
    return reports_visible_to(user).select_related("root__parent", "created_by", "finalized_by")


def report_versions(report: Report) -> QuerySet[Report]:
    return report.series().only(
        "pk", "version", "status", "number", "issuer_abbreviation", "issued_on", "created_at"
    )
