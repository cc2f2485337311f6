"""Role checks for views. Visibility (404) comes from the selectors; these decide write rights (403)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Organization
from .roles import Role, user_role
from .selectors import user_scope

STAFF = (Role.ORGANIZATION_STAFF,)
OFFICE = (Role.ORGANIZATION_STAFF, Role.LEADERSHIP)
HIERARCHY_READERS = (Role.ORGANIZATION_STAFF, Role.LEADERSHIP, Role.GRASSROOTS_STAFF)
MEETING_EDITORS = (Role.ORGANIZATION_STAFF, Role.GRASSROOTS_STAFF)


def holds_role(user, roles: tuple[Role, ...]) -> bool:
    """The user holds one of ``roles`` (superusers hold every role)."""
    return bool(user.is_superuser or user_role(user) in roles)


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
