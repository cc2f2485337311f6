"""Each role's home page is its to-do list: a few counts, each a link to the list that shows those rows.

It reads from every app (cells, assignments, reports), which no app may do (imports run one way: cells →
assignments → reports), so it lives here, beside the URL configuration. Every count is taken by the same
selector or filter as the list it links to, so the number on the home page is the number of rows there.
Counts come in a few grouped queries whatever the size of the subtree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from assignments.cadres.filters import BEHIND, UNREACHABLE
from assignments.cadres.selectors import cadre_of, cadres_behind_this_month, cadres_visible_to
from assignments.models import AttendanceNote, Cadre, CadreExemption, Visit
from assignments.notes.selectors import (
    OPEN_ESCALATIONS,
    UNSUBMITTED,
    WAITING_FOR_REVIEW,
    escalations_visible_to,
    notes_for_review,
)
from assignments.notes.services import STARTABLE_VISITS
from assignments.visits.selectors import visits_visible_to
from cells.access.roles import Role, user_role
from cells.access.scope import cells_visible_to, user_scope
from cells.meetings.selectors import cells_without_schedule, meetings_visible_to
from cells.models import Meeting
from core.dates import quarter_of
from reports.coverage.formatting import fraction_text
from reports.coverage.selectors import Period, coverage
from reports.models import Report
from reports.periodic.selectors import reports_for_list

NEXT_MEETINGS = 5  # the grassroots home lists the next few meetings; the meeting list has the rest
NOTES_TO_WRITE = 20  # a cadre has a handful; the cap keeps the page bounded all the same


@dataclass(frozen=True)
class Todo:
    """One line of the to-do list: a label, its figure and the list behind it."""

    key: str
    label: str | Promise
    figure: int | str
    url: str
    needs_action: bool = False  # drawn as waiting for the user (a non-zero count of work)


@dataclass
class Home:
    todos: list[Todo] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def _url(name: str, query: dict | None = None) -> str:
    return reverse(name) + ("?" + urlencode(query) if query else "")


def _count(key: str, label: str | Promise, figure: int, url: str) -> Todo:
    return Todo(key=key, label=label, figure=figure, url=url, needs_action=figure > 0)


def home_for(user, today: datetime.date) -> Home:
    builders = {
        Role.ORGANIZATION_STAFF: staff_home,
        Role.LEADERSHIP: leadership_home,
        Role.CADRE: cadre_home,
        Role.GRASSROOTS_STAFF: grassroots_home,
    }
    builder = builders.get(user_role(user))
    return builder(user, today) if builder and user_scope(user) is not None else Home()


# --- Organization staff ---------------------------------------------------------------------------------
def staff_home(user, today: datetime.date) -> Home:
    notes = notes_for_review(user, today).aggregate(
        waiting=Count("pk", filter=Q(status=AttendanceNote.Status.SUBMITTED)),
        late=Count("pk", filter=Q(overdue=True)),  # not "overdue": that is the annotation it counts
    )
    everyone = Cadre.objects.all()
    cadres = cadres_visible_to(user).aggregate(
        behind=Count("pk", filter=Q(pk__in=cadres_behind_this_month(everyone, today).values("pk"))),
        # Cadres no notice reaches by e-mail (Cadre.objects.unreachable()), counted
        # inside the user's subtree like the cadre list they link to.
        unreachable=Count("pk", filter=Q(pk__in=everyone.unreachable().values("pk"))),
    )
    monday = today - datetime.timedelta(days=today.weekday())
    week = {"date_from": monday.isoformat(), "date_to": (monday + datetime.timedelta(days=6)).isoformat()}
    moved = _moved_this_week(user, monday).count()
    notes_url, cadres_url = "assignments:note_review_list", "assignments:cadre_list"
    return Home(
        todos=[
            _count(
                "notes-waiting",
                _("Notes waiting for review"),
                notes["waiting"],
                _url(notes_url, WAITING_FOR_REVIEW),
            ),
            _count("notes-overdue", _("Overdue notes"), notes["late"], _url(notes_url, {"overdue": "yes"})),
            _count(
                "cadres-behind",
                _("Cadres with no meeting attended yet this month"),
                cadres["behind"],
                _url(cadres_url, {"attention": BEHIND}),
            ),
            _count(
                "meetings-moved",
                _("Meetings this week that were moved"),
                moved,
                _url("cells:meeting_list", {"status": Meeting.Status.CHANGED.value, **week}),
            ),
            _count(
                "cadres-unreachable",
                _("Cadres without an e-mail address"),
                cadres["unreachable"],
                _url(cadres_url, {"email": UNREACHABLE}),
            ),
        ]
    )


def _moved_this_week(user, monday: datetime.date):
    sunday = monday + datetime.timedelta(days=6)
    return meetings_visible_to(user).filter(status=Meeting.Status.CHANGED, date__range=(monday, sunday))


# --- Leadership -----------------------------------------------------------------------------------------
def leadership_home(user, today: datetime.date) -> Home:
    open_items = escalations_visible_to(user).filter(**OPEN_ESCALATIONS).count()
    drafts = reports_for_list(user).filter(status=Report.Status.DRAFT).count()
    quarter = quarter_of(today)
    cov = coverage(root=user_scope(user), period=Period.quarter(today.year, quarter))
    dashboard = _url("reports:dashboard", {"year": today.year, "quarter": quarter})
    return Home(
        todos=[
            _count(
                "escalations-open",
                _("Escalated items waiting for your direction"),
                open_items,
                _url("assignments:escalation_list", OPEN_ESCALATIONS),
            ),
            _count(
                "reports-to-finalize",
                _("Reports to finalize"),
                drafts,
                _url("reports:report_list", {"status": Report.Status.DRAFT.value}),
            ),
            Todo(
                key="coverage-quarter",
                label=_("Cells attended this quarter"),
                figure=fraction_text(cov.total),
                url=dashboard,
            ),
        ]
    )


# --- Cadre ----------------------------------------------------------------------------------------------
def cadre_home(user, today: datetime.date) -> Home:
    cadre = cadre_of(user)
    if cadre is None:
        return Home()
    visits = visits_visible_to(user).filter(cadre=cadre)
    this_month = visits.filter(
        status=Visit.Status.ATTENDED, meeting_date__year=today.year, meeting_date__month=today.month
    ).exists()
    exempt = CadreExemption.objects.filter(cadre=cadre, year=today.year, month=today.month).exists()
    upcoming = (
        visits.filter(status=Visit.Status.PLANNED, meeting__date__gte=today)
        .select_related("cell", "meeting")
        .order_by("meeting__date", "meeting__start_time", "pk")
        .first()
    )
    to_write = list(_notes_to_write(visits, today)[:NOTES_TO_WRITE])
    month_state = _("attended") if this_month else _("exempt") if exempt else _("not yet attended")
    my_visits = reverse("assignments:my_visits")
    return Home(
        todos=[
            Todo(
                "month-state",
                _("This month"),
                month_state,
                my_visits,
                needs_action=not (this_month or exempt),
            ),
            _count("notes-to-write", _("Notes to write or fix"), len(to_write), "#notes-to-write"),
        ],
        extra={"next_visit": upcoming, "notes_to_write": to_write},
    )


def _notes_to_write(visits, today: datetime.date):
    """Visits whose meeting has come with no note yet, or whose note is a draft or was returned."""
    no_note = Q(note__isnull=True, status__in=STARTABLE_VISITS, meeting__date__lte=today)
    unfinished = Q(note__status__in=UNSUBMITTED)
    return (
        visits.filter(no_note | unfinished)
        .select_related("cell", "meeting", "note")
        .order_by("meeting__date", "pk")
    )


# --- Grassroots staff: meetings and schedules, never visits ----------------------------------------------
def grassroots_home(user, today: datetime.date) -> Home:
    upcoming = (
        meetings_visible_to(user)
        .upcoming(today)
        .select_related("cell")
        .order_by("date", "start_time", "pk")[:NEXT_MEETINGS]
    )
    missing = cells_without_schedule(cells_visible_to(user)).count()
    return Home(
        todos=[
            _count(
                "schedules-missing",
                _("Cells with no meeting schedule"),
                missing,
                _url("cells:cell_list", {"schedule": "missing"}),
            ),
        ],
        extra={
            "next_meetings": list(upcoming),
            "meetings_url": _url("cells:meeting_list", {"date_from": today.isoformat()}),
        },
    )
