"""When each reminder is due and until when it is still worth sending: the calendar of the jobs.

A ``Period`` is what one job sends once per recipient: the month of the monthly reminder, the day of the
overdue-notes reminder, the quarter of the report reminder. Its ``key`` is the ``Notification.period``
of the rows; ``due`` is the first day the job sends it and ``until`` the last day of its grace window: a
run before ``due`` or after ``until`` writes nothing, and an e-mail still waiting after ``until`` is given
up (``expires_at``) rather than sent late.

Working days are Monday to Friday minus the fixed public holidays (1/1, 30/4, 1/5, 2/9) and the days in
``settings.REMINDER_HOLIDAYS`` (Tết, the Hùng Kings' day and days in lieu move every year).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from core.dates import DateRange, quarter_of

FIXED_HOLIDAYS = {(1, 1), (4, 30), (5, 1), (9, 2)}
NUDGE_DAY = 20
MONTHLY_GRACE_DAYS = 14  # the 1st's reminder may still go out until the 15th
NUDGE_GRACE_DAYS = 4
QUARTERLY_GRACE_DAYS = 14


@dataclass(frozen=True)
class Period:
    key: str
    first: datetime.date  # the first and last day the period covers (a month, a quarter, a day)
    last: datetime.date
    due: datetime.date
    until: datetime.date

    def is_due(self, today: datetime.date) -> bool:
        return self.due <= today <= self.until

    @property
    def expires_at(self) -> datetime.datetime:
        """The end of the grace window: local midnight after ``until``."""
        return end_of_day(self.until)


def end_of_day(day: datetime.date) -> datetime.datetime:
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(midnight)


# --- Working days --------------------------------------------------------------------------------------
def is_working_day(day: datetime.date) -> bool:
    if day.weekday() >= 5 or (day.month, day.day) in FIXED_HOLIDAYS:
        return False
    return day.isoformat() not in settings.REMINDER_HOLIDAYS


def working_day_from(day: datetime.date) -> datetime.date:
    """``day`` itself when it is a working day, else the next one."""
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


# --- Months, days and quarters -------------------------------------------------------------------------
def monthly_period(today: datetime.date) -> Period:
    """This month's reminder: due on the 1st (working day or not), until the 15th."""
    month = DateRange.month_of(today)
    first, last = month.start, month.end
    until = first + datetime.timedelta(days=MONTHLY_GRACE_DAYS)
    return Period(key=f"{first:%Y-%m}", first=first, last=last, due=first, until=until)


def nudge_period(today: datetime.date) -> Period:
    """This month's nudge: due on the 20th, or the next working day when the 20th is not one."""
    month = DateRange.month_of(today)
    first, last = month.start, month.end
    due = working_day_from(first.replace(day=NUDGE_DAY))
    until = min(due + datetime.timedelta(days=NUDGE_GRACE_DAYS), last)
    return Period(key=f"{first:%Y-%m}", first=first, last=last, due=min(due, last), until=until)


def day_period(today: datetime.date) -> Period:
    """The overdue-notes reminder is daily: due and over the same day."""
    return Period(key=today.isoformat(), first=today, last=today, due=today, until=today)


def quarterly_period(today: datetime.date) -> Period:
    """The quarter that ended last before ``today``: due on the first working day after its end."""
    year, quarter = today.year, quarter_of(today) - 1
    if quarter == 0:
        year, quarter = year - 1, 4
    days = DateRange.quarter(year, quarter)
    first, last = days.start, days.end
    due = working_day_from(last + datetime.timedelta(days=1))
    until = due + datetime.timedelta(days=QUARTERLY_GRACE_DAYS)
    return Period(key=f"{year}-Q{quarter}", first=first, last=last, due=due, until=until)
