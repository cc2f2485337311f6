"""Reads of assignments, scoped to a user."""

from __future__ import annotations

from django.db.models import QuerySet

from assignments.models import Cadre
from cells.access.scope import scope_of
from core.names import search, search_words


def cadres_visible_to(user) -> QuerySet[Cadre]:
    """Cadres of the committees in the user's subtree."""
    return scope_of(user).filter(Cadre.objects.all(), "organization__path")


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


# --- Cadres that need the department's attention (the staff home page and the cadre list's filter) ----------
def cadres_behind_this_month(cadres: QuerySet[Cadre], today) -> QuerySet[Cadre]:
    """``cadres`` in an issued plan, not exempt, with no attended meeting yet in the month of ``today``:
    the same rule as the 20th's nudge (assignments.notifications.jobs.behind_cadres)."""
    from assignments.notifications.jobs import behind_cadres
    from assignments.notifications.periods import monthly_period

    return cadres.filter(pk__in=behind_cadres(monthly_period(today)).values("pk"))


# --- The cadre pickers (the visit form, the amendment's pair picker) ---------------------------------------
CADRES_MATCHING_LIMIT = 20


def cadres_matching(cadres: QuerySet[Cadre], text: str) -> QuerySet[Cadre]:
    """The first of ``cadres`` whose name, code or e-mail holds every word of ``text``, case and diacritics
    ignored, in Vietnamese order: a picker's results, never the whole list."""
    if not search_words(text):
        return cadres.none()
    return search(cadres, text).order_by("sort_key", "code")[:CADRES_MATCHING_LIMIT]
