"""Cadre compliance: did each cadre of the year's plan attend a cell meeting every month, and the yearly
evaluation sheet built on it (scored by reports.compliance.evaluation).

Definitions:
- the cadres are those assigned in the root's plan of the year (``coverage.plans_for``: the issued plan,
  else the latest draft);
- each cadre's months (attended, not attended, exempt, to come, outside the assignment; months compliant
  and months required so far) follow the one rule of ``assignments.cadres.months``, which the cadre's own
  page and the monthly e-mail count by too;
- rules of the year: ≥ 1 attendance in every non-exempt month that has ended; cells of ≥ 2 types attended;
  notes submitted on time: the first submission's day (in the project's time zone) is at most
  NOTE_DUE_DAYS after the meeting. A returned note that is resubmitted keeps its first submission: the
  cadre handed it in on time, corrections are the review's cycle. A note not submitted by its deadline is
  late; one whose deadline has not passed yet is not counted either way.

Everything is grouped in SQL: the grid is four queries and the sheet six, whatever the number of cadres
and visits; Python only lays the grouped rows out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import (
    BooleanField,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.urls import reverse

from assignments.cadres.months import CadreMonths, cadre_months
from assignments.cadres.selectors import cadres_visible_to
from assignments.models import (
    NO_EMAIL,
    NOTE_DUE_DAYS,
    Assignment,
    Cadre,
    CadreExemption,
    Escalation,
    NoteRound,
    Visit,
)
from cells.models import Organization
from core import names
from reports.compliance import evaluation
from reports.coverage.selectors import Period, plans_for

MONTHS = range(1, 13)


# --- The rows: one cadre's months, counted by assignments.cadres.months (the one rule) ----------------------
@dataclass
class CadreYear(CadreMonths):
    """One cadre's twelve months of the year, with the cadre."""

    cadre: Cadre | None = None


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
    """The cadres assigned in the year's plan to cells of the root's subtree, by name; ``no_email``: no
    notice reaches them by e-mail (the lists of cadres behind mark them)."""
    assigned = Assignment.objects.filter(
        plan_id__in=plans_for(root, Period.year(year)), cell__path__startswith=root.path
    ).values("cadre_id")
    no_email = ExpressionWrapper(NO_EMAIL, output_field=BooleanField())
    return Cadre.objects.filter(pk__in=assigned).annotate(no_email=no_email).order_by("sort_key", "code")


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
def cadre_years(
    *, root: Organization, year: int, today: date, search: str = "", behind_only: bool = False
) -> list[CadreYear]:
    """Each plan cadre's twelve months (four queries: the cadres, then assignments.cadres.months' three)."""
    rows = years_of(list(grid_cadres(root=root, year=year, search=search)), year, today)
    return [row for row in rows if row.is_behind] if behind_only else rows


def grid_cadres(*, root: Organization, year: int, search: str = "") -> QuerySet[Cadre]:
    """The grid's cadres, by name: a queryset the grid pages."""
    return _search(plan_cadres(root, year), search)


def years_of(cadres: list[Cadre], year: int, today: date) -> list[CadreYear]:
    """The twelve months of these cadres (a page of the grid): assignments.cadres.months' three queries."""
    counted = cadre_months([cadre.pk for cadre in cadres], year, today)
    rows = []
    for cadre in cadres:
        months = counted[cadre.pk].months
        for month in months:
            month.visits_url = visits_url(cadre.pk, Period.month(year, month.number))
        rows.append(CadreYear(cadre_id=cadre.pk, year=year, months=months, cadre=cadre))
    return rows


# --- The evaluation sheet -------------------------------------------------------------------------------
def evaluation_sheet(*, root: Organization, year: int, today: date, search: str = "") -> list[CadreSheet]:
    """The yearly sheet, one line per plan cadre (six queries: the grid's four, the visits' yearly
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
    every note due on time: their sheet lines (``.cadre``, ``.score`` …), by name. Six queries."""
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
    (four queries):

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
