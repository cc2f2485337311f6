"""The attendance-note workflow through assignments.notes.services: start, save, submit, return, resubmit, accept;
every transition allowed and refused by role; optimistic locking; overdue; the audit trail."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from freezegun import freeze_time

from assignments.models import AttendanceNote, NoteRound, Visit
from assignments.notes import services as notes
from assignments.notes.selectors import is_overdue, notes_for_review, notes_visible_to
from cells.models import Meeting, MeetingSchedule
from tests.assignments.notes.factories import (
    COMPLETE,
    draft_note,
    pending_round_version,
    submitted_note,
    visit_at,
)
from tests.assignments.visits.factories import issued_plan


@pytest.fixture(autouse=True)
def english(client):
    """These tests read the English texts; the product's default language is Vietnamese."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


DAY = datetime.date(2026, 3, 5)


@pytest.fixture
def cad1(cadre_user):
    return cadre_user.cadre


# --- Starting a note ---------------------------------------------------------------------------------
def test_start_prefills_from_the_meeting_and_the_cell(tree, cadre_user, cad1):
    visit = visit_at(cad1, tree.cell, DAY, members=4, kind=Meeting.Kind.THEMATIC, topic="Nghị quyết 57")

    note = notes.note_start(visit=visit, by=cadre_user, today=DAY)

    assert note.status == AttendanceNote.Status.DRAFT
    assert note.author == cad1
    assert (note.meeting_date, note.meeting_kind, note.topic) == (DAY, "thematic", "Nghị quyết 57")
    assert note.members_total == 4
    assert notes.note_start(visit=visit, by=cadre_user, today=DAY).pk == note.pk  # the same draft again
    assert AttendanceNote.objects.count() == 1


def test_start_refused_for_anyone_but_the_visits_cadre(tree, personas, cad1):
    visit = visit_at(cad1, tree.cell, DAY)
    for name in ("other_cadre", "staff", "leader", "grassroots", "outsider"):
        with pytest.raises(PermissionDenied):
            notes.note_start(visit=visit, by=personas[name], today=DAY)
    assert not AttendanceNote.objects.exists()


def test_start_refused_before_the_meeting_and_for_a_cancelled_visit(tree, cadre_user, cad1):
    future = visit_at(cad1, tree.cell, DAY)
    with pytest.raises(ValidationError, match="on or after the day"):
        notes.note_start(visit=future, by=cadre_user, today=DAY - datetime.timedelta(days=1))
    cancelled = visit_at(cad1, tree.cell2, DAY, status=Visit.Status.CANCELLED)
    with pytest.raises(ValidationError, match="planned or attended"):
        notes.note_start(visit=cancelled, by=cadre_user, today=DAY)
    assert not AttendanceNote.objects.exists()


# --- An unplanned meeting ------------------------------------------------------------------------------
def test_unplanned_meeting_creates_a_held_meeting_an_attended_visit_and_a_draft(tree, cadre_user, cad1):
    issued_plan(tree.root, DAY.year, [(cad1, tree.cell)])
    MeetingSchedule.objects.create(
        cell=tree.cell, day=5, start_time=datetime.time(19, 0), place="Nhà văn hóa"
    )

    note = notes.note_record_unplanned(
        cadre=cad1, cell=tree.cell, meeting_date=DAY, meeting_kind="regular", by=cadre_user, today=DAY
    )

    visit = note.visit
    assert (visit.status, visit.cadre, visit.cell) == (Visit.Status.ATTENDED, cad1, tree.cell)
    assert (visit.meeting.status, visit.meeting.place, visit.meeting.date) == ("held", "Nhà văn hóa", DAY)
    assert note.status == AttendanceNote.Status.DRAFT and note.meeting_date == DAY


def test_unplanned_meeting_uses_the_cells_meeting_of_that_day(tree, cadre_user, cad1):
    issued_plan(tree.root, DAY.year, [(cad1, tree.cell2)])
    visit_at(cad1, tree.cell, DAY)  # a visit elsewhere that day
    existing = Meeting.objects.create(
        cell=tree.cell2, date=DAY, start_time=datetime.time(8, 0), place="Phòng họp trường"
    )

    note = notes.note_record_unplanned(
        cadre=cad1, cell=tree.cell2, meeting_date=DAY, meeting_kind="regular", by=cadre_user, today=DAY
    )

    assert note.visit.meeting == existing
    assert Meeting.objects.filter(cell=tree.cell2).count() == 1


def test_unplanned_meeting_without_a_schedule_has_a_dash_for_place(tree, cadre_user, cad1):
    issued_plan(tree.root, DAY.year, [(cad1, tree.cell)])
    note = notes.note_record_unplanned(
        cadre=cad1, cell=tree.cell, meeting_date=DAY, meeting_kind="regular", by=cadre_user, today=DAY
    )
    assert note.visit.meeting.place == "—"


def test_unplanned_meeting_refused_unassigned_future_or_for_someone_else(tree, personas, cad1):
    cadre_user = personas["cadre"]
    issued_plan(tree.root, DAY.year, [(cad1, tree.cell)])
    draft = {"cadre": cad1, "meeting_kind": "regular", "today": DAY}
    with pytest.raises(ValidationError, match="not assigned"):
        notes.note_record_unplanned(cell=tree.cell2, meeting_date=DAY, by=cadre_user, **draft)
    with pytest.raises(ValidationError, match="not assigned"):  # no issued plan for that year
        notes.note_record_unplanned(
            cell=tree.cell, meeting_date=DAY.replace(year=2025), by=cadre_user, **draft
        )
    with pytest.raises(ValidationError, match="future"):
        notes.note_record_unplanned(
            cell=tree.cell, meeting_date=DAY + datetime.timedelta(1), by=cadre_user, **draft
        )
    with pytest.raises(PermissionDenied):
        notes.note_record_unplanned(cell=tree.cell, meeting_date=DAY, by=personas["other_cadre"], **draft)
    with pytest.raises(PermissionDenied):
        notes.note_record_unplanned(cell=tree.cell, meeting_date=DAY, by=personas["staff"], **draft)
    assert not Visit.objects.exists() and not Meeting.objects.exists()


# --- Saving ----------------------------------------------------------------------------------------------
def test_author_saves_a_draft_partially_and_the_version_moves_on(tree, cadre_user):
    note = draft_note(cadre_user, tree.cell, DAY)
    version = note.version

    saved = notes.note_save(
        note=note,
        data={
            "summary": "Diễn biến",
            "members_total": "3",
            "members_present": "2",
            "started_on_time": "true",
        },
        version=version,
        by=cadre_user,
    )

    saved.refresh_from_db()
    assert (saved.summary, saved.members_present, saved.started_on_time) == ("Diễn biến", 2, True)
    assert saved.version == version + 1
    notes.note_save(note=saved, data={"members_present": ""}, version=saved.version, by=cadre_user)
    saved.refresh_from_db()
    assert saved.members_present is None and saved.summary == "Diễn biến"


def test_save_refuses_protected_fields_and_invalid_values(tree, cadre_user):
    note = draft_note(cadre_user, tree.cell, DAY)
    with pytest.raises(ValidationError, match="status"):
        notes.note_save(note=note, data={"status": "accepted"}, version=note.version, by=cadre_user)
    with pytest.raises(ValidationError, match="More members present"):
        notes.note_save(
            note=note, data={"members_total": 2, "members_present": 5}, version=note.version, by=cadre_user
        )
    with pytest.raises(ValidationError) as refused:
        notes.note_save(note=note, data={"members_present": "many"}, version=note.version, by=cadre_user)
    assert set(refused.value.message_dict) == {"members_present"}
    with pytest.raises(ValidationError):
        notes.note_save(note=note, data={"overall_rating": "superb"}, version=note.version, by=cadre_user)
    note.refresh_from_db()
    assert note.status == AttendanceNote.Status.DRAFT and note.members_present is None
    assert note.overall_rating == ""


def test_save_refused_for_every_other_persona(tree, personas):
    note = draft_note(personas["cadre"], tree.cell, DAY)
    for name in ("other_cadre", "staff", "leader", "grassroots", "outsider"):
        with pytest.raises(PermissionDenied):
            notes.note_save(note=note, data={"summary": "x"}, version=note.version, by=personas[name])
    note.refresh_from_db()
    assert note.summary == ""


def test_concurrent_saves_second_is_refused_and_the_first_is_kept(tree, cadre_user):
    note = draft_note(cadre_user, tree.cell, DAY)
    phone, laptop = AttendanceNote.objects.get(pk=note.pk), AttendanceNote.objects.get(pk=note.pk)

    notes.note_save(note=phone, data={"summary": "Từ điện thoại"}, version=phone.version, by=cadre_user)
    with pytest.raises(notes.NoteConflict) as conflict:
        notes.note_save(note=laptop, data={"summary": "Từ máy tính"}, version=laptop.version, by=cadre_user)

    assert conflict.value.current.summary == "Từ điện thoại"
    note.refresh_from_db()
    assert note.summary == "Từ điện thoại"


# --- Submitting ------------------------------------------------------------------------------------------
def test_submit_refuses_an_incomplete_note_naming_the_fields(tree, cadre_user):
    note = draft_note(cadre_user, tree.cell, DAY, summary="  ")
    with pytest.raises(ValidationError) as refused:
        notes.note_submit(note=note, version=note.version, by=cadre_user)
    assert {"summary", "overall_rating", "members_present"} <= set(refused.value.message_dict)
    note.refresh_from_db()
    assert note.status == AttendanceNote.Status.DRAFT and not NoteRound.objects.exists()


def test_a_meeting_not_held_needs_a_reason_not_figures(tree, cadre_user):
    note = draft_note(cadre_user, tree.cell, DAY, held="not_held", summary="Không họp", members_total=None)
    with pytest.raises(ValidationError) as refused:
        notes.note_submit(note=note, version=note.version, by=cadre_user)
    assert set(refused.value.message_dict) == {"not_held_reason"}
    note = notes.note_save(note=note, data={"not_held_reason": "Bão"}, version=note.version, by=cadre_user)
    assert notes.note_submit(note=note, version=note.version, by=cadre_user).status == "submitted"


def test_submit_creates_a_round_with_the_snapshot_and_marks_the_visit_attended(tree, cadre_user):
    note = draft_note(cadre_user, tree.cell, DAY, **COMPLETE)

    note = notes.note_submit(note=note, version=note.version, by=cadre_user)

    assert note.status == AttendanceNote.Status.SUBMITTED and note.submitted_at is not None
    assert note.is_locked_for_author
    round_ = note.rounds.get()
    assert (round_.number, round_.decision) == (1, NoteRound.Decision.PENDING)
    assert round_.snapshot["summary"] == COMPLETE["summary"]
    assert round_.snapshot["meeting_date"] == "2026-03-05"
    assert Visit.objects.get(pk=note.visit_id).status == Visit.Status.ATTENDED
    with pytest.raises(ValidationError, match="submitted"):
        notes.note_save(note=note, data={"summary": "sửa"}, version=note.version, by=cadre_user)
    with pytest.raises(ValidationError, match="submitted"):
        notes.note_submit(note=note, version=note.version, by=cadre_user)


def test_submit_refused_for_every_other_persona(tree, personas):
    note = draft_note(personas["cadre"], tree.cell, DAY, **COMPLETE)
    for name in ("other_cadre", "staff", "leader", "grassroots", "outsider"):
        with pytest.raises(PermissionDenied):
            notes.note_submit(note=note, version=note.version, by=personas[name])
    note.refresh_from_db()
    assert note.status == AttendanceNote.Status.DRAFT


def test_a_stale_submit_is_a_conflict(tree, cadre_user):
    note = draft_note(cadre_user, tree.cell, DAY, **COMPLETE)
    stale = note.version
    notes.note_save(note=note, data={"proposals": "Tăng cường"}, version=stale, by=cadre_user)
    with pytest.raises(notes.NoteConflict):
        notes.note_submit(note=note, version=stale, by=cadre_user)


# --- Review ----------------------------------------------------------------------------------------------
def test_staff_returns_the_author_corrects_and_resubmits_then_staff_accepts(tree, cadre_user, staff):
    note = submitted_note(cadre_user, tree.cell, DAY)

    note = notes.note_return(
        note=note, round_version=pending_round_version(note), by=staff, comment="Bổ sung số vắng mặt"
    )
    assert note.status == AttendanceNote.Status.RETURNED
    first = note.rounds.get(number=1)
    assert (first.decision, first.comment, first.reviewed_by) == ("returned", "Bổ sung số vắng mặt", staff)

    note = notes.note_save(note=note, data={"absent_with_reason": 1}, version=note.version, by=cadre_user)
    note = notes.note_submit(note=note, version=note.version, by=cadre_user)
    assert note.rounds.count() == 2 and note.rounds.get(number=2).snapshot["absent_with_reason"] == 1

    note = notes.note_accept(note=note, round_version=pending_round_version(note), by=staff, comment="Tốt")
    assert note.status == AttendanceNote.Status.ACCEPTED
    second = note.rounds.get(number=2)
    assert (second.decision, second.reviewed_by, second.comment) == ("accepted", staff, "Tốt")
    assert second.reviewed_at is not None and second.version == 2
    with pytest.raises(ValidationError):
        notes.note_save(note=note, data={"summary": "x"}, version=note.version, by=cadre_user)


def test_return_needs_a_comment(tree, cadre_user, staff):
    note = submitted_note(cadre_user, tree.cell, DAY)
    with pytest.raises(ValidationError, match="change"):
        notes.note_return(note=note, round_version=pending_round_version(note), by=staff, comment="  ")
    note.refresh_from_db()
    assert note.status == AttendanceNote.Status.SUBMITTED


@pytest.mark.parametrize(
    "persona", ["leader", "cadre", "other_cadre", "grassroots", "sibling_grassroots", "outsider"]
)
def test_only_organization_staff_of_the_scope_review(tree, personas, persona):
    note = submitted_note(personas["cadre"], tree.cell, DAY)
    version = pending_round_version(note)
    with pytest.raises(PermissionDenied):
        notes.note_accept(note=note, round_version=version, by=personas[persona])
    with pytest.raises(PermissionDenied):
        notes.note_return(note=note, round_version=version, by=personas[persona], comment="x")
    note.refresh_from_db()
    assert note.status == AttendanceNote.Status.SUBMITTED
    assert note.rounds.get().decision == NoteRound.Decision.PENDING


def test_a_draft_cannot_be_reviewed(tree, cadre_user, staff):
    note = draft_note(cadre_user, tree.cell, DAY, **COMPLETE)
    with pytest.raises(ValidationError, match="submitted"):
        notes.note_accept(note=note, round_version=1, by=staff)


def test_a_note_marked_submitted_without_a_round_can_still_be_reviewed(tree, cadre_user, staff):
    note = draft_note(cadre_user, tree.cell, DAY, **COMPLETE)
    AttendanceNote.objects.filter(pk=note.pk).update(status=AttendanceNote.Status.SUBMITTED)
    note = notes.note_accept(note=note, round_version=1, by=staff)
    assert note.status == "accepted" and note.rounds.get().decision == "accepted"


def test_concurrent_reviews_second_is_refused_and_the_first_is_kept(tree, cadre_user, staff):
    note = submitted_note(cadre_user, tree.cell, DAY)
    version = pending_round_version(note)
    notes.note_return(note=note, round_version=version, by=staff, comment="Thiếu diễn biến")

    with pytest.raises(notes.NoteConflict) as conflict:
        notes.note_accept(note=note, round_version=version, by=staff)

    assert conflict.value.current.decision == NoteRound.Decision.RETURNED
    note.refresh_from_db()
    assert note.status == AttendanceNote.Status.RETURNED
    assert note.rounds.get().comment == "Thiếu diễn biến"


# --- Who sees which notes --------------------------------------------------------------------------------
def test_notes_visible_by_persona(tree, personas):
    note = submitted_note(personas["cadre"], tree.cell, DAY)
    seen = {name: list(notes_visible_to(user)) for name, user in personas.items()}
    assert seen["cadre"] == [note] and seen["staff"] == [note] and seen["leader"] == [note]
    for name in ("other_cadre", "grassroots", "sibling_grassroots", "outsider"):
        assert seen[name] == [], name
    assert not notes_for_review(personas["cadre"]).exists()
    assert not notes_for_review(personas["grassroots"]).exists()


# --- Overdue ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("now", "expected"),
    [("2026-03-08 20:00", False), ("2026-03-09 08:00", True)],
    ids=["day-3-due", "day-4-overdue"],
)
def test_overdue_after_the_third_day(tree, cadre_user, staff, now, expected):
    note = draft_note(cadre_user, tree.cell, DAY)
    with freeze_time(f"{now} +07:00"):
        assert is_overdue(note) is expected
        assert notes_for_review(staff).get(pk=note.pk).overdue is expected


def test_a_returned_note_can_be_overdue_a_submitted_one_never(tree, cadre_user, staff):
    submitted = submitted_note(cadre_user, tree.cell, DAY)
    returned = submitted_note(cadre_user, tree.cell2, DAY)
    returned = notes.note_return(
        note=returned, round_version=pending_round_version(returned), by=staff, comment="x"
    )
    with freeze_time("2026-04-30 10:00 +07:00"):
        rows = {n.pk: n.overdue for n in notes_for_review(staff)}
        assert rows == {submitted.pk: False, returned.pk: True}
        assert not is_overdue(submitted) and is_overdue(returned)


# --- The audit trail -------------------------------------------------------------------------------------
def test_every_change_is_in_the_history_with_its_user(tree, cadre_user, staff):
    note = draft_note(
        cadre_user, tree.cell, DAY, **COMPLETE, difficulties="Thiếu kinh phí", difficulties_escalate=True
    )
    note = notes.note_submit(note=note, version=note.version, by=cadre_user)
    note = notes.note_accept(note=note, round_version=pending_round_version(note), by=staff)

    history = list(
        note.history.order_by("history_date", "history_id").values_list(
            "history_type", "status", "history_user"
        )
    )
    assert history == [
        ("+", "draft", cadre_user.pk),
        ("~", "draft", cadre_user.pk),
        ("~", "submitted", cadre_user.pk),
        ("~", "accepted", staff.pk),
    ]
    assert note.visit.history.latest().history_user == cadre_user
    assert note.escalations.get().history.get().history_user == staff
