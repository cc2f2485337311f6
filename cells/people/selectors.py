"""Reads of party members, always scoped to a user.

A user sees the subtree of their profile's scope; superusers see everything; a login without a
scope sees nothing. Views never query these models except through here.
"""

from __future__ import annotations

from django.db.models import (
    QuerySet,
)

from cells.access.scope import scope_of
from cells.models import Member


def members_visible_to(user) -> QuerySet[Member]:
    return scope_of(user).filter(Member.objects.all(), "cell__path")


def members_for_list(user) -> QuerySet[Member]:
    return members_visible_to(user).select_related("cell")
