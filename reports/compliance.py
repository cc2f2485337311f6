"""Cadre compliance: did each cadre of the year's plan attend a cell meeting every month, and the yearly
evaluation sheet built on it (scored by reports.evaluation).

Definitions (issue "Cadre compliance and evaluation"):
- the cadres are those assigned in the root's plan of the year (``coverage.plans_for``: the issued plan,
  else the latest draft);
- a month is *attended* when the cadre has at least one attended visit with a meeting date in it, to a cell
  of the root's subtree (visits elsewhere are another root's business); *exempt* when staff exempted it
  (CadreExemption), whatever was attended; *pending* while it has not ended and nothing was attended yet
  (the current month fails only once it is over); *missed* otherwise;
- rules of the year: ≥ 1 attendance in every non-exempt month that has ended; cells of ≥ 2 types attended;
  notes submitted on time: the first submission's day (in the project's time zone) is at most
  NOTE_DUE_DAYS after the meeting. A returned note that is resubmitted keeps its first submission: the
  cadre handed it in on time, corrections are the review's cycle. A note not submitted by its deadline is
  late; one whose deadline has not passed yet is not counted either way.

Everything is grouped in SQL: the grid is three queries and the sheet five, whatever the number of cadres
and visits; Python only lays the grouped rows out.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Count, DateField, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce, ExtractMonth, TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assignments.models import Assignment, Cadre, CadreExemption, Escalation, NoteRound, Visit
from assignments.note_models import NOTE_DUE_DAYS
from assignments.selectors import cadres_visible_to
from cells import names
from cells.models import Organization

from . import evaluation
from .coverage import Period, plans_for

MONTHS = range(1, 13)


class MonthState:
    ATTENDED = "attended"
    MISSED = "missed"
    EXEMPT = "exempt"
    PENDING = "pending"
    LABELS = {
        ATTENDED: _("Attended"),
        MISSED: _("Not attended"),
        EXEMPT: _("Exempt"),
        PENDING: _("Not over yet"),
    }
    # Bootstrap icon and text colour of each state; the label is always there too (never colour alone).
    ICONS = {
        ATTENDED: ("bi-check-circle-fill", "text-success"),
        MISSED: ("bi-x-circle-fill", "text-danger"),
        EXEMPT: ("bi-dash-circle", "text-secondary"),
        PENDING: ("bi-hourglass", "text-muted"),
    }


# --- The rows -------------------------------------------------------------------------------------------
@dataclass
class Month:
    cadre_id: int
    year: int
    number: int
    state: str
    visits: int = 0  # attended visits of the month in the subtree
    exemption_reason: str = ""

    @property
    def label(self) -> str:
        return str(MonthState.LABELS[self.state])

    @property
    def icon(self) -> str:
        return MonthState.ICONS[self.state][0]

    @property
    def colour(self) -> str:
        return MonthState.ICONS[self.state][1]

    @property
    def visits_url(self) -> str:
        """The visit list of this cadre in this month (every status: planned and missed visits too)."""
        return visits_url(self.cadre_id, Period.month(self.year, self.number))


@dataclass
class CadreYear:
    """One cadre's twelve months of the year."""

    cadre: Cadre
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
        """Months that count: not exempt, and over (or already attended)."""
        return self.attended_months + self.missed_months

    @property
    def is_behind(self) -> bool:
        return self.missed_months > 0


@dataclass
class CadreSheet:
    """One line of the yearly evaluation sheet."""

    months: CadreYear
    cells: int = 0
    types: int = 0
    visits: int = 0  # attended visits of the year in the subtree
    notes_due: int = 0
    notes_on_time: int = 0
    proposals: int = 0  # submitted notes with follow-up proposals
    escalations: int = 0
    score: evaluation.Score = field(init=False)

    def __post_init__(self) -> None:
        self.rescore()

    def rescore(self) -> None:
        self.score = evaluation.score(
            compliant_months=self.months.compliant_months,
            required_months=self.months.required_months,
            types=self.types,
            notes_on_time=self.notes_on_time,
            notes_due=self.notes_due,
            contributions=self.escalations + self.proposals,
        )

    @property
    def cadre(self) -> Cadre:
        return self.months.cadre

    @property
    def notes_waiting(self) -> int:
        """Attended visits whose note is neither submitted nor past its deadline yet."""
        return self.visits - self.notes_due

    @property
    def notes_late(self) -> int:
        return self.notes_due - self.notes_on_time

    @property
    def meets_types_rule(self) -> bool:
        return self.types >= evaluation.TYPES_REQUIRED

    @property
    def is_commendable(self) -> bool:
        """Every required month attended (at least one), and every note due handed in on time."""
        months = self.months
        return months.required_months > 0 and months.missed_months == 0 and self.notes_late == 0


# --- Who and which visits -------------------------------------------------------------------------------
def plan_cadres(root: Organization, year: int) -> QuerySet[Cadre]:
    """The cadres assigned in the year's plan to cells of the root's subtree, by name."""
    assigned = Assignment.objects.filter(
        plan_id__in=plans_for(root, Period.year(year)), cell__path__startswith=root.path
    ).values("cadre_id")
    return Cadre.objects.filter(pk__in=assigned).order_by("sort_key", "code")


def _search(cadres: QuerySet[Cadre], search: str) -> QuerySet[Cadre]:
    return names.search(cadres, search)


def attended_visits(root: Organization, year: int, cadres: QuerySet[Cadre]) -> QuerySet[Visit]:
    """The attended visits of the year to cells of the root's subtree, by the given cadres."""
    period = Period.year(year)
    return Visit.objects.filter(
        status=Visit.Status.ATTENDED,
        meeting_date__gte=period.start,
        meeting_date__lte=period.end,
        cell__path__startswith=root.path,
        cadre_id__in=cadres.values("pk"),
    )


def visits_url(cadre_id: int, period: Period) -> str:
    query = {"cadre": cadre_id, "date_from": period.start.isoformat(), "date_to": period.end.isoformat()}
    return f"{reverse('assignments:visit_list')}?{urlencode(query)}"


# --- The grid -------------------------------------------------------------------------------------------
def month_over(year: int, month: int, today: date) -> bool:
    """The month has ended: today is after its last day."""
    return today > date(year, month, calendar.monthrange(year, month)[1])


def _state(attended: int, exempt: bool, over: bool) -> str:
    if exempt:
        return MonthState.EXEMPT
    if attended:
        return MonthState.ATTENDED
    return MonthState.MISSED if over else MonthState.PENDING


def cadre_years(
    *, root: Organization, year: int, today: date, search: str = "", behind_only: bool = False
) -> list[CadreYear]:
    """Each plan cadre's twelve months (three queries: cadres, attended visits by month, exemptions)."""
    cadres = _search(plan_cadres(root, year), search)
    rows = [CadreYear(cadre=cadre, year=year) for cadre in cadres]
    visits = _visits_by_month(root, year, cadres)
    exempt = _exemptions(year, cadres)
    for row in rows:
        key = row.cadre.pk
        for number in MONTHS:
            reason = exempt.get((key, number), "")
            count = visits.get((key, number), 0)
            state = _state(count, bool(reason), month_over(year, number, today))
            row.months.append(Month(key, year, number, state, count, reason))
    return [row for row in rows if row.is_behind] if behind_only else rows


def _visits_by_month(root: Organization, year: int, cadres: QuerySet[Cadre]) -> dict[tuple[int, int], int]:
    grouped = (
        attended_visits(root, year, cadres)
        .annotate(month=ExtractMonth("meeting_date"))
        .order_by()
        .values("cadre_id", "month")
        .annotate(visits=Count("pk"))
    )
    return {(line["cadre_id"], line["month"]): line["visits"] for line in grouped}


def _exemptions(year: int, cadres: QuerySet[Cadre]) -> dict[tuple[int, int], str]:
    """(cadre, month) → the reason's label."""
    rows = CadreExemption.objects.filter(year=year, cadre_id__in=cadres.values("pk"))
    labels = dict(CadreExemption.Reason.choices)
    return {
        (cadre_id, month): str(labels.get(reason, reason))
        for cadre_id, month, reason in rows.values_list("cadre_id", "month", "reason")
    }


# --- The evaluation sheet -------------------------------------------------------------------------------
def evaluation_sheet(*, root: Organization, year: int, today: date, search: str = "") -> list[CadreSheet]:
    """The yearly sheet, one line per plan cadre (five queries: the grid's three, the visits' yearly
    figures with their notes, and the escalations)."""
    cadres = _search(plan_cadres(root, year), search)
    months = cadre_years(root=root, year=year, today=today, search=search)
    visits = attended_visits(root, year, cadres)
    figures = {line["cadre_id"]: line for line in _yearly_figures(visits, today)}
    escalations = _escalations(visits)
    sheets = []
    for row in months:
        line = figures.get(row.cadre.pk, {})
        sheets.append(
            CadreSheet(
                months=row,
                cells=line.get("cells", 0),
                types=line.get("types", 0),
                visits=line.get("visits", 0),
                notes_due=line.get("notes_due", 0),
                notes_on_time=line.get("notes_on_time", 0),
                proposals=line.get("proposals", 0),
                escalations=escalations.get(row.cadre.pk, 0),
            )
        )
    return sheets


def _yearly_figures(visits: QuerySet[Visit], today: date):
    """Per cadre: cells and cell types attended, visits, notes due, notes on time, notes with proposals."""
    first_submission = (
        NoteRound.objects.filter(note__visit_id=OuterRef("pk")).order_by("number").values("submitted_at")[:1]
    )
    past_deadline = today - timedelta(days=NOTE_DUE_DAYS)  # meeting before this day: the note is overdue
    return (
        visits.annotate(
            submitted_on=TruncDate(Coalesce(Subquery(first_submission), F("note__submitted_at"))),
            due_on=Cast(F("meeting_date") + timedelta(days=NOTE_DUE_DAYS), DateField()),
        )
        .order_by()
        .values("cadre_id")
        .annotate(
            cells=Count("cell_id", distinct=True),
            types=Count("cell__cell_type_id", distinct=True),
            visits=Count("pk"),
            notes_due=Count("pk", filter=Q(submitted_on__isnull=False) | Q(meeting_date__lt=past_deadline)),
            notes_on_time=Count("pk", filter=Q(submitted_on__lte=F("due_on"))),
            proposals=Count("pk", filter=Q(submitted_on__isnull=False) & ~Q(note__proposals="")),
        )
    )


def _escalations(visits: QuerySet[Visit]) -> dict[int, int]:
    """Escalations raised from the notes of these visits, per cadre."""
    grouped = (
        Escalation.objects.filter(note__visit_id__in=visits.values("pk"))
        .order_by()
        .values("note__visit__cadre_id")
        .annotate(count=Count("pk"))
    )
    return {line["note__visit__cadre_id"]: line["count"] for line in grouped}


# --- What the dashboard and the annual summary use ------------------------------------------------------
def commendation_candidates(*, root: Organization, year: int, today: date) -> list[CadreSheet]:
    """The plan cadres who attended every required (non-exempt, ended) month, at least one, and handed in
    every note due on time: their sheet lines (``.cadre``, ``.score`` …), by name. Five queries."""
    return [sheet for sheet in evaluation_sheet(root=root, year=year, today=today) if sheet.is_commendable]


def compliance_url(year: int, *, behind: bool = False, search: str = "") -> str:
    query: dict[str, object] = {"year": year}
    if search:
        query["q"] = search
    if behind:
        query["behind"] = "on"
    return f"{reverse('reports:compliance')}?{urlencode(query)}"


def dashboard_context(*, root: Organization, year: int, today: date) -> dict:
    """What templates/reports/dashboard_cadres.html reads, at the top level of the dashboard's context
    (three queries):

    - ``compliance_year``: the year shown;
    - ``compliance_rows``: list[CadreYear], every plan cadre by name, each with ``.months`` (12 Month:
      ``.number``, ``.state``, ``.label``, ``.icon``, ``.colour``, ``.visits``, ``.visits_url``);
    - ``compliance_behind``: list[CadreYear], the cadres with at least one ended, non-exempt month without
      attendance, most months missed first (``.missed_months``);
    - ``compliance_url`` and ``compliance_behind_url``: the grid of the year, all cadres / only those behind.
    """
    rows = cadre_years(root=root, year=year, today=today)
    behind = sorted((row for row in rows if row.is_behind), key=lambda row: -row.missed_months)
    return {
        "compliance_year": year,
        "compliance_rows": rows,
        "compliance_behind": behind,
        "compliance_url": compliance_url(year),
        "compliance_behind_url": compliance_url(year, behind=True),
    }


# --- Exempt months --------------------------------------------------------------------------------------
def exemptions_visible_to(user) -> QuerySet[CadreExemption]:
    """Exempt months of the cadres the user can see (another subtree's are a 404)."""
    return CadreExemption.objects.filter(cadre__in=cadres_visible_to(user))
