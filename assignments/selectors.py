"""Reads of assignments, scoped to a user."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, Q, QuerySet

from cells.names import search, search_words
from cells.roles import Role, user_role
from cells.selectors import user_scope

from .models import Assignment, AssignmentPlan, Cadre, Notification, Visit


def cadres_visible_to(user) -> QuerySet[Cadre]:
    """Cadres of the committees in the user's subtree."""
    if getattr(user, "is_superuser", False):
        return Cadre.objects.all()
    scope = user_scope(user)
    if scope is None:
        return Cadre.objects.none()
    return Cadre.objects.filter(organization__path__startswith=scope.path)


# --- Plans, assignments and visits -----------------------------------------------------------------
# Visits are confidential: only organization staff and leadership of the subtree, and the visiting cadre
# himself, ever get a Visit row. Grassroots staff get the issued plans' assignments of their cells (the
# notice is published) and nothing of visits.


def cadre_of(user) -> Cadre | None:
    """The Cadre record linked to a login, if any (cached on the user for the request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_cached_cadre"):
        user._cached_cadre = Cadre.objects.filter(user=user).first()
    return user._cached_cadre


def _is_office(user) -> bool:
    return user_role(user) in (Role.ORGANIZATION_STAFF, Role.LEADERSHIP)


def plans_visible_to(user) -> QuerySet[AssignmentPlan]:
    """Staff and leadership: every plan of a root in their subtree. Others: issued plans above them."""
    if getattr(user, "is_superuser", False):
        return AssignmentPlan.objects.all()
    scope = user_scope(user)
    if scope is None:
        return AssignmentPlan.objects.none()
    if _is_office(user):
        return AssignmentPlan.objects.filter(root__path__startswith=scope.path)
    above_or_at = [*scope.ancestor_ids(), scope.pk]
    issued = AssignmentPlan.objects.filter(status=AssignmentPlan.Status.ISSUED, root_id__in=above_or_at)
    if user_role(user) == Role.CADRE:
        return issued.filter(assignments__cadre__user=user).distinct()
    return issued


def assignments_visible_to(user) -> QuerySet[Assignment]:
    """Staff and leadership: assignments of their plans. A cadre: their own, in issued plans.
    Grassroots staff: the issued plans' assignments of the cells in their subtree (the published notice)."""
    if getattr(user, "is_superuser", False):
        return Assignment.objects.all()
    scope = user_scope(user)
    if scope is None:
        return Assignment.objects.none()
    if _is_office(user):
        return Assignment.objects.filter(plan__root__path__startswith=scope.path)
    issued = Assignment.objects.filter(plan__status=AssignmentPlan.Status.ISSUED)
    role = user_role(user)
    if role == Role.CADRE:
        return issued.filter(cadre__user=user)
    if role == Role.GRASSROOTS_STAFF:
        return issued.filter(cell__path__startswith=scope.path)
    return Assignment.objects.none()


def visits_visible_to(user) -> QuerySet[Visit]:
    """Staff and leadership: visits to cells of their subtree. A cadre: their own. Nobody else: none."""
    if getattr(user, "is_superuser", False):
        return Visit.objects.all()
    scope = user_scope(user)
    if scope is None:
        return Visit.objects.none()
    if _is_office(user):
        return Visit.objects.filter(cell__path__startswith=scope.path)
    if user_role(user) == Role.CADRE:
        return Visit.objects.filter(cadre__user=user)
    return Visit.objects.none()


def notifications_of(user) -> QuerySet[Notification]:
    """The user's own notices and those of the cadre record linked to their login, including the ones
    written before the login existed. A grassroots login never reads a cadre's notices (they may speak
    of a planned visit), and a deactivated one reads nothing."""
    if not user.is_authenticated or not user.is_active:
        return Notification.objects.none()
    # In the same query (the unread badge counts it on every page): not for a grassroots login.
    grassroots = get_user_model().groups.through.objects.filter(
        user_id=user.pk, group__name=Role.GRASSROOTS_STAFF
    )
    # A cadre's notice belongs to the cadre record, whichever login it named when written: a login no longer
    # linked to the cadre (or turned into a grassroots one) stops reading it.
    own = Q(recipient=user, cadre__isnull=True)
    return Notification.objects.filter(own | (Q(cadre__user=user) & ~Exists(grassroots)))


# --- Cadres that need the department's attention (the staff home page and the cadre list's filter) ----------
def cadres_behind_this_month(cadres: QuerySet[Cadre], today) -> QuerySet[Cadre]:
    """``cadres`` in an issued plan, not exempt, with no attended meeting yet in the month of ``today``:
    the same rule as the 20th's nudge (assignments.reminder_jobs.behind_cadres)."""
    from .periods import monthly_period
    from .reminder_jobs import behind_cadres

    return cadres.filter(pk__in=behind_cadres(monthly_period(today)).values("pk"))


# --- The cadre pickers (the visit form, the amendment's pair picker) ---------------------------------------
CADRES_MATCHING_LIMIT = 20


def cadres_matching(cadres: QuerySet[Cadre], text: str) -> QuerySet[Cadre]:
    """The first of ``cadres`` whose name, code or e-mail holds every word of ``text``, case and diacritics
    ignored, in Vietnamese order: a picker's results, never the whole list."""
    if not search_words(text):
        return cadres.none()
    return search(cadres, text).order_by("sort_key", "code")[:CADRES_MATCHING_LIMIT]
