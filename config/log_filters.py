"""Logging filters of the project (referenced from settings.LOGGING)."""

from __future__ import annotations

import logging


class ForbiddenOneLine(logging.Filter):
    """A 403 is an ordinary answer (a role that may not use a page), not an error: django.request logs it
    with the PermissionDenied's traceback, which buries real errors in the console. Keep the one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
