"""The database keeps one draft per report series and one row per version, annual summaries (which have
no quarter) included, on SQLite as on PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from reports.models import Report


def report(tree, **fields) -> Report:
    values = {"root": tree.root, "year": 2026, "issuer_abbreviation": "HU", **fields}
    return Report.objects.create(**values)


@pytest.mark.parametrize("quarter", [None, 4], ids=["annual", "quarterly"])
def test_a_series_has_one_draft(tree, quarter):
    kind = Report.Kind.ANNUAL if quarter is None else Report.Kind.QUARTERLY
    report(tree, kind=kind, quarter=quarter)
    with pytest.raises(IntegrityError), transaction.atomic():
        report(tree, kind=kind, quarter=quarter, version=2)


@pytest.mark.parametrize("quarter", [None, 4], ids=["annual", "quarterly"])
def test_a_version_number_is_taken_once(tree, quarter):
    kind = Report.Kind.ANNUAL if quarter is None else Report.Kind.QUARTERLY
    first = report(tree, kind=kind, quarter=quarter)
    # Finalized, so no draft stands in the way of a second row of version 1.
    Report.objects.filter(pk=first.pk).update(
        status=Report.Status.FINAL, number=1, issued_on=date(2026, 12, 1), finalized_at=timezone.now()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        report(tree, kind=kind, quarter=quarter)


def test_other_quarters_and_kinds_are_other_series(tree):
    report(tree, kind=Report.Kind.ANNUAL)
    report(tree, kind=Report.Kind.QUARTERLY, quarter=3)
    report(tree, kind=Report.Kind.QUARTERLY, quarter=4)
    assert Report.objects.count() == 3
