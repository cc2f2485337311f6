"""Builders for the attendance-note tests: a past meeting with a visit, and notes at each step of the
workflow, made through assignments.notes.services as the cadre and staff would."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from assignments.models import AttendanceNote, Cadre, Visit
from assignments.notes import services as notes
from cells.models import Organization
from tests.factories import MeetingFactory, MemberFactory

# What a complete note of a meeting held as scheduled says: enough to submit it.
COMPLETE = {
    "held": AttendanceNote.Held.AS_SCHEDULED,
    "members_total": 3,
    "members_present": 3,
    "overall_rating": "good",
    "summary": "Chi bộ quán triệt nghị quyết, thảo luận sôi nổi.",
}

PDF = b"%PDF-1.4\n% minutes of the meeting\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 32


def upload(content: bytes = PDF, name: str = "bien-ban.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def visit_at(
    cadre: Cadre,
    cell: Organization,
    day: datetime.date,
    *,
    status: str = Visit.Status.PLANNED,
    members: int = 0,
    **meeting_fields,
) -> Visit:
    """A visit of ``cadre`` to ``cell``'s meeting on ``day`` (past days allowed: the note comes after)."""
    meeting = MeetingFactory(cell=cell, date=day, **meeting_fields)
    for _i in range(members):
        MemberFactory(cell=cell)
    return Visit.objects.create(cadre=cadre, cell=cell, meeting=meeting, status=status)


def draft_note(user, cell: Organization, day: datetime.date, **data) -> AttendanceNote:
    """A draft started by ``user``'s cadre, with ``data`` saved into it."""
    note = notes.note_start(visit=visit_at(user.cadre, cell, day), by=user, today=day)
    if data:
        note = notes.note_save(note=note, data=data, version=note.version, by=user)
    return note


def submitted_note(user, cell: Organization, day: datetime.date, **data) -> AttendanceNote:
    note = draft_note(user, cell, day, **{**COMPLETE, **data})
    return notes.note_submit(note=note, version=note.version, by=user)


def pending_round_version(note: AttendanceNote) -> int:
    return note.rounds.order_by("-number").first().version
