"""A cadre's months of a year: the one rule the cadre's own page, the compliance grid, the evaluation sheet
and the monthly e-mail's record all count by (reports import it from here; nothing here imports reports).

The rule, for a cadre C, a year Y, as on day T (the project's local date):

- C's *assignment*: C is assigned to at least one cell in an *issued* plan of year Y. The months before the
  month that plan was issued (its ``issued_on``, when it falls in Y) are *outside the assignment*, and so is
  every month of a cadre in no issued plan of Y (a draft requires nothing): shown, never counted.
- A visit *counts* for a month when it is attended, its meeting's date falls in that month, and its cell lies
  in the subtree of the committee that issued that plan (a visit elsewhere is another committee's business).
- Every month inside the assignment is, in this order of precedence:
  *exempt*        staff exempted it (CadreExemption), whatever was attended: it counts neither way;
  *attended*      at least one visit counts: compliant and required. The current month counts as soon as it
                  is attended, so a cadre's record never waits for the month's end to show a meeting;
  *not attended*  the month has ended (T is after its last day) and no visit counts: required, not
                  compliant;
  *to come*       it has not ended and no visit counts yet (the current month and the months after it): it
                  counts neither way. The cadre's own page says *planned* when a visit is planned in it.
- *Months compliant* = attended months; *months required* (so far) = attended + not attended months.

Three queries whatever the number of cadres: the counted visits grouped by cadre and month, the exempt
months, and the month each cadre's assignment begins.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Min, Q
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext_lazy as _

from assignments.models import Assignment, AssignmentPlan, CadreExemption, Visit
from core.dates import DateRange, month_last

MONTHS = range(1, 13)


class MonthState:
    """What a month is for a cadre (plain strings: templates compare ``month.state`` with them)."""

    do_not_call_in_templates = True  # a class handed to a template is read, never called

    ATTENDED = "attended"
    MISSED = "missed"
    EXEMPT = "exempt"
    PENDING = "pending"
    OUTSIDE = "outside"
    # Shown on the cadre's own page only: a month still to come with a visit planned in it.
    PLANNED = "planned"
    LABELS = {
        ATTENDED: _("Attended"),
        MISSED: _("Not attended"),
        EXEMPT: _("Exempt"),
        PENDING: _("To come"),
        OUTSIDE: _("Not assigned"),
        PLANNED: _("Planned"),
    }
    # Bootstrap icon and text colour of each state; the label is always there too (never colour alone).
    ICONS = {
        ATTENDED: ("bi-check-circle-fill", "text-success"),
        MISSED: ("bi-x-circle-fill", "text-danger"),
        EXEMPT: ("bi-dash-circle", "text-secondary"),
        PENDING: ("bi-hourglass", "text-muted"),
        OUTSIDE: ("bi-slash-circle", "text-muted"),
        PLANNED: ("bi-calendar-check", "text-primary"),
    }


# The current month, not attended yet: it is not over, so it does not count yet.
CURRENT_PENDING_LABEL = _("Not over yet")


@dataclass
class Month:
    cadre_id: int
    year: int
    number: int
    state: str
    visits: int = 0  # visits that count in the month
    planned: int = 0  # planned visits in the month (the cadre's own page shows them)
    exemption_reason: str = ""
    is_current: bool = False
    visits_url: str = ""  # set by the pages that link each month to its visits

    @property
    def shown_state(self) -> str:
        """The state with *planned* for a month still to come that has a visit planned in it."""
        if self.state == MonthState.PENDING and self.planned:
            return MonthState.PLANNED
        return self.state

    @property
    def label(self) -> str:
        if self.state == MonthState.PENDING and self.is_current:
            return str(CURRENT_PENDING_LABEL)
        return str(MonthState.LABELS[self.state])

    @property
    def shown_label(self) -> str:
        """The label on the cadre's own page (with *planned*)."""
        if self.shown_state == MonthState.PLANNED:
            return str(MonthState.LABELS[MonthState.PLANNED])
        return self.label

    @property
    def icon(self) -> str:
        return MonthState.ICONS[self.state][0]

    @property
    def colour(self) -> str:
        return MonthState.ICONS[self.state][1]


@dataclass
class CadreMonths:
    """One cadre's twelve months of the year and what they add up to."""

    cadre_id: int
    year: int
    months: list[Month] = field(default_factory=list)

    def _count(self, state: str) -> int:
        return sum(1 for month in self.months if month.state == state)

    @property
    def attended_months(self) -> int:
        return self._count(MonthState.ATTENDED)

    @property
    def missed_months(self) -> int:
        return self._count(MonthState.MISSED)

    @property
    def exempt_months(self) -> int:
        return self._count(MonthState.EXEMPT)

    @property
    def pending_months(self) -> int:
        return self._count(MonthState.PENDING)

    @property
    def compliant_months(self) -> int:
        return self.attended_months

    @property
    def required_months(self) -> int:
        return self.attended_months + self.missed_months

    @property
    def exempt_numbers(self) -> list[int]:
        return [month.number for month in self.months if month.state == MonthState.EXEMPT]

    @property
    def is_behind(self) -> bool:
        return self.missed_months > 0


def month_over(year: int, month: int, today: date) -> bool:
    """The month has ended: today is after its last day."""
    return today > month_last(year, month)


def month_state(*, attended: int, exempt: bool, over: bool, inside: bool) -> str:
    if not inside:
        return MonthState.OUTSIDE
    if exempt:
        return MonthState.EXEMPT
    if attended:
        return MonthState.ATTENDED
    return MonthState.MISSED if over else MonthState.PENDING


def cadre_months(cadre_ids: Iterable[int], year: int, today: date) -> dict[int, CadreMonths]:
    """Each cadre's months of ``year`` as on ``today`` (see the module docstring): three queries, for one
    cadre or a page of many."""
    ids = list(cadre_ids)
    if not ids:
        return {}
    visits = _visits_by_month(ids, year)
    exempt = _exemptions(ids, year)
    starts = _assignment_starts(ids, year)
    return {
        cadre_id: _months_of(cadre_id, year, today, starts.get(cadre_id, 13), visits, exempt)
        for cadre_id in ids
    }


def months_of_cadre(cadre_id: int, year: int, today: date) -> CadreMonths:
    return cadre_months([cadre_id], year, today)[cadre_id]


def _months_of(cadre_id, year, today, start, visits, exempt) -> CadreMonths:
    row = CadreMonths(cadre_id=cadre_id, year=year)
    for number in MONTHS:
        attended, planned = visits.get((cadre_id, number), (0, 0))
        reason = exempt.get((cadre_id, number), "")
        state = month_state(
            attended=attended,
            exempt=bool(reason),
            over=month_over(year, number, today),
            inside=number >= start,
        )
        current = (today.year, today.month) == (year, number)
        row.months.append(Month(cadre_id, year, number, state, attended, planned, reason, current))
    return row


def _visits_by_month(ids, year: int) -> dict[tuple[int, int], tuple[int, int]]:
    """(cadre, month) → (attended visits that count, planned visits), one grouped query."""
    # One join to the cadre's issued assignments of the year: the visit's cell must lie under the
    # committee that issued that plan; distinct counts undo the join's repetition.
    days = DateRange.year(year)
    in_plan = Q(
        cadre__assignments__plan__status=AssignmentPlan.Status.ISSUED,
        cadre__assignments__plan__year=year,
        cell__path__startswith=F("cadre__assignments__plan__root__path"),
    )
    rows = (
        Visit.objects.filter(
            cadre_id__in=ids,
            status__in=[Visit.Status.ATTENDED, Visit.Status.PLANNED],
            meeting_date__gte=days.start,
            meeting_date__lte=days.end,
        )
        .filter(in_plan)
        .annotate(month=ExtractMonth("meeting_date"))
        .order_by()
        .values("cadre_id", "month")
        .annotate(
            attended=Count("pk", filter=Q(status=Visit.Status.ATTENDED), distinct=True),
            planned=Count("pk", filter=Q(status=Visit.Status.PLANNED), distinct=True),
        )
    )
    return {(row["cadre_id"], row["month"]): (row["attended"], row["planned"]) for row in rows}


def _exemptions(ids, year: int) -> dict[tuple[int, int], str]:
    """(cadre, month) → the reason's label."""
    rows = CadreExemption.objects.filter(year=year, cadre_id__in=ids)
    labels = dict(CadreExemption.Reason.choices)
    return {
        (cadre_id, month): str(labels.get(reason, reason))
        for cadre_id, month, reason in rows.values_list("cadre_id", "month", "reason")
    }


def _assignment_starts(ids, year: int) -> dict[int, int]:
    """Cadre → the first month their assignment in an issued plan of ``year`` covers (13: none)."""
    rows = (
        Assignment.objects.filter(
            cadre_id__in=ids, plan__status=AssignmentPlan.Status.ISSUED, plan__year=year
        )
        .order_by()
        .values("cadre_id")
        .annotate(issued=Min("plan__issued_on"))
    )
    return {row["cadre_id"]: _first_month(row["issued"], year) for row in rows}


def _first_month(issued: date | None, year: int) -> int:
    if issued is None or issued.year < year:
        return 1
    return issued.month if issued.year == year else 13
