"""How the review pages show a note: its fields with display values, and its rounds side by side with
what changed from one round to the next. Pure functions over data already loaded (no queries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext as _

from assignments.models import AttendanceNote, NoteRound
from assignments.notes.services import EDITABLE_FIELDS

EMPTY = "—"
# The HD 12 fields in the order the cadre fills them in.
NOTE_FIELDS = ("meeting_date", *EDITABLE_FIELDS)
LONG_TEXT = {f for f in NOTE_FIELDS if isinstance(AttendanceNote._meta.get_field(f), models.TextField)}


@dataclass(frozen=True)
class ShownField:
    name: str
    label: str
    value: str
    long: bool


@dataclass(frozen=True)
class RoundCell:
    value: str
    changed: bool


@dataclass(frozen=True)
class RoundRow:
    name: str
    label: str
    cells: list[RoundCell]
    changed: bool


def display_value(name: str, value) -> str:
    """A field's value as a reader sees it: choice labels, Yes/No, 27/11/2026; never HTML."""
    field = AttendanceNote._meta.get_field(name)
    if value is None or value == "":
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, models.DateField):
        day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
        return day.strftime("%d/%m/%Y")
    return str(value)


def _label(name: str) -> str:
    return str(AttendanceNote._meta.get_field(name).verbose_name).capitalize()


def note_fields(note: AttendanceNote) -> list[ShownField]:
    return [
        ShownField(name, _label(name), display_value(name, getattr(note, name)), name in LONG_TEXT)
        for name in NOTE_FIELDS
    ]


def round_rows(rounds: list[NoteRound]) -> list[RoundRow]:
    """One row per field, one cell per round; a cell is ``changed`` when it differs from the round before."""
    rows = []
    for name in NOTE_FIELDS:
        values = [display_value(name, round_.snapshot.get(name)) for round_ in rounds]
        cells = [
            RoundCell(value, changed=index > 0 and value != values[index - 1])
            for index, value in enumerate(values)
        ]
        rows.append(RoundRow(name, _label(name), cells, any(cell.changed for cell in cells)))
    return rows
