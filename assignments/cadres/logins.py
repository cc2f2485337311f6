"""Logins for cadres: made by organization staff from the cadre's page, the plan page or the import.

A cadre's login holds the cadre role with the cadre's committee as its scope (as the demo and the
personas make them), is linked to the cadre (Cadre.user) and starts without a password: the invitation
e-mail (cells.logins.services) carries the one-time link that sets it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assignments.models import Cadre
from cells.access.roles import Role
from cells.logins.services import email_taken, login_create, username_for


def cadre_login_refusal(cadre: Cadre, *, fresh: bool = False) -> str:
    """Why the cadre cannot be invited, in words ("" when they can).

    Lists annotate ``email_in_use`` (plan_selectors) so a page of cadres asks no query per row; writes
    ask ``fresh``, since an invitation earlier in the same batch may have taken the address.
    """
    if cadre.user_id is not None:
        return _("already has a login")
    if not cadre.email:
        return _("no e-mail address")
    in_use = None if fresh else getattr(cadre, "email_in_use", None)
    if in_use if in_use is not None else email_taken(cadre.email):
        return _("another login already uses this e-mail address")
    return ""


@transaction.atomic
def cadre_login_create(*, cadre: Cadre, username: str = "") -> object:
    """Create the cadre's login, link it and send the invitation on commit."""
    refusal = cadre_login_refusal(cadre, fresh=True)
    if refusal:
        raise ValidationError(
            _("%(name)s cannot be invited: %(reason)s.") % {"name": cadre.full_name, "reason": refusal}
        )
    user = login_create(
        email=cadre.email,
        role=Role.CADRE,
        scope=cadre.organization,
        full_name=cadre.full_name,
        username=username or username_for(cadre.email, fallback=cadre.code),
    )
    cadre.user = user
    cadre.save(update_fields=["user"])
    return user


@dataclass
class InviteResult:
    invited: list[Cadre] = field(default_factory=list)
    skipped: list[tuple[Cadre, str]] = field(default_factory=list)  # (cadre, why)


@transaction.atomic
def cadres_invite(*, cadres: list[Cadre]) -> InviteResult:
    """Invite each cadre who can be; the others are reported with the reason, nothing fails."""
    result = InviteResult()
    for cadre in cadres:
        refusal = cadre_login_refusal(cadre, fresh=True)
        if refusal:
            result.skipped.append((cadre, refusal))
            continue
        cadre_login_create(cadre=cadre)
        result.invited.append(cadre)
    return result
