"""Who receives which notice, decided in SQL, with the language and e-mail choice of each recipient.

Every cadre receives their notices, login or not: by e-mail at the cadre's address (Cadre's manager holds
the rule), and in the app once a login is linked to them. A cadre without a login reads in the site's
language and gets every e-mail (they have no preferences to set).

Grassroots users never receive any kind: they are on the cell's side, and a notice about a cell's
meetings sent to an assigned cadre could otherwise reach them (a grassroots login linked to a cadre
record). A cadre whose login was deactivated has left: they receive nothing, not even the e-mail, and
inactive staff logins receive nothing either.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import BooleanField, CharField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from assignments.models import HAS_EMAIL, Cadre
from assignments.notifications.outbox import EMAIL_PREFERENCE
from cells.access.roles import Role


def _in_group(role: Role, user_ref: str) -> Exists:
    memberships = get_user_model().groups.through.objects.filter(user_id=OuterRef(user_ref), group__name=role)
    return Exists(memberships)


def reachable(queryset: QuerySet, user_field: str) -> QuerySet:
    """Rows whose login (``user_field``, e.g. "user" on Cadre, "" on User) may receive notices."""
    prefix = f"{user_field}__" if user_field else ""
    user_ref = f"{user_field}_id" if user_field else "pk"
    return queryset.filter(**{f"{prefix}is_active": True}).exclude(_in_group(Role.GRASSROOTS_STAFF, user_ref))


def with_choices(queryset: QuerySet, user_field: str, kind: str) -> QuerySet:
    """Annotate ``lang`` (the notices' language) and ``wants_email`` (for ``kind``) from the preferences."""
    prefix = f"{user_field}__" if user_field else ""
    preference = f"{prefix}notification_preference__"
    field = EMAIL_PREFERENCE.get(kind)
    wants_email = (
        Coalesce(f"{preference}{field}", Value(True), output_field=BooleanField())
        if field
        else Value(True, output_field=BooleanField())
    )
    return queryset.annotate(
        lang=Coalesce(f"{preference}language", Value(settings.LANGUAGE_CODE), output_field=CharField()),
        wants_email=wants_email,
    )


def cadres_to_notify(queryset: QuerySet[Cadre], kind: str) -> QuerySet[Cadre]:
    """The cadres of ``queryset`` that may receive ``kind`` (no login, or an active non-grassroots one),
    with their choices."""
    allowed = queryset.filter(Q(user__isnull=True) | Q(user__is_active=True))
    allowed = allowed.exclude(_in_group(Role.GRASSROOTS_STAFF, "user_id"))  # no login: no membership
    allowed = allowed.annotate(has_email=ExpressionWrapper(HAS_EMAIL, output_field=BooleanField()))
    return with_choices(allowed, "user", kind)


def staff_to_notify(kind: str) -> QuerySet:
    """Organization staff logins with a scope: ``scope_path`` annotated, with their choices."""
    staff = get_user_model().objects.filter(_in_group(Role.ORGANIZATION_STAFF, "pk"), profile__isnull=False)
    staff = with_choices(reachable(staff, ""), "", kind)
    return staff.annotate(scope_path=Coalesce("profile__scope__path", Value(""))).order_by("pk")
