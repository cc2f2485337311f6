"""Logins made in the app: created without a password, the person sets one through an invitation link.

The link is Django's password-reset link (default_token_generator): it works for PASSWORD_RESET_TIMEOUT
(three days) and only once, because setting the password changes the hash the token is made from.
Invitations are sent by a Celery task enqueued on commit, so a rolled-back creation sends nothing.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import partial

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from cells.access.roles import Role, role_group
from cells.models import Organization, UserProfile

logger = logging.getLogger(__name__)
USERNAME_MAX = 150
USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")


# --- Reads on one login ----------------------------------------------------------------------------------
class LoginState(StrEnum):
    INVITED = "invited"  # created, password not yet set
    NOT_SIGNED_IN = "not_signed_in"  # password set (e.g. by the command) but never signed in
    ACTIVE = "active"
    DEACTIVATED = "deactivated"


def login_state(user) -> LoginState:
    if not user.is_active:
        return LoginState.DEACTIVATED
    if user.last_login is not None:
        return LoginState.ACTIVE
    return LoginState.NOT_SIGNED_IN if user.has_usable_password() else LoginState.INVITED


def login_state_text(user) -> str:
    """The login's state in words, as the cadre and logins pages show it; None is "No login"."""
    if user is None:
        return _("No login")
    state = login_state(user)
    if state == LoginState.DEACTIVATED:
        return _("Deactivated")
    if state == LoginState.ACTIVE:
        last = timezone.localtime(user.last_login)
        return _("Active, last signed in %(when)s") % {"when": last.strftime("%d/%m/%Y %H:%M")}
    invited = timezone.localtime(user.date_joined).strftime("%d/%m/%Y")
    if state == LoginState.INVITED:
        return _("Invited on %(date)s, not yet signed in") % {"date": invited}
    return _("Created on %(date)s, not yet signed in") % {"date": invited}


def may_resend_invitation(user) -> bool:
    """Only a login whose password was never set gets another invitation."""
    return user.is_active and not user.has_usable_password() and bool(user.email)


def set_password_path(user) -> str:
    """The one-time link that sets the password (Django's reset confirmation, the project's pages)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


def set_password_url(user) -> str:
    return settings.SITE_URL + set_password_path(user)


# --- Writes ---------------------------------------------------------------------------------------------
def email_taken(email: str, *, exclude_pk: int | None = None) -> bool:
    users = get_user_model().objects.filter(email__iexact=email)
    if exclude_pk is not None:
        users = users.exclude(pk=exclude_pk)
    return users.exists()


def username_for(email: str, fallback: str = "") -> str:
    """The e-mail address as the username; the fallback (a cadre's code) or a number when taken."""
    User = get_user_model()
    candidates = [email.lower(), USERNAME_UNSAFE.sub("", fallback.lower())]
    for candidate in candidates:
        if (
            candidate
            and len(candidate) <= USERNAME_MAX
            and not User.objects.filter(username=candidate).exists()
        ):
            return candidate
    base = candidates[0][: USERNAME_MAX - 4]
    number = 2
    while User.objects.filter(username=f"{base}-{number}").exists():
        number += 1
    return f"{base}-{number}"


def _check_new_login(*, email: str, username: str) -> None:
    errors = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Not a valid e-mail address.")
    if "email" not in errors and email_taken(email):
        errors["email"] = _("Another login already uses this e-mail address.")
    if get_user_model().objects.filter(username=username).exists():
        errors["username"] = _("This username is already taken.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def login_create(
    *,
    email: str,
    role: Role,
    scope: Organization,
    full_name: str = "",
    username: str = "",
    invite: bool = True,
):
    """A login with one role in one subtree, without a usable password; the invitation goes on commit."""
    email = email.strip()
    username = username.strip() or username_for(email)
    _check_new_login(email=email, username=username)
    User = get_user_model()
    first, _sep, last = full_name.strip().rpartition(" ")
    user = User(username=username, email=email, first_name=first, last_name=last)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.add(role_group(role))
    UserProfile.objects.create(user=user, scope=scope)
    if invite:
        login_invite(user=user)
    return user


def login_invite(*, user) -> None:
    """Send (or send again) the invitation e-mail once the surrounding transaction commits."""
    if not may_resend_invitation(user):
        raise ValidationError(_("This login has already set a password or has no e-mail address."))
    transaction.on_commit(partial(_enqueue_invitation, user.pk))


def _enqueue_invitation(user_id: int) -> None:
    """Publish the task; a broker that is down must not turn a saved login into an error page (the
    state still reads "invited", and staff can send the invitation again)."""
    from cells.logins.tasks import send_login_invitation

    try:
        send_login_invitation.apply_async(args=[user_id], retry=False)
    except (OperationalError, OSError):
        logger.exception("invitation of login %s not enqueued", user_id)


def invitation_send(*, user_id: int) -> bool:
    """The e-mail itself, in the default language (Vietnamese): called by the task. False if moot."""
    user = get_user_model().objects.filter(pk=user_id).select_related("profile__scope").first()
    if user is None or not may_resend_invitation(user):
        return False  # the password was set meanwhile, or the login is gone: nothing to invite to
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "name": user.get_full_name() or user.get_username(),
            "username": user.get_username(),
            "link": set_password_url(user),
            "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
            "site": settings.SITE_URL,
            "scope": getattr(getattr(user, "profile", None), "scope", None),
        }
        subject = render_to_string("registration/invitation_subject.txt", context).strip()
        body = render_to_string("registration/invitation_email.txt", context)
    send_mail(subject, body, None, [user.email])
    return True


@dataclass(frozen=True)
class LoginChange:
    user: object
    sessions_ended: int = 0


@transaction.atomic
def login_deactivate(*, user, by) -> LoginChange:
    """Stop a login at once: it cannot sign in, its open sessions end, its calendar feed answers 404."""
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own login."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    return LoginChange(user=user, sessions_ended=sessions_end(user))


def login_reactivate(*, user) -> LoginChange:
    user.is_active = True
    user.save(update_fields=["is_active"])
    return LoginChange(user=user)


def sessions_end(user, now: datetime | None = None) -> int:
    """Delete the user's database sessions (the session table has no user column: each is decoded).

    Deactivation is rare and the table holds only unexpired sessions worth reading, so a scan is fine;
    Django's auth middleware also refuses an inactive user's session on its own.
    """
    now = now or timezone.now()
    mine = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=now).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(pk__in=mine).delete()
    return len(mine)


@transaction.atomic
def user_create(*, username: str, password: str, role: Role, scope: Organization, full_name: str = ""):
    """A login with one role inside one subtree."""
    User = get_user_model()
    first, _sep, last = full_name.rpartition(" ")
    user = User.objects.create_user(username=username, password=password, first_name=first, last_name=last)
    user.groups.add(role_group(role))
    UserProfile.objects.create(user=user, scope=scope)
    return user
