"""Staff review pages and leadership's escalation queue (assignments/notes/views.py): decisions through
the pages, concurrent review, escaped free text, filters and exports, the queue across quarters."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from assignments.models import AttendanceNote, Escalation
from assignments.notes import services as notes
from cells.access.roles import Role
from cells.logins.services import user_create
from tests.assignments.notes.factories import COMPLETE, pending_round_version, submitted_note, upload
from tests.factories import CellFactory


@pytest.fixture(autouse=True)
def english(client):
    """These tests read the English texts; the product's default language is Vietnamese."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


DAY = datetime.date(2026, 3, 5)
PAYLOAD = '<script>alert("x")</script><b onmouseover="y">bold</b>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
FREE_TEXT = (
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
)


def _detail(note) -> str:
    return reverse("assignments:note_detail", args=[note.pk])


def _review(note) -> str:
    return reverse("assignments:note_review", args=[note.pk])


def _post_review(client, note, decision: str, comment: str = "", version: int | None = None):
    version = pending_round_version(note) if version is None else version
    return client.post(_review(note), {"decision": decision, "comment": comment, "round_version": version})


def _accepted_with_escalation(staff, cadre_user, cell, day: datetime.date, text: str = "Thiếu kinh phí"):
    note = submitted_note(cadre_user, cell, day, difficulties=text, difficulties_escalate=True)
    notes.note_accept(note=note, round_version=pending_round_version(note), by=staff)
    return Escalation.objects.get(note=note)


# --- Deciding a round through the page ---------------------------------------------------------------------
def test_staff_accepts_from_the_page_and_flagged_items_reach_the_queue(tree, staff, cadre_user, client_for):
    note = submitted_note(cadre_user, tree.cell, DAY, petitions="Sửa đường", petitions_escalate=True)
    client = client_for(staff)
    page = client.get(_detail(note)).content.decode()
    assert 'data-testid="review-form"' in page
    assert f'name="round_version" value="{pending_round_version(note)}"' in page

    response = _post_review(client, note, "accept", "Tốt")

    assert response.status_code == 302 and response.url == _detail(note)
    note.refresh_from_db()
    assert note.status == AttendanceNote.Status.ACCEPTED
    round_ = note.rounds.get()
    assert (round_.decision, round_.comment, round_.reviewed_by) == ("accepted", "Tốt", staff)
    assert list(Escalation.objects.values_list("source", "text")) == [("petitions", "Sửa đường")]
    assert 'data-testid="review-form"' not in client.get(_detail(note)).content.decode()


def test_returning_needs_a_comment_and_the_cadre_sees_it(tree, staff, cadre_user, client_for):
    note = submitted_note(cadre_user, tree.cell, DAY)
    client = client_for(staff)

    refused = _post_review(client, note, "return", "  ")
    assert refused.status_code == 400
    assert "Say what the cadre should fix." in refused.content.decode()
    note.refresh_from_db()
    assert note.status == AttendanceNote.Status.SUBMITTED

    assert _post_review(client, note, "return", "Bổ sung số đảng viên vắng").status_code == 302
    note.refresh_from_db()
    assert note.status == AttendanceNote.Status.RETURNED
    author_page = client_for(cadre_user).get(_detail(note)).content.decode()
    assert "Bổ sung số đảng viên vắng" in author_page
    assert 'data-testid="review-form"' not in author_page
    assert 'data-testid="note-edit"' in author_page


def test_leadership_reads_the_note_but_may_not_decide(tree, staff, leader, cadre_user, client_for):
    note = submitted_note(cadre_user, tree.cell, DAY)
    client = client_for(leader)
    page = client.get(_detail(note))
    assert page.status_code == 200 and 'data-testid="review-form"' not in page.content.decode()
    assert _post_review(client, note, "accept").status_code == 403
    note.refresh_from_db()
    assert note.status == AttendanceNote.Status.SUBMITTED


def test_review_of_another_subtree_is_404_and_get_goes_to_the_note(
    tree, staff, outsider, cadre_user, client_for
):
    note = submitted_note(cadre_user, tree.cell, DAY)
    assert _post_review(client_for(outsider), note, "accept").status_code == 404
    assert client_for(outsider).get(_review(note)).status_code == 404
    response = client_for(staff).get(_review(note))
    assert response.status_code == 302 and response.url == _detail(note)
    note.refresh_from_db()
    assert note.status == AttendanceNote.Status.SUBMITTED


def test_concurrent_review_is_refused_and_shows_the_other_decision(tree, staff, cadre_user, client_for):
    note = submitted_note(cadre_user, tree.cell, DAY)
    stale = pending_round_version(note)
    colleague = user_create(
        username="staff2",
        password="x-long-password",
        role=Role.ORGANIZATION_STAFF,
        scope=tree.root,
        full_name="Đồng Nghiệp",
    )
    notes.note_accept(note=note, round_version=stale, by=colleague, comment="Đạt yêu cầu")

    response = _post_review(client_for(staff), note, "return", "Viết lại phần kiến nghị", version=stale)

    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="review-conflict"' in html
    assert "Đạt yêu cầu" in html and "Đồng Nghiệp" in html  # the other decision and who made it
    assert "Viết lại phần kiến nghị" in html  # the unsaved comment, not lost from sight
    note.refresh_from_db()
    assert note.status == AttendanceNote.Status.ACCEPTED
    assert list(note.rounds.values_list("decision", "comment")) == [("accepted", "Đạt yêu cầu")]


def test_rounds_side_by_side_highlight_what_changed(tree, staff, cadre_user, client_for):
    note = submitted_note(cadre_user, tree.cell, DAY, shortcomings="Chưa có")
    notes.note_return(note=note, round_version=pending_round_version(note), by=staff, comment="Bổ sung")
    note.refresh_from_db()
    note = notes.note_save(
        note=note, data={"shortcomings": "Một số đảng viên đến muộn"}, version=note.version, by=cadre_user
    )
    notes.note_submit(note=note, version=note.version, by=cadre_user)

    html = client_for(staff).get(_detail(note)).content.decode()

    assert 'data-testid="round-comparison"' in html
    assert 'data-field="shortcomings" data-changed="yes"' in html
    assert 'data-field="summary" data-changed' not in html
    assert "Chưa có" in html and "Một số đảng viên đến muộn" in html
    assert 'data-round="1" data-decision="returned"' in html
    assert 'data-round="2" data-decision="pending"' in html


def test_a_returned_note_shows_the_comment_on_top_to_its_author(tree, staff, cadre_user, client_for):
    """The returned notice links here: the comment comes before the note's fields, not only in the rounds at
    the bottom of a long page on a phone, next to the link that changes the note."""
    note = submitted_note(cadre_user, tree.cell, DAY)
    notes.note_return(
        note=note, round_version=pending_round_version(note), by=staff, comment="Bổ sung số vắng"
    )

    html = client_for(cadre_user).get(_detail(note)).content.decode()

    top, fields = html.index('data-testid="returned-comment"'), html.index('data-testid="note-fields"')
    assert html.index('data-testid="note-edit"') < top < fields
    assert "Returned for changes:" in html[top:fields] and "Bổ sung số vắng" in html[top:fields]
    assert f'href="{reverse("assignments:note_edit", args=[note.pk])}"' in html
    returned = AttendanceNote.objects.get(pk=note.pk)
    note = notes.note_submit(note=returned, version=returned.version, by=cadre_user)
    assert 'data-testid="returned-comment"' not in client_for(cadre_user).get(_detail(note)).content.decode()


# --- Escaped free text --------------------------------------------------------------------------------------
def test_html_in_every_free_text_field_comes_back_escaped(tree, staff, cadre_user, client_for):
    data = dict.fromkeys(FREE_TEXT, PAYLOAD)
    note = submitted_note(cadre_user, tree.cell, DAY, **data, difficulties_escalate=True)
    notes.note_return(note=note, round_version=pending_round_version(note), by=staff, comment=PAYLOAD)

    for user in (staff, cadre_user):
        html = client_for(user).get(_detail(note)).content.decode()
        assert PAYLOAD not in html and "<b onmouseover" not in html
        assert html.count(ESCAPED) >= len(FREE_TEXT) + 1  # every field and the staff comment


def test_attachment_names_are_escaped_and_linked_through_the_checked_view(
    tree, staff, cadre_user, client_for
):
    from tests.assignments.notes.factories import draft_note

    note = draft_note(cadre_user, tree.cell, DAY, **COMPLETE)
    attachment = notes.attachment_add(
        note=note, upload=upload(name='<img src=x onerror="z">.pdf'), by=cadre_user
    )
    html = client_for(staff).get(_detail(note)).content.decode()
    assert '<img src=x onerror="z">' not in html
    assert "&lt;img src=x onerror=&quot;z&quot;&gt;.pdf" in html
    assert reverse("assignments:attachment_download", args=[attachment.pk]) in html
    assert "/media/" not in html


def test_the_lists_and_exports_escape_the_queue_text(tree, staff, leader, cadre_user, client_for):
    _accepted_with_escalation(staff, cadre_user, tree.cell, DAY, text=PAYLOAD)
    client = client_for(leader)
    html = client.get(reverse("assignments:escalation_list")).content.decode()
    assert PAYLOAD not in html and ESCAPED in html
    detail = client.get(Escalation.objects.get().get_absolute_url()).content.decode()
    assert PAYLOAD not in detail and ESCAPED in detail
    exported = client.get(reverse("assignments:escalation_list") + "?export=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    assert "<script>" not in exported and rows[1][4] == 'alert("x")bold'  # text only, never markup


# --- The review list ------------------------------------------------------------------------------------------
def _rows(html: str) -> int:
    return html.count("data-note=")


def test_review_list_filters_and_marks_overdue_rows(tree, staff, cadre_user, client_for):
    flagged = submitted_note(cadre_user, tree.cell, DAY, petitions="Kiến nghị", petitions_escalate=True)
    plain = submitted_note(cadre_user, tree.cell2, DAY, overall_rating="fair")
    from tests.assignments.notes.factories import draft_note

    late = draft_note(cadre_user, tree.sibling_cell, DAY)  # a draft, three days after the meeting: overdue
    url = reverse("assignments:note_review_list")
    client = client_for(staff)

    with freeze_time(DAY + datetime.timedelta(days=4)):
        assert _rows(client.get(url).content.decode()) == 2  # opens on the notes waiting for review
        html = client.get(url + "?all=1").content.decode()
        assert _rows(html) == 3
        assert f'data-note="{late.pk}" data-overdue="yes" class="table-danger' in html
        assert f'data-note="{plain.pk}" data-overdue="no"' in html
        assert _rows(client.get(url + "?overdue=yes").content.decode()) == 1
        assert _rows(client.get(url + "?flagged=yes").content.decode()) == 1
        assert f'data-note="{flagged.pk}"' in client.get(url + "?flagged=yes").content.decode()
        assert _rows(client.get(url + "?overall_rating=fair").content.decode()) == 1
        assert _rows(client.get(url + f"?organization={tree.committee.pk}").content.decode()) == 2
        assert _rows(client.get(url + "?status=draft").content.decode()) == 1
        after = (DAY + datetime.timedelta(days=1)).isoformat()
        assert _rows(client.get(url + f"?date_from={after}").content.decode()) == 0
        exported = client.get(url + "?export=csv&overdue=yes").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    assert len(rows) == 2 and tree.sibling_cell.code in rows[1]


def test_review_list_of_another_root_is_empty(tree, outsider, cadre_user, client_for):
    submitted_note(cadre_user, tree.cell, DAY)
    html = client_for(outsider).get(reverse("assignments:note_review_list")).content.decode()
    assert _rows(html) == 0


def _many_notes(tree, cadre_user, count: int) -> None:
    for index in range(count):
        cell = CellFactory(parent=tree.committee)
        submitted_note(
            cadre_user, cell, DAY - datetime.timedelta(days=index), petitions_escalate=True, petitions="x"
        )


@pytest.mark.parametrize("count", [2, 12])
def test_review_list_query_count_does_not_grow(
    tree, staff, cadre_user, client_for, count, django_assert_max_num_queries
):
    _many_notes(tree, cadre_user, count)
    client = client_for(staff)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("assignments:note_review_list")).content.decode()
    assert _rows(html) == count


@pytest.mark.parametrize("rounds", [1, 4])
def test_note_detail_query_count_does_not_grow(
    tree, staff, cadre_user, client_for, rounds, django_assert_max_num_queries
):
    note = submitted_note(cadre_user, tree.cell, DAY)
    for number in range(rounds - 1):
        notes.note_return(
            note=note, round_version=pending_round_version(note), by=staff, comment=f"Lần {number}"
        )
        note.refresh_from_db()
        note = notes.note_save(
            note=note, data={"summary": f"Sửa {number}"}, version=note.version, by=cadre_user
        )
        note = notes.note_submit(note=note, version=note.version, by=cadre_user)
    client = client_for(staff)
    with django_assert_max_num_queries(16):
        html = client.get(_detail(note)).content.decode()
    assert html.count("data-round=") == rounds


# --- The escalation queue ---------------------------------------------------------------------------------------
def _queue_order(html: str) -> list[str]:
    import re

    return re.findall(r'data-escalation="(\d+)"', html)


def test_queue_carries_open_items_across_quarters_oldest_first(tree, staff, leader, cadre_user, client_for):
    with freeze_time("2026-02-10 09:00"):
        old = _accepted_with_escalation(staff, cadre_user, tree.cell, datetime.date(2026, 2, 9), "Quý I")
    with freeze_time("2026-05-10 09:00"):
        resolved = _accepted_with_escalation(
            staff, cadre_user, tree.cell2, datetime.date(2026, 5, 9), "Đã xong"
        )
        notes.escalation_resolve(escalation=resolved, resolution="Đã sửa", by=staff)
        directed = _accepted_with_escalation(
            staff, cadre_user, tree.sibling_cell, datetime.date(2026, 5, 8), "Quý II"
        )
        notes.escalation_direct(escalation=directed, direction="Giao UBND xã", by=leader)
    url = reverse("assignments:escalation_list")
    client = client_for(leader)

    with freeze_time("2026-08-01 09:00"):  # the third quarter: earlier items still wait at the top
        html = client.get(url + "?all=1").content.decode()
        only_resolved = client.get(url + "?status=resolved").content.decode()

    assert _queue_order(html) == [str(old.pk), str(directed.pk), str(resolved.pk)]
    assert _queue_order(only_resolved) == [str(resolved.pk)]


def test_leadership_directs_and_staff_resolves(tree, staff, leader, cadre_user, client_for):
    escalation = _accepted_with_escalation(staff, cadre_user, tree.cell, DAY)
    url = escalation.get_absolute_url()

    staff_page = client_for(staff).get(url).content.decode()
    assert 'data-testid="direct-form"' not in staff_page and 'data-testid="resolve-form"' in staff_page
    assert client_for(staff).post(url, {"action": "direct", "direction": "x"}).status_code == 403

    leader_client = client_for(leader)
    assert 'data-testid="direct-form"' in leader_client.get(url).content.decode()
    blank = leader_client.post(url, {"action": "direct", "direction": ""})
    assert blank.status_code == 400
    assert leader_client.post(url, {"action": "direct", "direction": "Giao Đảng ủy xã"}).status_code == 302
    escalation.refresh_from_db()
    assert (escalation.status, escalation.direction, escalation.directed_by) == (
        "directed",
        "Giao Đảng ủy xã",
        leader,
    )

    assert (
        client_for(staff).post(url, {"action": "resolve", "resolution": "Đã cấp kinh phí"}).status_code == 302
    )
    escalation.refresh_from_db()
    assert (escalation.status, escalation.resolution) == ("resolved", "Đã cấp kinh phí")
    page = client_for(leader).get(url).content.decode()
    assert 'data-testid="resolve-form"' not in page and "Đã cấp kinh phí" in page


def test_escalation_of_another_root_is_404(tree, staff, outsider, cadre_user, client_for):
    escalation = _accepted_with_escalation(staff, cadre_user, tree.cell, DAY)
    client = client_for(outsider)
    assert client.get(escalation.get_absolute_url()).status_code == 404
    assert (
        client.post(escalation.get_absolute_url(), {"action": "resolve", "resolution": "x"}).status_code
        == 404
    )
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.OPEN


@pytest.mark.parametrize("count", [2, 12])
def test_escalation_list_query_count_does_not_grow(
    tree, staff, leader, cadre_user, client_for, count, django_assert_max_num_queries
):
    for index in range(count):
        _accepted_with_escalation(
            staff, cadre_user, CellFactory(parent=tree.committee), DAY - datetime.timedelta(days=index)
        )
    client = client_for(leader)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("assignments:escalation_list")).content.decode()
    assert len(_queue_order(html)) == count
