"""The words of each reminder, in the language active when they are built (the recipient's).

Each builder returns ``(subject, text)``; the text is the in-app message and the e-mail body (the e-mail
adds the absolute link). Dates as 27/11/2026, months as 11/2026. Nothing here is sent to grassroots users,
and the cadres' texts list their cells' meetings, never a planned visit.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from assignments.models import NOTE_DUE_DAYS

STAFF_LIST_LIMIT = 30  # names in the staff's list of cadres behind; the rest are counted


@dataclass(frozen=True)
class MeetingLine:
    date: datetime.date
    start_time: datetime.time
    place: str
    cell: str  # "Chi bộ ấp 1 (XA-AP1)"


@dataclass(frozen=True)
class Record:
    """A cadre's year so far: months with an attended meeting out of the months that count."""

    year: int
    attended: int
    counted: int
    exempt_months: Sequence[int]


def month_label(day: datetime.date) -> str:
    return f"{day:%m/%Y}"


def _meeting_lines(meetings: Sequence[MeetingLine]) -> list[str]:
    return [
        _("- %(date)s at %(time)s: %(cell)s, %(place)s")
        % {
            "date": f"{meeting.date:%d/%m/%Y}",
            "time": f"{meeting.start_time:%H:%M}",
            "cell": meeting.cell,
            "place": meeting.place,
        }
        for meeting in meetings
    ]


def _record_lines(record: Record) -> list[str]:
    if record.counted == 0 and not record.exempt_months:
        lines = [_("This is the first month of %(year)s: there is no record yet.") % {"year": record.year}]
    else:
        lines = [
            _("Your record in %(year)s so far: a meeting attended in %(attended)s of %(counted)s months.")
            % {"year": record.year, "attended": record.attended, "counted": record.counted}
        ]
    if record.exempt_months:
        months = ", ".join(f"{month:02d}/{record.year}" for month in record.exempt_months)
        lines.append(_("Exempt months (not counted): %(months)s.") % {"months": months})
    return lines


def monthly(*, name: str, month: datetime.date, meetings: Sequence[MeetingLine], record: Record):
    label = month_label(month)
    lines = [_("Dear %(name)s,") % {"name": name}, ""]
    lines.append(_("The rule of the assignment: you attend at least one cell meeting every month."))
    if meetings:
        lines.append(_("The meetings of your cells in %(month)s:") % {"month": label})
        lines += _meeting_lines(meetings)
    else:
        lines.append(_("No meeting of your cells is scheduled in %(month)s yet.") % {"month": label})
    lines += ["", *_record_lines(record)]
    return _("Cell meetings in %(month)s") % {"month": label}, "\n".join(lines)


def nudge(*, name: str, month: datetime.date, meetings: Sequence[MeetingLine]):
    label = month_label(month)
    lines = [_("Dear %(name)s,") % {"name": name}, ""]
    lines.append(
        _("You have not attended a cell meeting in %(month)s yet; at least one a month is expected.")
        % {"month": label}
    )
    if meetings:
        lines.append(_("The meetings of your cells still ahead this month:"))
        lines += _meeting_lines(meetings)
    else:
        lines.append(_("No more meetings of your cells are scheduled in %(month)s.") % {"month": label})
    return _("No cell meeting attended yet in %(month)s") % {"month": label}, "\n".join(lines)


def cadre_line(name: str, code: str, unreachable: bool = False) -> str:
    """A cadre in a staff list; one without an e-mail address is marked, as no notice reaches them."""
    if unreachable:
        return _("%(name)s (%(code)s) - no e-mail address, tell them yourself") % {"name": name, "code": code}
    return f"{name} ({code})"


def staff_behind(*, month: datetime.date, today: datetime.date, cadres: Sequence[str]):
    label = month_label(month)
    shown = list(cadres[:STAFF_LIST_LIMIT])
    lines = [
        _("By %(date)s, %(count)s cadres had not attended a cell meeting in %(month)s:")
        % {"date": f"{today:%d/%m/%Y}", "count": len(cadres), "month": label}
    ]
    lines += [f"- {cadre}" for cadre in shown]
    if len(cadres) > len(shown):
        lines.append(_("… and %(count)s more.") % {"count": len(cadres) - len(shown)})
    return _("Cadres with no meeting attended in %(month)s") % {"month": label}, "\n".join(lines)


def notes_overdue(*, name: str, visits: Sequence[tuple[datetime.date, str]]):
    lines = [_("Dear %(name)s,") % {"name": name}, ""]
    lines.append(
        _("These attendance notes are more than %(days)s days past their meeting and not submitted yet:")
        % {"days": NOTE_DUE_DAYS}
    )
    lines += [
        _("- the meeting of %(date)s: %(cell)s") % {"date": f"{day:%d/%m/%Y}", "cell": cell}
        for day, cell in visits
    ]
    return _("Attendance notes overdue"), "\n".join(lines)


def quarterly_report(*, year: int, quarter: int, ended: datetime.date):
    subject = _("Quarterly report for quarter %(quarter)s/%(year)s") % {"quarter": quarter, "year": year}
    text = _(
        "Quarter %(quarter)s/%(year)s ended on %(date)s. Please compile the quarterly report on the "
        "cadres' attendance of cell meetings."
    ) % {"quarter": quarter, "year": year, "date": f"{ended:%d/%m/%Y}"}
    return subject, text
