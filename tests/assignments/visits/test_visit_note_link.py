"""The visit page leads to its attendance note: the cadre writes it once the meeting day has come, office
roles read it once it exists."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from tests.assignments.notes.factories import draft_note, visit_at


def _note_button(client, visit) -> str | None:
    response = client.get(reverse("assignments:visit_detail", args=[visit.pk]))
    assert response.status_code == 200
    return response.context["note_url"]


def test_the_cadre_is_offered_the_note_once_the_meeting_day_has_come(tree, cadre_user, client_for):
    today = timezone.localdate()
    past = visit_at(cadre_user.cadre, tree.cell, today - datetime.timedelta(days=1))
    future = visit_at(cadre_user.cadre, tree.cell, today + datetime.timedelta(days=7))
    client = client_for(cadre_user)
    assert _note_button(client, past) == reverse("assignments:note_start", args=[past.pk])
    assert _note_button(client, future) is None
    assert 'data-testid="visit-note"' in client.get(reverse("assignments:visit_detail", args=[past.pk])).text


def test_staff_read_the_note_once_it_exists(tree, cadre_user, staff, client_for):
    note = draft_note(cadre_user, tree.cell, timezone.localdate() - datetime.timedelta(days=2))
    assert _note_button(client_for(staff), note.visit) == reverse("assignments:note_detail", args=[note.pk])


def test_staff_see_no_note_button_before_the_cadre_writes_one(tree, cadre_user, staff, client_for):
    visit = visit_at(cadre_user.cadre, tree.cell, timezone.localdate() - datetime.timedelta(days=1))
    assert _note_button(client_for(staff), visit) is None
