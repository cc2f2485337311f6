"""The cadre's note pages: start, unplanned attendance, the phone form with autosave, submit, attachments."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from assignments.models import Assignment, AttendanceNote, NoteAttachment, Visit
from assignments.notes import services as notes
from assignments.notes.forms import NOTE_FIELDS, NoteForm
from tests.assignments.cadre_pages.factories import meeting, plan, visit


@pytest.fixture(autouse=True)
def english(client):
    """These tests read the English texts; the product's default language is Vietnamese."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


PAYLOAD = "<script>alert(1)</script>"
FREE_TEXT = [
    "topic",
    "not_held_reason",
    "chaired_by",
    "summary",
    "conveyed",
    "good_practices",
    "shortcomings",
    "petitions",
    "difficulties",
    "proposals",
]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4 minutes of the meeting"
# 8 today at both sizes: the bound must not depend on how many files are attached.
QUERY_BOUND = 8
COMPLETE = {"summary": "Chi bộ thảo luận nghị quyết", "overall_rating": "good", "members_present": "9"}


@pytest.fixture
def cad1(personas):
    return personas["cadre"].cadre


@pytest.fixture
def planned(tree, cad1) -> Visit:
    """CAD1 assigned to XA-AP1 this year, with a planned visit to today's meeting."""
    today = timezone.localdate()
    Assignment.objects.create(plan=plan(tree.root, today.year), cadre=cad1, cell=tree.cell)
    return visit(cad1, meeting(tree.cell, today))


@pytest.fixture
def note(planned, personas) -> AttendanceNote:
    return notes.note_start(visit=planned, by=personas["cadre"])


def form_data(note: AttendanceNote, **changes) -> dict:
    """What the browser posts: every field of the form, unticked switches left out."""
    data = {}
    for name, value in NoteForm(note=note).initial.items():
        if value is False:
            continue
        data[name] = "" if value is None else value
    for name, value in changes.items():
        data[name] = value
    return {name: value for name, value in data.items() if value is not False}


def saved(note: AttendanceNote, by, **data) -> AttendanceNote:
    return notes.note_save(note=note, data=data, version=note.version, by=by)


def stored_files() -> list[Path]:
    return [path for path in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if path.is_file()]


# --- Starting ------------------------------------------------------------------------------------------
def test_start_asks_then_creates_the_draft_and_opens_it(client_for, personas, planned):
    client = client_for(personas["cadre"])
    url = reverse("assignments:note_start", args=[planned.pk])
    page = client.get(url)
    assert page.status_code == 200 and not AttendanceNote.objects.exists()
    response = client.post(url)
    note = AttendanceNote.objects.get(visit=planned)
    assert note.status == AttendanceNote.Status.DRAFT
    assert response.url == reverse("assignments:note_edit", args=[note.pk])
    again = client.post(url)  # a second tap opens the same note
    assert again.url == response.url and AttendanceNote.objects.count() == 1


def test_start_of_a_future_meeting_is_refused_with_a_message(client_for, personas, tree, cad1, planned):
    future = visit(cad1, meeting(tree.cell, timezone.localdate() + datetime.timedelta(days=5)))
    response = client_for(personas["cadre"]).post(
        reverse("assignments:note_start", args=[future.pk]), follow=True
    )
    assert not AttendanceNote.objects.filter(visit=future).exists()
    assert "on or after the day of the meeting" in response.content.decode()


def test_unplanned_attendance_creates_an_attended_visit_and_its_note(
    client_for, personas, tree, cad1, planned
):
    client = client_for(personas["cadre"])
    url = reverse("assignments:note_unplanned")
    page = client.get(url).content.decode()
    # only the cadre's assigned cells, each with its committee
    assert "Chi bộ ấp 1 – Đảng bộ xã Xuân Thới Sơn" in page and "Chi bộ ấp Bà Điểm" not in page
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        url,
        {
            "cell": tree.cell.pk,
            "meeting_date": yesterday.isoformat(),
            "meeting_kind": "thematic",
            "topic": "ĐH",
        },
    )
    note = AttendanceNote.objects.get(meeting_date=yesterday)
    assert response.url == reverse("assignments:note_edit", args=[note.pk])
    assert note.visit.status == Visit.Status.ATTENDED and note.meeting_kind == "thematic"
    refused = client.post(
        url, {"cell": tree.sibling_cell.pk, "meeting_date": yesterday.isoformat(), "meeting_kind": "regular"}
    )
    assert refused.status_code == 200 and AttendanceNote.objects.count() == 1


# --- The form and autosave ------------------------------------------------------------------------------
def test_edit_page_folds_into_sections_and_carries_the_version(client_for, personas, note):
    page = (
        client_for(personas["cadre"]).get(reverse("assignments:note_edit", args=[note.pk])).content.decode()
    )
    sections = re.findall(r'<details[^>]*data-section="(\w+)"', page)
    assert sections == [
        "meeting",
        "attendance",
        "ratings",
        "proceedings",
        "issues",
        "proposals",
        "attachments",
    ]
    assert re.search(r'<input type="hidden" name="version" value="1"', page)
    assert 'hx-trigger="input changed delay:1500ms, note:save"' in page
    assert "js/note_draft.js" in page and "<script>" not in page.split("</main>")[0]


def test_autosave_saves_and_returns_the_new_version(client_for, personas, note):
    response = client_for(personas["cadre"]).post(
        reverse("assignments:note_autosave", args=[note.pk]),
        form_data(note, summary="Họp đúng giờ", difficulties_escalate="on"),
    )
    note.refresh_from_db()
    assert response.status_code == 200
    assert note.summary == "Họp đúng giờ" and note.difficulties_escalate and note.version == 2
    body = response.content.decode()
    assert 'data-state="saved"' in body
    assert re.search(r'name="version" value="2" id="id_version" hx-swap-oob="true"', body)


def test_autosave_conflict_shows_the_other_version_and_keeps_the_database(client_for, personas, note):
    stale = form_data(note, summary="Bản của tôi trên điện thoại")
    saved(note, personas["cadre"], summary="Bản đã lưu từ máy tính")  # another tab saved first
    response = client_for(personas["cadre"]).post(reverse("assignments:note_autosave", args=[note.pk]), stale)
    note.refresh_from_db()
    assert response.status_code == 409
    assert note.summary == "Bản đã lưu từ máy tính" and note.version == 2
    body = response.content.decode()
    assert 'data-state="conflict"' in body and "Bản đã lưu từ máy tính" in body
    assert "hx-swap-oob" not in body  # the page keeps its version: nothing is overwritten


def test_autosave_with_invalid_figures_says_why_and_saves_nothing(client_for, personas, note):
    response = client_for(personas["cadre"]).post(
        reverse("assignments:note_autosave", args=[note.pk]),
        form_data(note, summary="x", members_total="5", members_present="9"),
    )
    note.refresh_from_db()
    assert response.status_code == 422 and 'data-state="invalid"' in response.content.decode()
    assert note.version == 1 and note.summary == ""


def test_every_free_text_field_comes_back_escaped(client_for, personas, note, staff):
    saved(note, personas["cadre"], **dict.fromkeys(FREE_TEXT, PAYLOAD))
    client = client_for(personas["cadre"])
    url = reverse("assignments:note_edit", args=[note.pk])
    page = client.get(url).content.decode()
    assert PAYLOAD not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= len(FREE_TEXT)
    note.refresh_from_db()
    notes.note_save(
        note=note,
        data={"held": "moved", **COMPLETE, "summary": PAYLOAD, "members_total": 9},
        version=note.version,
        by=personas["cadre"],
    )
    note.refresh_from_db()
    notes.note_submit(note=note, version=note.version, by=personas["cadre"])
    locked = client.get(url).content.decode()
    assert PAYLOAD not in locked and locked.count("&lt;script&gt;") >= len(FREE_TEXT)
    round_ = note.rounds.get()
    notes.note_return(note=note, round_version=round_.version, by=staff, comment=PAYLOAD)
    returned = client.get(url).content.decode()
    assert PAYLOAD not in returned and 'data-testid="returned-comment"' in returned


# --- Submitting -----------------------------------------------------------------------------------------
def test_submit_saves_the_last_edits_and_locks_the_note(client_for, personas, note):
    client = client_for(personas["cadre"])
    response = client.post(
        reverse("assignments:note_submit", args=[note.pk]), form_data(note, members_total="10", **COMPLETE)
    )
    note.refresh_from_db()
    assert response.url == reverse("assignments:note_edit", args=[note.pk])
    assert note.status == AttendanceNote.Status.SUBMITTED and note.summary == COMPLETE["summary"]
    assert note.rounds.count() == 1 and note.visit.status == Visit.Status.ATTENDED
    page = client.get(response.url).content.decode()
    assert 'data-testid="note-locked"' in page and 'id="note-form"' not in page
    assert COMPLETE["summary"] in page
    after = client.post(reverse("assignments:note_autosave", args=[note.pk]), form_data(note, summary="late"))
    note.refresh_from_db()
    assert after.status_code == 422 and note.summary == COMPLETE["summary"]


def test_submit_of_an_incomplete_note_shows_what_is_missing(client_for, personas, note):
    """The edits are kept; what is missing shows on the confirmation address, which answers a reload."""
    client = client_for(personas["cadre"])
    response = client.post(reverse("assignments:note_submit", args=[note.pk]), form_data(note))
    note.refresh_from_db()
    confirm = reverse("assignments:note_confirm", args=[note.pk])
    assert response.status_code == 302 and response.url == confirm
    assert note.status == AttendanceNote.Status.DRAFT
    page = client.get(confirm)
    assert page.status_code == 200 and "required to submit the note" in page.content.decode()


def test_returned_note_shows_the_comment_and_is_editable_again(client_for, personas, note, staff):
    client = client_for(personas["cadre"])
    client.post(
        reverse("assignments:note_submit", args=[note.pk]), form_data(note, members_total="10", **COMPLETE)
    )
    note.refresh_from_db()
    notes.note_return(note=note, round_version=note.rounds.get().version, by=staff, comment="Bổ sung số vắng")
    page = client.get(reverse("assignments:note_edit", args=[note.pk])).content.decode()
    assert "Bổ sung số vắng" in page and 'id="note-form"' in page


# --- Who may touch a note -------------------------------------------------------------------------------
@pytest.mark.parametrize("persona", ["other_cadre", "grassroots", "sibling_grassroots", "outsider"])
def test_other_people_get_404_and_change_nothing(client_for, personas, note, persona):
    client = client_for(personas[persona])
    assert client.get(reverse("assignments:note_edit", args=[note.pk])).status_code == 404
    for name in ("note_autosave", "note_submit"):
        response = client.post(reverse(f"assignments:{name}", args=[note.pk]), form_data(note, summary="x"))
        assert response.status_code == 404
    upload = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    assert (
        client.post(
            reverse("assignments:note_attachment_upload", args=[note.pk]), {"upload": upload}
        ).status_code
        == 404
    )
    note.refresh_from_db()
    assert note.version == 1 and note.summary == "" and not note.attachments.exists()


def test_staff_read_but_cannot_write_the_cadres_note(client_for, personas, note):
    response = client_for(personas["staff"]).post(
        reverse("assignments:note_autosave", args=[note.pk]), form_data(note, summary="staff")
    )
    note.refresh_from_db()
    assert response.status_code == 403 and note.summary == ""


# --- Attachments ------------------------------------------------------------------------------------------
def test_upload_lists_and_downloads_the_file(client_for, personas, note):
    client = client_for(personas["cadre"])
    upload = SimpleUploadedFile("bien-ban.png", PNG, content_type="image/png")
    response = client.post(
        reverse("assignments:note_attachment_upload", args=[note.pk]), {"upload": upload}, follow=True
    )
    attachment = note.attachments.get()
    assert attachment.content_type == "image/png" and attachment.original_name == "bien-ban.png"
    page = response.content.decode()
    assert "bien-ban.png" in page and reverse("assignments:attachment_download", args=[attachment.pk]) in page
    download = client.get(reverse("assignments:attachment_download", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("script.html", b"<html><script>alert(1)</script></html>", "Only JPEG or PNG photos and PDF files"),
        ("photo.png", b"GIF89a" + b"\x00" * 32, "Only JPEG or PNG photos and PDF files"),
        ("huge.pdf", PDF + b"\x00" * NoteAttachment.MAX_BYTES, "larger than 5 MB"),
    ],
)
def test_disallowed_or_oversize_upload_is_refused_and_nothing_stored(
    client_for, personas, note, name, content, message
):
    before = stored_files()
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    response = client_for(personas["cadre"]).post(
        reverse("assignments:note_attachment_upload", args=[note.pk]), {"upload": upload}, follow=True
    )
    assert message in response.content.decode()
    assert not NoteAttachment.objects.exists() and stored_files() == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("cadre", 200),
        ("staff", 200),
        ("leader", 200),
        ("other_cadre", 404),
        ("grassroots", 404),
        ("outsider", 404),
    ],
)
def test_download_only_for_author_staff_and_leadership(client_for, personas, note, persona, status):
    attachment = notes.attachment_add(
        note=note,
        upload=SimpleUploadedFile("m.pdf", PDF, content_type="application/pdf"),
        by=personas["cadre"],
    )
    response = client_for(personas[persona]).get(
        reverse("assignments:attachment_download", args=[attachment.pk])
    )
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF


def test_delete_while_editable_and_refused_once_submitted(client_for, personas, note):
    client = client_for(personas["cadre"])
    add = lambda: notes.attachment_add(  # noqa: E731
        note=note,
        upload=SimpleUploadedFile("m.pdf", PDF, content_type="application/pdf"),
        by=personas["cadre"],
    )
    first = add()
    client.post(reverse("assignments:attachment_delete", args=[first.pk]))
    assert not NoteAttachment.objects.filter(pk=first.pk).exists()
    second = add()
    assert (
        client_for(personas["other_cadre"])
        .post(reverse("assignments:attachment_delete", args=[second.pk]))
        .status_code
        == 404
    )
    client = client_for(personas["cadre"])
    note.refresh_from_db()
    client.post(
        reverse("assignments:note_submit", args=[note.pk]), form_data(note, members_total="10", **COMPLETE)
    )
    response = client.post(reverse("assignments:attachment_delete", args=[second.pk]), follow=True)
    assert NoteAttachment.objects.filter(pk=second.pk).exists()
    assert "can no longer be changed" in response.content.decode()


# --- Query count ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("attachments", [1, 8])
def test_edit_page_query_count_does_not_grow_with_attachments(
    client_for, personas, note, attachments, django_assert_max_num_queries
):
    for index in range(attachments):
        NoteAttachment.objects.create(
            note=note,
            file=f"notes/x{index}.pdf",
            original_name=f"x{index}.pdf",
            content_type="application/pdf",
            size=10,
            uploaded_by=personas["cadre"],
        )
    client = client_for(personas["cadre"])
    url = reverse("assignments:note_edit", args=[note.pk])
    client.get(url)  # warm the session and the role caches
    with django_assert_max_num_queries(QUERY_BOUND):
        response = client.get(url)
    assert response.content.decode().count("data-attachment=") == attachments


def test_note_fields_cover_the_form(note):
    assert set(NOTE_FIELDS) <= {f.name for f in AttendanceNote._meta.fields}
