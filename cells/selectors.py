"""Reads of the hierarchy, always scoped to a user: one selector per model.

A user sees the subtree of their profile's scope; superusers see everything; a login without a
scope sees nothing. Views never query these models except through here.
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from .models import CellType, CellTypeGroup, Meeting, MeetingSchedule, Member, Organization


def user_scope(user) -> Organization | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_cached_scope"):
        profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
        user._cached_scope = profile.scope if profile is not None else None
    return user._cached_scope


def user_root(user) -> Organization | None:
    """The root committee above (or at) the user's scope: the one that issues plans."""
    scope = user_scope(user)
    if scope is None:
        return None
    if scope.parent_id is None:
        return scope
    root_id = scope.ancestor_ids()[0]
    return Organization.objects.get(pk=root_id)


def organizations_visible_to(user) -> QuerySet[Organization]:
    if getattr(user, "is_superuser", False):
        return Organization.objects.all()
    scope = user_scope(user)
    if scope is None:
        return Organization.objects.none()
    return Organization.objects.subtree(scope)


def cells_visible_to(user) -> QuerySet[Organization]:
    return organizations_visible_to(user).cells()


def members_visible_to(user) -> QuerySet[Member]:
    if getattr(user, "is_superuser", False):
        return Member.objects.all()
    scope = user_scope(user)
    if scope is None:
        return Member.objects.none()
    return Member.objects.filter(cell__path__startswith=scope.path)


def meetings_visible_to(user) -> QuerySet[Meeting]:
    if getattr(user, "is_superuser", False):
        return Meeting.objects.all()
    scope = user_scope(user)
    if scope is None:
        return Meeting.objects.none()
    return Meeting.objects.filter(cell__path__startswith=scope.path)


def schedules_visible_to(user) -> QuerySet[MeetingSchedule]:
    if getattr(user, "is_superuser", False):
        return MeetingSchedule.objects.all()
    scope = user_scope(user)
    if scope is None:
        return MeetingSchedule.objects.none()
    return MeetingSchedule.objects.filter(cell__path__startswith=scope.path)


def cell_types() -> QuerySet[CellType]:
    """Cell types are shared reference data, readable by every login."""
    return CellType.objects.select_related("group")


def cell_type_groups() -> QuerySet[CellTypeGroup]:
    return CellTypeGroup.objects.all()


def with_tree_counts(organizations: QuerySet[Organization]) -> QuerySet[Organization]:
    """Annotate each node with the cells and members in its subtree: two correlated subqueries.

    The subqueries match on the path prefix, so the count stays one query for the whole page.
    """
    prefix = OuterRef("path")
    cell_count = (
        Organization.objects.filter(kind=Organization.Kind.CELL, path__startswith=prefix)
        .order_by()
        .values(dummy=Value(1))
        .annotate(n=Count("pk"))
        .values("n")
    )
    member_count = (
        Member.objects.filter(cell__path__startswith=prefix)
        .order_by()
        .values(dummy=Value(1))
        .annotate(n=Count("pk"))
        .values("n")
    )
    return organizations.annotate(
        cell_count=Coalesce(Subquery(cell_count), 0),
        member_count=Coalesce(Subquery(member_count), 0),
        child_count=Count("children", filter=Q(children__isnull=False), distinct=True),
    )
