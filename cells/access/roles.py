"""The four roles a login can hold (each a Django group, created by a data migration), and the role checks
of views: visibility (404) comes from the selectors; these decide write rights (403)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from cells.access.scope import sees_everything, user_scope
from cells.models import Organization


class Role(models.TextChoices):
    ORGANIZATION_STAFF = "organization_staff", _("Organization staff")
    LEADERSHIP = "leadership", _("Leadership")
    CADRE = "cadre", _("Cadre")
    GRASSROOTS_STAFF = "grassroots_staff", _("Grassroots staff")


def role_group(role: Role) -> Group:
    """The group of a role (created when missing: tests that flush the database lose migration data)."""
    group, _created = Group.objects.get_or_create(name=role.value)
    return group


def user_role(user) -> Role | None:
    """The role a user holds; cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_cached_role"):
        names = set(user.groups.values_list("name", flat=True))
        user._cached_role = next((role for role in Role if role.value in names), None)
    return user._cached_role


STAFF = (Role.ORGANIZATION_STAFF,)
OFFICE = (Role.ORGANIZATION_STAFF, Role.LEADERSHIP)
HIERARCHY_READERS = (Role.ORGANIZATION_STAFF, Role.LEADERSHIP, Role.GRASSROOTS_STAFF)
MEETING_EDITORS = (Role.ORGANIZATION_STAFF, Role.GRASSROOTS_STAFF)


def holds_role(user, roles: tuple[Role, ...]) -> bool:
    """The user holds one of ``roles`` (superusers hold every role)."""
    return sees_everything(user) or user_role(user) in roles


def is_staff(user) -> bool:
    return holds_role(user, STAFF)


def role_required(*roles: Role) -> Callable:
    """Logged in and holding one of ``roles`` (superusers pass), else 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not holds_role(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def scope_or_404(user) -> Organization:
    """The top of the user's subtree; a login without a scope has no figures to see (404)."""
    root = user_scope(user)
    if root is None:
        raise Http404(_("Your login has no organization scope."))
    return root
