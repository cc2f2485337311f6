"""Celery's entry to the tasks of reports (autodiscovery imports ``reports.tasks``); each task lives in its
feature. Task names are explicit, so moving a task never renames it for the queue."""

from reports.periodic.tasks import build_report

__all__ = ["build_report"]
