"""A cadre's personal calendar as iCalendar text (RFC 5545), written by hand: the format is small.

Lines end in CRLF and are folded at 75 octets (never inside a UTF-8 character); TEXT values escape
backslash, semicolon, comma and newlines. Meeting times are local Vietnamese times, so each event says
TZID=Asia/Ho_Chi_Minh and the calendar carries that zone's VTIMEZONE (UTC+7, no daylight saving).

The event texts are Vietnamese on purpose: the feed has no logged-in user and no language to follow, and
the calendar apps show it as it is, so it speaks the product's language (LANGUAGE_CODE "vi").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from assignments.models import Cadre, Visit
from cells.models import Meeting, Organization

TZID = "Asia/Ho_Chi_Minh"
PRODID = "-//Ban To chuc//Du sinh hoat chi bo//VI"
MEETING_LENGTH = timedelta(hours=2)  # a meeting has a start time only; two hours is the usual length
FOLD_AT = 75  # octets per line, CRLF not counted (RFC 5545 §3.1)
CRLF = "\r\n"
CELL_PREFIX = "chi bộ "

VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:STANDARD",
    "DTSTART:19750613T000000",
    "TZOFFSETFROM:+0700",
    "TZOFFSETTO:+0700",
    "TZNAME:+07",
    "END:STANDARD",
    "END:VTIMEZONE",
)


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    start: datetime  # naive, local time in TZID
    end: datetime
    location: str = ""
    description: str = ""
    cancelled: bool = False


# --- The format -------------------------------------------------------------------------------------------
def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): \\ ; , escaped, every newline as \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets; continuation lines start with a space."""
    chunks, current, size, limit = [], [], 0, FOLD_AT
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append("".join(current))
            current, size, limit = [], 0, FOLD_AT - 1  # the leading space counts
        current.append(char)
        size += width
    chunks.append("".join(current))
    return (CRLF + " ").join(chunks)


def _local(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(event: CalendarEvent, stamp: datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART;TZID={TZID}:{_local(event.start)}",
        f"DTEND;TZID={TZID}:{_local(event.end)}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    lines.append(f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}")
    lines.append("END:VEVENT")
    return lines


def render_calendar(*, name: str, events: Iterable[CalendarEvent], stamp: datetime) -> str:
    """The whole VCALENDAR: CRLF line ends, folded lines, one VTIMEZONE, the events in the order given."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{TZID}",
        *VTIMEZONE,
    ]
    for event in events:
        lines.extend(_event_lines(event, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


# --- The cadre's events -----------------------------------------------------------------------------------
def cell_label(cell: Organization) -> str:
    """The cell's label without a leading "Chi bộ", which the summaries already say: "Ấp 4 – Đảng bộ xã
    Tân Xuân" (a cell's name alone is shared by the cells of many communes)."""
    name = (cell.label or cell.name).strip()
    if name.lower().startswith(CELL_PREFIX):
        return name[len(CELL_PREFIX) :].strip()
    return name


def _start(meeting: Meeting) -> datetime:
    return datetime.combine(meeting.date, meeting.start_time)


def _description(meeting: Meeting) -> str:
    lines = [meeting.cell.label, meeting.get_kind_display()]
    if meeting.topic:
        lines.append(meeting.topic)
    if meeting.status == Meeting.Status.CHANGED:
        lines.append("Lịch họp đã thay đổi")
    return "\n".join(str(line) for line in lines)


def visit_event(visit: Visit, host: str) -> CalendarEvent:
    meeting = visit.meeting
    return CalendarEvent(
        uid=f"visit-{visit.pk}@{host}",
        summary=f"Dự sinh hoạt chi bộ {cell_label(visit.cell)}",
        start=_start(meeting),
        end=_start(meeting) + MEETING_LENGTH,
        location=meeting.place,
        description=_description(meeting),
        cancelled=meeting.status == Meeting.Status.CANCELLED,
    )


def meeting_event(meeting: Meeting, host: str) -> CalendarEvent:
    return CalendarEvent(
        uid=f"meeting-{meeting.pk}@{host}",
        summary=f"Sinh hoạt chi bộ {cell_label(meeting.cell)}",
        start=_start(meeting),
        end=_start(meeting) + MEETING_LENGTH,
        location=meeting.place,
        description=_description(meeting),
        cancelled=meeting.status == Meeting.Status.CANCELLED,
    )


def cadre_events(*, visits: Iterable[Visit], meetings: Iterable[Meeting], host: str) -> list[CalendarEvent]:
    """The planned visits, then the cells' meetings; a meeting with a planned visit appears once, as the visit."""
    visits = list(visits)
    visited = {visit.meeting_id for visit in visits}
    events = [visit_event(visit, host) for visit in visits]
    events += [meeting_event(meeting, host) for meeting in meetings if meeting.pk not in visited]
    return sorted(events, key=lambda event: (event.start, event.uid))


def calendar_name(cadre: Cadre) -> str:
    return f"Lịch dự sinh hoạt chi bộ – {cadre.full_name}"


def feed_window_start(today: date) -> date:
    """Feeds carry the last month too, so a visit that just passed stays visible until it is recorded."""
    return today - timedelta(days=31)
