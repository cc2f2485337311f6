"""Celery's entry to the tasks of cells (autodiscovery imports ``cells.tasks``); each task lives in its feature."""

from cells.logins.tasks import send_login_invitation

__all__ = ["send_login_invitation"]
