"""The audit trail on the plan, visit and note pages: who, when, what changed; shown to organization
staff only (leadership and the cadre read the same pages without it)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from assignments.models import AttendanceNote, Visit
from assignments.notes import services as notes
from assignments.plans import services as plans
from assignments.visits import services as visits
from tests.assignments.notes.factories import pending_round_version, submitted_note, visit_at
from tests.factories import CellFactory

DAY = datetime.date(2026, 3, 5)


def _plan_with_assignment(tree, staff, cadre_user):
    plan = plans.plan_create(root=tree.root, year=2027, created_by=staff)
    plans.assignment_add(plan=plan, cadre=cadre_user.cadre, cell=tree.cell)
    plan._history_user = staff
    return plans.plan_update(plan=plan, summary="Phân công dự sinh hoạt chi bộ năm 2027")


def test_plan_page_shows_the_plan_and_its_assignments_history_to_staff(
    tree, staff, leader, cadre_user, client_for
):
    plan = _plan_with_assignment(tree, staff, cadre_user)
    url = reverse("assignments:plan_detail", args=[plan.pk])

    html = client_for(staff).get(url).content.decode()

    assert 'data-testid="plan-history"' in html
    assert "CAD1 → XA-AP1" in html  # the assignment's own row
    assert 'data-field="summary"' in html and "Phân công dự sinh hoạt chi bộ năm 2027" in html
    assert staff.get_full_name() in html
    leader_page = client_for(leader).get(url)
    assert leader_page.status_code == 200 and 'data-testid="plan-history"' not in leader_page.content.decode()


def test_removed_assignments_stay_in_the_plan_history(tree, staff, cadre_user, client_for):
    plan = _plan_with_assignment(tree, staff, cadre_user)
    plans.assignment_remove(assignment=plan.assignments.get())
    html = client_for(staff).get(reverse("assignments:plan_detail", args=[plan.pk])).content.decode()
    assert html.count("CAD1 → XA-AP1") == 2  # added, then deleted
    assert html.count('data-audit-row="deleted"') == 1


def test_visit_page_shows_status_changes_to_staff_only(tree, staff, leader, cadre_user, client_for):
    visit = visit_at(cadre_user.cadre, tree.cell, DAY)
    visit._history_user = staff
    visits.visit_mark(visit=visit, status=Visit.Status.ATTENDED, by=staff, today=DAY)
    url = visit.get_absolute_url()

    html = client_for(staff).get(url).content.decode()

    assert 'data-testid="visit-history"' in html
    with translation.override("vi"):
        change = f"{Visit.Status.PLANNED.label} → {Visit.Status.ATTENDED.label}"
    assert 'data-field="status"' in html and change in html
    assert staff.get_full_name() in html
    for user in (leader, cadre_user):
        page = client_for(user).get(url)
        assert page.status_code == 200 and 'data-testid="visit-history"' not in page.content.decode()


def test_note_page_shows_who_reviewed_to_staff_only(tree, staff, leader, cadre_user, client_for):
    note = submitted_note(cadre_user, tree.cell, DAY)
    response = client_for(staff).post(
        reverse("assignments:note_review", args=[note.pk]),
        {"decision": "return", "comment": "Bổ sung", "round_version": pending_round_version(note)},
    )
    assert response.status_code == 302

    html = client_for(staff).get(note.get_absolute_url()).content.decode()

    assert 'data-testid="note-history"' in html
    with translation.override("vi"):
        change = f"{AttendanceNote.Status.SUBMITTED.label} → {AttendanceNote.Status.RETURNED.label}"
    assert change in html
    assert "Cadre" in html and staff.get_full_name() in html  # the cadre wrote it, staff returned it
    for user in (leader, cadre_user):
        page = client_for(user).get(note.get_absolute_url())
        assert page.status_code == 200 and 'data-testid="note-history"' not in page.content.decode()


def test_escaped_values_in_the_audit_trail(tree, staff, cadre_user, client_for):
    note = submitted_note(cadre_user, tree.cell, DAY, summary="<script>alert(1)</script>")
    notes.note_return(note=note, round_version=pending_round_version(note), by=staff, comment="x")
    note.refresh_from_db()
    notes.note_save(note=note, data={"summary": "<i>sửa</i>"}, version=note.version, by=cadre_user)
    html = client_for(staff).get(note.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html and "<i>sửa</i>" not in html
    assert "&lt;i&gt;sửa&lt;/i&gt;" in html


@pytest.mark.parametrize("count", [1, 8])
def test_plan_page_history_query_count_does_not_grow(
    tree, staff, cadre_user, client_for, count, django_assert_max_num_queries
):
    plan = _plan_with_assignment(tree, staff, cadre_user)
    for _index in range(count):
        cell = CellFactory(parent=tree.committee)
        assignment = plans.assignment_add(plan=plan, cadre=cadre_user.cadre, cell=cell)
        plans.assignment_remove(assignment=assignment)
    client = client_for(staff)
    with django_assert_max_num_queries(40):
        html = client.get(reverse("assignments:plan_detail", args=[plan.pk])).content.decode()
    assert html.count("data-audit-row") == 3 + 2 * count


@pytest.mark.parametrize("changes", [1, 6])
def test_visit_page_history_query_count_does_not_grow(
    tree, staff, cadre_user, client_for, changes, django_assert_max_num_queries
):
    visit = visit_at(cadre_user.cadre, tree.cell, DAY)
    for index in range(changes):
        visit.together_allowed = index % 2 == 0
        visit._history_user = staff
        visit.save(update_fields=["together_allowed"])
    client = client_for(staff)
    with django_assert_max_num_queries(20):
        html = client.get(visit.get_absolute_url()).content.decode()
    assert html.count("data-audit-row") == 1 + changes
