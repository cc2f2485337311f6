"""Who sees what: the one rule behind every ``*_visible_to`` selector.

A superuser sees everything; any other login sees the subtree of its profile's scope; a login
without a scope (and an anonymous visitor) sees nothing. A selector that narrows further by role
(a cadre's own visits, the office's notes) does so on top of this rule, with ``Scope.role``.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Q,
    QuerySet,
)

from cells.models import Organization

if TYPE_CHECKING:
    from cells.access.roles import Role


def sees_everything(user) -> bool:
    """A superuser sees every organization and holds every role."""
    return bool(getattr(user, "is_superuser", False))


def user_scope(user) -> Organization | None:
    """The top of the user's subtree: their profile's scope (cached on the user for the request)."""
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


class Scope:
    """What one user may see: everything, the subtree under ``top``, or (no top) nothing.

    ``top`` is read on first use, so a role check alone costs no profile query.
    """

    def __init__(self, user: Any) -> None:
        self.user = user
        self.everything = sees_everything(user)

    @cached_property
    def top(self) -> Organization | None:
        return None if self.everything else user_scope(self.user)

    @property
    def path(self) -> str | None:
        return self.top.path if self.top is not None else None

    @property
    def role(self) -> Role | None:
        from cells.access.roles import user_role

        return user_role(self.user)

    @property
    def is_office(self) -> bool:
        """Organization staff or leadership (the office that plans, reviews and reports)."""
        from cells.access.roles import OFFICE

        return self.role in OFFICE

    def holds(self, roles: tuple[Role, ...]) -> bool:
        """The user holds one of ``roles`` (a superuser holds every role)."""
        return self.everything or self.role in roles

    def under(self, path_field: str = "path") -> Q:
        """Rows whose ``path_field`` lies in the subtree (the caller has checked ``top``)."""
        return Q(**{f"{path_field}__startswith": self.top.path})

    def contains(self, organization: Organization) -> bool:
        """Whether ``organization`` lies inside what the user sees."""
        if self.everything:
            return True
        return self.top is not None and organization.path.startswith(self.top.path)

    def filter(self, queryset: QuerySet, path_field: str = "path") -> QuerySet:
        """``queryset`` cut to what the user sees: all of it, the subtree's rows, or none."""
        if self.everything:
            return queryset
        if self.top is None:
            return queryset.none()
        return queryset.filter(self.under(path_field))


def scope_of(user) -> Scope:
    return Scope(user)


def organizations_visible_to(user) -> QuerySet[Organization]:
    scope = scope_of(user)
    if scope.top is not None:
        return Organization.objects.subtree(scope.top)
    return scope.filter(Organization.objects.all())


def cells_visible_to(user) -> QuerySet[Organization]:
    return organizations_visible_to(user).cells()


def committees_visible_to(user) -> QuerySet[Organization]:
    return organizations_visible_to(user).committees()
