"""Reads of logins: organization staff see the logins whose scope lies in their subtree, nobody else."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import (
    Q,
    QuerySet,
)

from cells.access.scope import scope_of
from core.names import search_text


def logins_visible_to(user) -> QuerySet:
    """Logins scoped inside the user's subtree (a login without a scope is the admin's business)."""
    User = get_user_model()
    logins = User.objects.filter(profile__isnull=False)
    scope = scope_of(user)
    if scope.everything:
        return logins
    # Administrators' accounts are not the department's to manage.
    return scope.filter(logins, "profile__scope__path").filter(is_superuser=False)


def logins_for_list(user, query: str = "") -> QuerySet:
    """The logins page: searched by username, name or e-mail, with role and scope in the same query."""
    logins = logins_visible_to(user).select_related("profile__scope").prefetch_related("groups")
    for word in query.split():
        logins = logins.filter(
            Q(username__icontains=word)
            | Q(email__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            # The scope by its code or name, case and diacritics ignored ("tan xuan").
            | Q(profile__scope__search_text__contains=search_text(word))
        )
    return logins.order_by("username")


def users_visible_to(user) -> QuerySet:
    """Logins working inside the user's subtree (a superuser sees every login)."""
    return scope_of(user).filter(get_user_model().objects.all(), "profile__scope__path")
