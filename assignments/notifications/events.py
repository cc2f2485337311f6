"""Event notices: a moved or cancelled meeting tells every cadre assigned to its cell; a returned
attendance note tells its author.

They go to every cadre assigned to the cell in the issued plan, so that nobody can tell from them whether a
visit was planned, and never to the cell's side (assignments.notifications.recipients). The rows are written in the
transaction that changes the meeting, one per cadre and change, and their e-mails leave after commit
through the outbox (assignments.notifications.outbox); with the broker down the change still saves and the outbox sweep
sends the e-mails once it is back.
"""

from __future__ import annotations

import datetime
import uuid

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assignments.models import (
    Assignment,
    AssignmentPlan,
    AttendanceNote,
    Cadre,
    NoteRound,
    Notification,
    Visit,
)
from assignments.notifications.outbox import Draft, notifications_write
from assignments.notifications.periods import end_of_day
from assignments.notifications.recipients import cadres_to_notify
from cells.meetings.hooks import MeetingAudience
from cells.models import Meeting

Kind = Notification.Kind


def assigned_to(meeting: Meeting) -> Q:
    """Cadres assigned to the meeting's cell in the issued plan of the meeting's year."""
    assignments = Assignment.objects.filter(
        cadre=OuterRef("pk"),
        cell_id=meeting.cell_id,
        plan__status=AssignmentPlan.Status.ISSUED,
        plan__year=meeting.date.year,
    )
    return Q(Exists(assignments))


def meeting_moved_notify(*, meeting: Meeting) -> list[int]:
    """Every assigned cadre hears the new date, time and place. Returns the ids of the pending e-mails."""
    cadres = _recipients(Cadre.objects.filter(assigned_to(meeting)))
    period, url = change_key(meeting), meeting.get_absolute_url()
    drafts = []
    for cadre in cadres:
        with translation.override(cadre["lang"]):
            text = _("The meeting of %(cell)s has changed: now on %(date)s at %(time)s, %(place)s.") % (
                _details(meeting)
            )
            drafts.append(_draft(cadre, Kind.MEETING_MOVED, period, text, url, meeting))
    return notifications_write(drafts=drafts)


def meeting_cancelled_notify(*, meeting: Meeting, waiting: list[Visit]) -> list[int]:
    """The cadres whose visit now needs a new date are asked to pick one; the others hear of the cancellation."""
    visits = {visit.cadre_id: visit for visit in waiting}
    cadres = _recipients(Cadre.objects.filter(assigned_to(meeting) | Q(pk__in=list(visits))))
    period = change_key(meeting)
    drafts = []
    for cadre in cadres:
        visit = visits.get(cadre["pk"])
        with translation.override(cadre["lang"]):
            if visit is None:
                text = _(
                    "The meeting of %(cell)s on %(date)s at %(time)s, %(place)s, has been cancelled."
                ) % (_details(meeting))
                draft = _draft(
                    cadre, Kind.MEETING_CANCELLED, period, text, meeting.get_absolute_url(), meeting
                )
            else:
                text = _(
                    "The meeting of %(cell)s on %(date)s at %(time)s, %(place)s, which you planned to attend, "
                    "has been cancelled. Please choose a new date for your visit."
                ) % _details(meeting)
                draft = _draft(cadre, Kind.VISIT_NEEDS_DATE, period, text, visit.get_absolute_url(), meeting)
        drafts.append(draft)
    return notifications_write(drafts=drafts)


def _recipients(cadres, kind: str = Kind.MEETING_MOVED) -> list[dict]:
    # One preference field covers the three meeting-change kinds; a returned note follows its own.
    chosen = cadres_to_notify(cadres, kind)
    return list(chosen.values("pk", "user_id", "lang", "wants_email", "has_email").order_by("pk"))


def _draft(cadre: dict, kind: str, period: str, text: str, url: str, meeting: Meeting) -> Draft:
    return Draft(
        recipient_id=cadre["user_id"],
        cadre_id=cadre["pk"],
        has_address=cadre["has_email"],
        kind=kind,
        period=period,
        subject=str(Kind(kind).label),
        text=text,
        url=url,
        expires_at=_expiry(meeting),
        email=cadre["wants_email"],
    )


AUDIENCE_NAMES_SHOWN = 10


def meeting_audience(*, meeting: Meeting) -> MeetingAudience:
    """What the meeting pages promise: how many assigned cadres a change reaches by e-mail and who has no
    address (cells.meetings.hooks). Only the assigned cadres count, never whether a visit is planned, so the cell's
    side learns nothing it may not see."""
    cadres = cadres_to_notify(Cadre.objects.filter(assigned_to(meeting)), Kind.MEETING_MOVED)
    # One query: a cell has a handful of assigned cadres.
    rows = list(cadres.values_list("full_name", "has_email").order_by("sort_key", "code"))
    untold = [name for name, has_email in rows if not has_email]
    return MeetingAudience(
        told=len(rows) - len(untold), untold=untold[:AUDIENCE_NAMES_SHOWN], untold_count=len(untold)
    )


def change_key(meeting: Meeting) -> str:
    """One key per change of a meeting: its latest history record (written by the change's save)."""
    history_id = meeting.history.order_by("-history_id").values_list("history_id", flat=True).first()
    suffix = f"h{history_id}" if history_id is not None else uuid.uuid4().hex
    return f"meeting-{meeting.pk}-{suffix}"


def _expiry(meeting: Meeting) -> datetime.datetime:
    """A change notice is worth mailing until the end of the meeting's day (and at least a day)."""
    return max(end_of_day(meeting.date), timezone.now() + datetime.timedelta(days=1))


def _details(meeting: Meeting) -> dict[str, str]:
    return {
        "cell": meeting.cell.label,
        "date": meeting.date.strftime("%d/%m/%Y"),
        "time": meeting.start_time.strftime("%H:%M"),
        "place": meeting.place,
    }


# --- A returned attendance note -----------------------------------------------------------------------
NOTE_RETURNED_GRACE = datetime.timedelta(days=7)


def note_returned_notify(*, note: AttendanceNote, round: NoteRound) -> list[int]:
    """The note's author hears that it came back, with the reviewer's comment and the link to change it.

    Once per review round (the period names the round); written in the review's transaction."""
    cadres = _recipients(Cadre.objects.filter(pk=note.author_id), Kind.NOTE_RETURNED)
    cell = note.visit.cell
    drafts = []
    for cadre in cadres:
        with translation.override(cadre["lang"]):
            text = _(
                "Your attendance note on the meeting of %(cell)s on %(date)s was returned by %(reviewer)s "
                "with this comment:\n%(comment)s\nPlease change it and submit it again."
            ) % {
                "cell": cell.label,
                "date": note.meeting_date.strftime("%d/%m/%Y"),
                "reviewer": _reviewer_name(round.reviewed_by),
                "comment": round.comment,
            }
            subject = str(Kind.NOTE_RETURNED.label)
        drafts.append(
            Draft(
                recipient_id=cadre["user_id"],
                cadre_id=cadre["pk"],
                has_address=cadre["has_email"],
                kind=Kind.NOTE_RETURNED,
                period=f"note-{note.pk}-round-{round.number}",
                subject=subject,
                text=text,
                url=note.get_absolute_url(),  # shows the comment and the link to change the note
                expires_at=timezone.now() + NOTE_RETURNED_GRACE,
                email=cadre["wants_email"],
            )
        )
    return notifications_write(drafts=drafts)


def _reviewer_name(user) -> str:
    if user is None:
        return _("the organization department")
    return user.get_full_name() or user.get_username()


# --- Reading state ------------------------------------------------------------------------------------
def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
