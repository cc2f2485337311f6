"""Reads of cadres, scoped to a user, and the cadre facts other features count on: who is in an issued
plan, who is exempt, who has not attended a meeting yet this month."""

from __future__ import annotations

import calendar
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet

from assignments.models import (
    Assignment,
    AssignmentPlan,
    Cadre,
    CadreExemption,
    Visit,
)
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
    the same rule as the 20th's nudge (:func:`behind_cadres`)."""
    first = today.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return cadres.filter(pk__in=behind_cadres(first, last).values("pk"))


# --- The cadre pickers (the visit form, the amendment's pair picker) ---------------------------------------
CADRES_MATCHING_LIMIT = 20


def cadres_matching(cadres: QuerySet[Cadre], text: str) -> QuerySet[Cadre]:
    """The first of ``cadres`` whose name, code or e-mail holds every word of ``text``, case and diacritics
    ignored, in Vietnamese order: a picker's results, never the whole list."""
    if not search_words(text):
        return cadres.none()
    return search(cadres, text).order_by("sort_key", "code")[:CADRES_MATCHING_LIMIT]


def planned_cadres(year: int) -> QuerySet[Cadre]:
    """Cadres assigned to a cell in an issued plan of ``year`` (with or without a login)."""
    in_plan = Assignment.objects.filter(
        cadre=OuterRef("pk"), plan__status=AssignmentPlan.Status.ISSUED, plan__year=year
    )
    return Cadre.objects.filter(Exists(in_plan))


def not_exempt(queryset: QuerySet[Cadre], year: int, month: int) -> QuerySet[Cadre]:
    exempt = CadreExemption.objects.filter(cadre=OuterRef("pk"), year=year, month=month)
    return queryset.exclude(Exists(exempt))


# --- The 20th: cadres with no attended meeting yet, and the staff's list of them --------------------------
def behind_cadres(first: date, last: date) -> QuerySet[Cadre]:
    """Cadres in an issued plan, not exempt in the month ``first``–``last``, with no attended visit in it."""
    year, month = first.year, first.month
    attended = Visit.objects.attended().filter(cadre=OuterRef("pk"), meeting_date__range=(first, last))
    return not_exempt(planned_cadres(year), year, month).exclude(Exists(attended))
