"""The four roles a login can hold. Each is a Django group, created by a data migration."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


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


def user_has_role(user, *roles: Role) -> bool:
    return user_role(user) in roles
