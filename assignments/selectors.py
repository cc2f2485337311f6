"""Reads of assignments, scoped to a user."""

from __future__ import annotations

from django.db.models import QuerySet

from cells.selectors import user_scope

from .models import Cadre


def cadres_visible_to(user) -> QuerySet[Cadre]:
    """Cadres of the committees in the user's subtree."""
    if getattr(user, "is_superuser", False):
        return Cadre.objects.all()
    scope = user_scope(user)
    if scope is None:
        return Cadre.objects.none()
    return Cadre.objects.filter(organization__path__startswith=scope.path)
