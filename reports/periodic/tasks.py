"""Celery tasks of reports: ids in, a service call, the retry policy (docs/conventions.md, tasks)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.exceptions import ValidationError
from django.db import OperationalError

from reports.models import Report
from reports.periodic import services

logger = logging.getLogger(__name__)


@shared_task(
    name="reports.build_report",
    autoretry_for=(OperationalError,),  # the database went away for a moment: try again
    retry_backoff=True,
    max_retries=3,
)
def build_report(report_id: int) -> str:
    """Build a draft's snapshot, recording its progress. Idempotent: a build computes the snapshot
    afresh from the data, so running it twice (a redelivery) gives the same report; a report finalized
    or deleted since it was enqueued is left alone."""
    report = Report.objects.select_related("root").filter(pk=report_id, status=Report.Status.DRAFT).first()
    if report is None:
        return "skipped"
    try:
        services.report_build(report=report)
    except ValidationError:
        return "skipped"  # finalized while it was being built: the frozen snapshot stands
    except OperationalError:
        raise
    except Exception:
        # report_build recorded the failure on the report, where the page shows it; a retry would fail
        # the same way, so the error is logged, not raised.
        logger.exception("building report %s failed", report_id)
        return "failed"
    return "built"
