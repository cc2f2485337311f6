"""Where a login works: one organization's subtree."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cells.models.hierarchy import Organization


class UserProfile(models.Model):
    """Where a login works: one organization's subtree. The role is the user's group (cells.access.roles)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    scope = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="scoped_users", verbose_name=_("scope")
    )

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return f"{self.user} @ {self.scope.code}"
