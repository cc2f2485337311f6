"""Escalations: accepted notes' flagged sections reach leadership, who direct them; leadership or staff
resolve them; they stay in the queue across quarters until resolved."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from freezegun import freeze_time

from assignments.models import Escalation
from assignments.notes import services as notes
from assignments.notes.selectors import escalation_queue, escalations_visible_to
from tests.assignments.notes.factories import pending_round_version, submitted_note


@pytest.fixture(autouse=True)
def english(client):
    """These tests read the English texts; the product's default language is Vietnamese."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


DAY = datetime.date(2026, 3, 5)


def accepted(cadre_user, staff, cell, **data):
    note = submitted_note(cadre_user, cell, DAY, **data)
    return notes.note_accept(note=note, round_version=pending_round_version(note), by=staff)


@pytest.fixture
def escalation(tree, cadre_user, staff) -> Escalation:
    note = accepted(
        cadre_user, staff, tree.cell, difficulties="Hội trường xuống cấp", difficulties_escalate=True
    )
    return note.escalations.get()


def test_accept_escalates_each_flagged_non_empty_section(tree, cadre_user, staff):
    note = accepted(
        cadre_user,
        staff,
        tree.cell,
        petitions="Đề nghị hỗ trợ kinh phí",
        petitions_escalate=True,
        difficulties="Thiếu đảng viên trẻ",
        difficulties_escalate=True,
    )
    rows = {e.source: (e.text, e.cell, e.status) for e in note.escalations.all()}
    assert rows == {
        "petitions": ("Đề nghị hỗ trợ kinh phí", tree.cell, "open"),
        "difficulties": ("Thiếu đảng viên trẻ", tree.cell, "open"),
    }


def test_unflagged_or_empty_sections_are_not_escalated(tree, cadre_user, staff):
    note = accepted(
        cadre_user, staff, tree.cell, petitions="Chỉ ghi nhận", difficulties="  ", difficulties_escalate=True
    )
    assert not note.escalations.exists()


def test_a_returned_note_escalates_nothing(tree, cadre_user, staff):
    note = submitted_note(cadre_user, tree.cell, DAY, petitions="Kiến nghị", petitions_escalate=True)
    notes.note_return(note=note, round_version=pending_round_version(note), by=staff, comment="Sửa lại")
    assert not Escalation.objects.exists()


def test_leadership_directs_then_staff_resolves(escalation, leader, staff):
    directed = notes.escalation_direct(escalation=escalation, direction="Giao UBND xã xem xét", by=leader)
    assert (directed.status, directed.direction, directed.directed_by) == (
        "directed",
        "Giao UBND xã xem xét",
        leader,
    )
    assert directed.directed_at is not None

    resolved = notes.escalation_resolve(escalation=escalation, resolution="Đã sửa hội trường", by=staff)

    escalation.refresh_from_db()
    assert (escalation.status, escalation.resolution) == ("resolved", "Đã sửa hội trường")
    assert resolved.resolved_at is not None
    users = list(
        escalation.history.order_by("history_date", "history_id").values_list("status", "history_user")
    )
    assert users == [("open", staff.pk), ("directed", leader.pk), ("resolved", staff.pk)]


def test_leadership_may_resolve_an_open_item_directly(escalation, leader):
    notes.escalation_resolve(escalation=escalation, resolution="Đã giải quyết tại chỗ", by=leader)
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.RESOLVED


@pytest.mark.parametrize(
    "persona", ["staff", "cadre", "other_cadre", "grassroots", "sibling_grassroots", "outsider"]
)
def test_only_leadership_of_the_scope_directs(escalation, personas, persona):
    with pytest.raises(PermissionDenied):
        notes.escalation_direct(escalation=escalation, direction="Chỉ đạo", by=personas[persona])
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.OPEN and escalation.direction == ""


@pytest.mark.parametrize("persona", ["cadre", "other_cadre", "grassroots", "sibling_grassroots", "outsider"])
def test_only_leadership_or_staff_of_the_scope_resolve(escalation, personas, persona):
    with pytest.raises(PermissionDenied):
        notes.escalation_resolve(escalation=escalation, resolution="Xong", by=personas[persona])
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.OPEN


def test_texts_are_required_and_transitions_checked(escalation, leader, staff):
    with pytest.raises(ValidationError):
        notes.escalation_direct(escalation=escalation, direction="   ", by=leader)
    with pytest.raises(ValidationError):
        notes.escalation_resolve(escalation=escalation, resolution="", by=staff)
    notes.escalation_direct(escalation=escalation, direction="Chỉ đạo", by=leader)
    with pytest.raises(ValidationError, match="open"):
        notes.escalation_direct(escalation=escalation, direction="Lần nữa", by=leader)
    notes.escalation_resolve(escalation=escalation, resolution="Xong", by=staff)
    with pytest.raises(ValidationError, match="already resolved"):
        notes.escalation_resolve(escalation=escalation, resolution="Lại xong", by=staff)
    escalation.refresh_from_db()
    assert (escalation.direction, escalation.resolution) == ("Chỉ đạo", "Xong")


def test_escalations_visible_only_to_staff_and_leadership_of_the_scope(escalation, personas):
    for name in ("staff", "leader"):
        assert list(escalations_visible_to(personas[name])) == [escalation], name
    for name in ("cadre", "other_cadre", "grassroots", "sibling_grassroots", "outsider"):
        assert not escalations_visible_to(personas[name]).exists(), name
        assert not escalation_queue(personas[name]).exists(), name


def test_the_queue_puts_open_and_directed_items_of_every_quarter_before_the_resolved(
    tree, cadre_user, staff, leader
):
    with freeze_time("2026-03-20 09:00 +07:00"):  # Q1
        first = accepted(cadre_user, staff, tree.cell, petitions="Kiến nghị quý I", petitions_escalate=True)
        second = accepted(
            cadre_user, staff, tree.cell2, difficulties="Khó khăn quý I", difficulties_escalate=True
        )
    first_item, second_item = first.escalations.get(), second.escalations.get()

    with freeze_time("2026-04-10 09:00 +07:00"):  # Q2: last quarter's items are still waiting
        notes.escalation_direct(escalation=first_item, direction="Giao Ban Dân vận", by=leader)
        assert list(escalation_queue(leader)) == [first_item, second_item]

    with freeze_time("2026-07-02 09:00 +07:00"):  # Q3: a resolution moves an item after the unresolved
        notes.escalation_resolve(escalation=first_item, resolution="Đã giải quyết", by=staff)
        assert list(escalation_queue(leader)) == [second_item, first_item]
        assert list(escalation_queue(staff)) == [second_item, first_item]
        unresolved = escalation_queue(leader).exclude(status=Escalation.Status.RESOLVED)
        assert list(unresolved) == [second_item]
