"""Attachments of a note: photos and PDFs only (judged by their bytes), 5 MB each, 10 per note, by the
author while the note is editable; a refused upload stores nothing."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from assignments.models import NoteAttachment
from assignments.notes import services as notes
from assignments.notes.selectors import attachments_visible_to
from tests.assignments.notes.factories import (
    EXE,
    JPEG,
    PDF,
    PNG,
    draft_note,
    pending_round_version,
    submitted_note,
    upload,
)


@pytest.fixture(autouse=True)
def english(client):
    """These tests read the English texts; the product's default language is Vietnamese."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


DAY = datetime.date(2026, 3, 5)


def stored_files() -> set[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def note(tree, cadre_user):
    return draft_note(cadre_user, tree.cell, DAY)


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (PDF, "bien-ban.pdf", "application/pdf"),
        (PNG, "anh.png", "image/png"),
        (JPEG, "anh.jpg", "image/jpeg"),
    ],
)
def test_author_attaches_a_photo_or_pdf(note, cadre_user, content, name, content_type):
    attachment = notes.attachment_add(
        note=note, upload=upload(content, name, "application/octet-stream"), by=cadre_user
    )

    attachment.refresh_from_db()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        name,
        content_type,
        len(content),
    )
    assert attachment.uploaded_by == cadre_user
    assert Path(attachment.file.path).read_bytes() == content
    assert Path(attachment.file.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert name not in attachment.file.name  # stored under a random name


def test_an_exe_renamed_jpg_is_refused_and_nothing_stored(note, cadre_user):
    before = stored_files()
    with pytest.raises(ValidationError, match="JPEG or PNG"):
        notes.attachment_add(note=note, upload=upload(EXE, "anh.jpg", "image/jpeg"), by=cadre_user)
    assert not NoteAttachment.objects.exists()
    assert stored_files() == before


def test_an_oversized_file_is_refused_and_nothing_stored(note, cadre_user):
    before = stored_files()
    big = PDF + b"0" * NoteAttachment.MAX_BYTES
    with pytest.raises(ValidationError, match="larger than 5 MB"):
        notes.attachment_add(note=note, upload=upload(big), by=cadre_user)
    assert not NoteAttachment.objects.exists()
    assert stored_files() == before


def test_exactly_the_limit_is_accepted(note, cadre_user):
    exact = PDF + b"0" * (NoteAttachment.MAX_BYTES - len(PDF))
    assert (
        notes.attachment_add(note=note, upload=upload(exact), by=cadre_user).size == NoteAttachment.MAX_BYTES
    )


def test_the_eleventh_attachment_is_refused_and_nothing_stored(note, cadre_user):
    for i in range(notes.MAX_ATTACHMENTS):
        notes.attachment_add(note=note, upload=upload(PDF, f"trang-{i}.pdf"), by=cadre_user)
    before = stored_files()
    with pytest.raises(ValidationError, match="at most 10"):
        notes.attachment_add(note=note, upload=upload(PDF, "thua.pdf"), by=cadre_user)
    assert note.attachments.count() == notes.MAX_ATTACHMENTS
    assert stored_files() == before


@pytest.mark.parametrize("persona", ["other_cadre", "staff", "leader", "grassroots", "outsider"])
def test_only_the_author_attaches(note, personas, persona):
    with pytest.raises(PermissionDenied):
        notes.attachment_add(note=note, upload=upload(), by=personas[persona])
    assert not NoteAttachment.objects.exists()


def test_no_attachment_once_submitted_but_again_once_returned(tree, cadre_user, staff):
    note = submitted_note(cadre_user, tree.cell, DAY)
    with pytest.raises(ValidationError, match="submitted"):
        notes.attachment_add(note=note, upload=upload(), by=cadre_user)
    notes.note_return(note=note, round_version=pending_round_version(note), by=staff, comment="Thêm biên bản")
    assert notes.attachment_add(note=note, upload=upload(), by=cadre_user).note == note


def test_author_deletes_an_attachment_and_its_file(note, cadre_user, django_capture_on_commit_callbacks):
    attachment = notes.attachment_add(note=note, upload=upload(), by=cadre_user)
    path = Path(attachment.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        notes.attachment_delete(attachment=attachment, by=cadre_user)
    assert not NoteAttachment.objects.exists()
    assert not path.exists()


@pytest.mark.parametrize("persona", ["other_cadre", "staff", "leader", "grassroots", "outsider"])
def test_only_the_author_deletes(note, personas, persona):
    attachment = notes.attachment_add(note=note, upload=upload(), by=personas["cadre"])
    with pytest.raises(PermissionDenied):
        notes.attachment_delete(attachment=attachment, by=personas[persona])
    assert NoteAttachment.objects.filter(pk=attachment.pk).exists()


def test_no_delete_once_submitted(tree, cadre_user):
    note = draft_note(
        cadre_user, tree.cell, DAY, members_total=3, members_present=3, overall_rating="good", summary="x"
    )
    attachment = notes.attachment_add(note=note, upload=upload(), by=cadre_user)
    note.refresh_from_db()
    notes.note_submit(note=note, version=note.version, by=cadre_user)
    with pytest.raises(ValidationError):
        notes.attachment_delete(attachment=attachment, by=cadre_user)
    assert NoteAttachment.objects.filter(pk=attachment.pk).exists()


def test_attachments_visible_to_the_author_staff_and_leadership_only(note, personas):
    attachment = notes.attachment_add(note=note, upload=upload(), by=personas["cadre"])
    for name in ("cadre", "staff", "leader"):
        assert list(attachments_visible_to(personas[name])) == [attachment], name
    for name in ("other_cadre", "grassroots", "sibling_grassroots", "outsider"):
        assert not attachments_visible_to(personas[name]).exists(), name
