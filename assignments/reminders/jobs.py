"""What each reminder job decides: the recipients (in SQL) and the words for each (in their language).

Each ``*_drafts(period, today)`` function returns the notices of its period that are still missing
(recipients who already have their row are left out in SQL); assignments.reminders.services writes them in the
transaction that decided them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from assignments.cadres.months import cadre_months
from assignments.cadres.selectors import behind_cadres, not_exempt, planned_cadres
from assignments.models import NO_EMAIL, NOTE_DUE_DAYS, AssignmentPlan, Cadre, Notification, Visit
from assignments.notes.selectors import UNSUBMITTED
from assignments.notes.services import STARTABLE_VISITS
from assignments.notifications import texts
from assignments.notifications.outbox import Draft
from assignments.notifications.periods import Period
from assignments.notifications.recipients import cadres_to_notify, staff_to_notify
from assignments.notifications.texts import MeetingLine, Record
from cells.models import Meeting
from core.dates import quarter_of

Kind = Notification.Kind
# Older visits without a note are the review list's business, not a daily reminder's.
OVERDUE_LOOKBACK_DAYS = 60


# --- Shared reads ----------------------------------------------------------------------------------------
def _missing(queryset: QuerySet, kind: str, period: Period) -> QuerySet:
    """Leave out the cadres who already have this period's row (the unique constraint's index)."""
    existing = Notification.objects.filter(cadre_id=OuterRef("pk"), kind=kind, period=period.key)
    return queryset.exclude(Exists(existing))


def _staff_missing(queryset: QuerySet, kind: str, period: Period) -> QuerySet:
    """Leave out the staff logins that already have this period's row."""
    existing = Notification.objects.filter(
        recipient_id=OuterRef("pk"), cadre__isnull=True, kind=kind, period=period.key
    )
    return queryset.exclude(Exists(existing))


def _meetings(cadres: QuerySet, year: int, first: datetime.date, last: datetime.date) -> dict[int, list]:
    """The meetings (not cancelled) of each cadre's cells in the issued plan, between two days."""
    rows = (
        Meeting.objects.filter(date__range=(first, last))
        .exclude(status=Meeting.Status.CANCELLED)
        .filter(
            cell__assignments__plan__status=AssignmentPlan.Status.ISSUED,
            cell__assignments__plan__year=year,
            cell__assignments__cadre__in=cadres.values("pk"),
        )
        .values_list("cell__assignments__cadre_id", "date", "start_time", "place", "cell__label")
        .order_by("date", "start_time", "cell__code")
        .distinct()
    )
    meetings = defaultdict(list)
    for cadre_id, day, start, place, cell_label in rows:
        meetings[cadre_id].append(MeetingLine(day, start, place, cell_label))
    return meetings


def _records(cadre_ids: list[int], year: int, today: datetime.date) -> dict[int, Record]:
    """Each cadre's record so far, counted by the one rule (assignments.cadres.months) as on ``today``:
    the same figures as the cadre's page and the compliance grid on that day."""
    return {
        cadre_id: Record(
            year=year,
            attended=months.compliant_months,
            counted=months.required_months,
            exempt_months=[n for n in months.exempt_numbers if year < today.year or n <= today.month],
        )
        for cadre_id, months in cadre_months(cadre_ids, year, today).items()
    }


def page_url(name: str) -> str:
    """A page's path, or the home page while that page does not exist yet (the reports arrive later)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return "/"


def _draft(recipient: dict, kind: str, period: Period, subject: str, text: str, url: str) -> Draft:
    """A cadre's notice (``recipient`` from ``_values``) or a staff user's (``cadre_id`` absent)."""
    return Draft(
        recipient_id=recipient["user_id"],
        cadre_id=recipient.get("cadre_id"),
        kind=kind,
        period=period.key,
        subject=subject,
        text=text,
        url=url,
        expires_at=period.expires_at,
        email=recipient["wants_email"],
        has_address=recipient.get("has_email", True),
    )


def _values(queryset: QuerySet) -> list[dict]:
    fields = ("pk", "user_id", "full_name", "lang", "wants_email", "has_email")
    return [{**row, "cadre_id": row["pk"]} for row in queryset.values(*fields).order_by("pk")]


# --- Monthly: every cadre in an issued plan, on the 1st ---------------------------------------------------
def monthly_drafts(period: Period, today: datetime.date) -> Iterator[Draft]:
    year, month = period.first.year, period.first.month
    cadres = cadres_to_notify(not_exempt(planned_cadres(year), year, month), Kind.MONTHLY_REMINDER)
    cadres = _missing(cadres, Kind.MONTHLY_REMINDER, period)
    recipients = _values(cadres)
    if not recipients:
        return
    meetings = _meetings(cadres, year, period.first, period.last)
    records = _records([cadre["pk"] for cadre in recipients], year, today)
    url = page_url("assignments:my_visits")
    for cadre in recipients:
        with translation.override(cadre["lang"]):
            subject, text = texts.monthly(
                name=cadre["full_name"],
                month=period.first,
                meetings=meetings.get(cadre["pk"], []),
                record=records[cadre["pk"]],
            )
        yield _draft(cadre, Kind.MONTHLY_REMINDER, period, subject, text, url)


def nudge_drafts(period: Period, today: datetime.date) -> Iterator[Draft]:
    behind = behind_cadres(period.first, period.last)
    yield from _cadre_nudges(behind, period, today)
    yield from _staff_lists(behind, period, today)


def _cadre_nudges(behind: QuerySet[Cadre], period: Period, today: datetime.date) -> Iterator[Draft]:
    cadres = _missing(cadres_to_notify(behind, Kind.NUDGE), Kind.NUDGE, period)
    recipients = _values(cadres)
    if not recipients:
        return
    ahead = _meetings(cadres, period.first.year, max(today, period.first), period.last)
    url = page_url("assignments:my_visits")
    for cadre in recipients:
        with translation.override(cadre["lang"]):
            subject, text = texts.nudge(
                name=cadre["full_name"], month=period.first, meetings=ahead.get(cadre["pk"], [])
            )
        yield _draft(cadre, Kind.NUDGE, period, subject, text, url)


def _staff_lists(behind: QuerySet[Cadre], period: Period, today: datetime.date) -> Iterator[Draft]:
    no_email = ExpressionWrapper(NO_EMAIL, output_field=BooleanField())
    names = list(
        behind.annotate(no_email=no_email)
        .values_list("full_name", "code", "organization__path", "no_email")
        .order_by("sort_key", "code")
    )
    if not names:
        return
    staff = _staff_missing(staff_to_notify(Kind.STAFF_BEHIND), Kind.STAFF_BEHIND, period)
    url = page_url("assignments:visit_list")
    for user in staff.values("pk", "lang", "wants_email", "scope_path"):
        # Each staff user hears of the cadres of their own subtree only.
        own = [
            (name, code, unreachable)
            for name, code, path, unreachable in names
            if user["scope_path"] and path.startswith(user["scope_path"])
        ]
        if not own:
            continue
        with translation.override(user["lang"]):
            subject, text = texts.staff_behind(
                month=period.first, today=today, cadres=[texts.cadre_line(*cadre) for cadre in own]
            )
        yield _draft({**user, "user_id": user["pk"]}, Kind.STAFF_BEHIND, period, subject, text, url)


# --- Daily: attendance notes overdue ------------------------------------------------------------------
def overdue_visits(today: datetime.date) -> QuerySet[Visit]:
    """Visits whose meeting passed more than NOTE_DUE_DAYS ago with no submitted note (the review list's
    rule, assignments.notes.selectors.with_overdue), in the last OVERDUE_LOOKBACK_DAYS."""
    return Visit.objects.filter(
        Q(note__isnull=True) | Q(note__status__in=UNSUBMITTED),
        status__in=STARTABLE_VISITS,
        meeting_date__lt=today - datetime.timedelta(days=NOTE_DUE_DAYS),
        meeting_date__gte=today - datetime.timedelta(days=OVERDUE_LOOKBACK_DAYS),
    )


def overdue_drafts(period: Period, today: datetime.date) -> Iterator[Draft]:
    visits = overdue_visits(today)
    late = Cadre.objects.filter(Exists(visits.filter(cadre=OuterRef("pk"))))
    cadres = _missing(cadres_to_notify(late, Kind.NOTE_OVERDUE), Kind.NOTE_OVERDUE, period)
    recipients = _values(cadres)
    if not recipients:
        return
    lines = defaultdict(list)
    rows = visits.filter(cadre__in=cadres.values("pk")).values_list("cadre_id", "meeting_date", "cell__label")
    for cadre_id, day, cell_label in rows.order_by("meeting_date", "cell__code"):
        lines[cadre_id].append((day, cell_label))
    url = page_url("assignments:my_visits")
    for cadre in recipients:
        with translation.override(cadre["lang"]):
            subject, text = texts.notes_overdue(name=cadre["full_name"], visits=lines[cadre["pk"]])
        yield _draft(cadre, Kind.NOTE_OVERDUE, period, subject, text, url)


# --- After a quarter: the staff compile the report ----------------------------------------------------------
def quarterly_drafts(period: Period, today: datetime.date) -> Iterator[Draft]:
    staff = _staff_missing(staff_to_notify(Kind.QUARTERLY_REPORT), Kind.QUARTERLY_REPORT, period)
    url = page_url("reports:report_list")
    year, quarter = period.first.year, quarter_of(period.first)
    for user in staff.values("pk", "lang", "wants_email"):
        with translation.override(user["lang"]):
            subject, text = texts.quarterly_report(year=year, quarter=quarter, ended=period.last)
        yield _draft({**user, "user_id": user["pk"]}, Kind.QUARTERLY_REPORT, period, subject, text, url)
