"""Vietnamese forms that documents must print exactly as the regulations give them.

These are not interface strings: a party document says "ngày 05 tháng 01 năm 2026" whatever language
the user reads the site in, so nothing here goes through gettext.
"""

from __future__ import annotations

from datetime import date

# Nghị định 30/2020 and HD 36-HD/VPTW: days below 10 and the months 1 and 2 take a leading zero
# ("ngày 05 tháng 01", "tháng 02"); the other months do not ("tháng 4"), so "tháng 1" can never be
# altered into "tháng 11" by hand.
LEADING_ZERO_MONTHS = (1, 2)


def vietnamese_day(day: int) -> str:
    return f"{day:02d}"


def vietnamese_month(month: int) -> str:
    return f"{month:02d}" if month in LEADING_ZERO_MONTHS else str(month)


def vietnamese_date(day: date) -> str:
    """ "ngày 05 tháng 01 năm 2026"."""
    return f"ngày {vietnamese_day(day.day)} tháng {vietnamese_month(day.month)} năm {day.year}"


def vietnamese_date_line(place: str, day: date) -> str:
    """The place-date line of a document: "Hóc Môn, ngày 05 tháng 01 năm 2019".

    Without a place the line starts with a capital: "Ngày 05 tháng 01 năm 2019".
    """
    text = vietnamese_date(day)
    place = place.strip()
    return f"{place}, {text}" if place else text[0].upper() + text[1:]


def blank_date_line(place: str, year: int) -> str:
    """The date line of a draft, left open for the day it is signed: "Hóc Môn, ngày    tháng    năm 2027"."""
    gap = "\u00a0" * 4  # non-breaking, so neither renderer collapses the blanks
    text = f"ngày{gap}tháng{gap}năm {year}"
    place = place.strip()
    return f"{place}, {text}" if place else text[0].upper() + text[1:]
