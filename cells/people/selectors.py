"""Reads of party members, always scoped to a user.

A user sees the subtree of their profile's scope; superusers see everything; a login without a
scope sees nothing. Views never query these models except through here.
"""

from __future__ import annotations

from django.db.models import (
    QuerySet,
)

from cells.hierarchy.selectors import user_scope
from cells.models import Member


def members_visible_to(user) -> QuerySet[Member]:
    if getattr(user, "is_superuser", False):
        return Member.objects.all()
    scope = user_scope(user)
    if scope is None:
        return Member.objects.none()
    return Member.objects.filter(cell__path__startswith=scope.path)


def members_for_list(user) -> QuerySet[Member]:
    return members_visible_to(user).select_related("cell")
