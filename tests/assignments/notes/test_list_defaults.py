"""The office lists open where the work is: the visit list on this month, the review list on the notes
waiting for review, the escalation queue on the open items; the filter shows it, one click shows all,
and an empty list says what to do next, in words for the role reading it (pages in Vietnamese)."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from freezegun import freeze_time

from assignments.models import Escalation
from assignments.notes import services as notes
from tests.assignments.notes.factories import pending_round_version, submitted_note, visit_at

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 14)
VISITS = reverse("assignments:visit_list")
NOTES = reverse("assignments:note_review_list")
QUEUE = reverse("assignments:escalation_list")


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time("2026-05-14 09:00"):
        yield


def text_of(response) -> str:
    """The page's words as read: tags dropped, spaces collapsed, no space before punctuation."""
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))
    return re.sub(r" ([.,;:])", r"\1", text)


def link_in(response, testid_or_text: str) -> str:
    """The href of the link whose text (or data-testid) is ``testid_or_text``."""
    html = response.content.decode()
    for href, attrs, text in re.findall(r'<a href="([^"]+)"([^>]*)>(.*?)</a>', html, re.S):
        if testid_or_text in attrs or unescape(re.sub(r"<[^>]+>", "", text)).strip() == testid_or_text:
            return unescape(href)
    raise AssertionError(f"no link {testid_or_text!r}")


def count(response, attribute: str) -> int:
    return response.content.decode().count(f"{attribute}=")


# --- Visits: this month --------------------------------------------------------------------------------
def test_the_visit_list_opens_on_this_month_and_one_click_shows_all(tree, staff, cadre_user, client_for):
    visit_at(cadre_user.cadre, tree.cell, TODAY.replace(day=20))
    visit_at(cadre_user.cadre, tree.cell2, datetime.date(2026, 6, 3))
    client = client_for(staff)
    response = client.get(VISITS)
    assert count(response, "data-visit") == 1
    assert "Đang hiển thị các lượt dự sinh hoạt trong tháng này." in text_of(response)
    html = response.content.decode()
    assert 'name="date_from" value="2026-05-01"' in html and 'name="date_to" value="2026-05-31"' in html
    everything = client.get(link_in(response, "show-all"))
    assert count(everything, "data-visit") == 2 and "Đang hiển thị" not in text_of(everything)
    assert count(client.get(VISITS + "?page=1"), "data-visit") == 1  # paging keeps the month


def test_an_empty_month_tells_staff_to_plan_a_visit(tree, staff, client_for):
    client = client_for(staff)
    response = client.get(VISITS)
    assert "Tháng này chưa có lượt dự nào — lên lịch một lượt dự hoặc để hệ thống đề xuất lịch cả tháng." in (
        text_of(response)
    )
    planning = client.get(link_in(response, "lên lịch một lượt dự"))
    assert planning.status_code == 200 and planning.request["PATH_INFO"] == reverse(
        "assignments:visit_create"
    )


def test_an_empty_month_tells_leadership_who_plans(tree, leader, cadre_user, client_for):
    visit_at(cadre_user.cadre, tree.cell, datetime.date(2026, 6, 3))
    client = client_for(leader)
    response = client.get(VISITS)
    text = text_of(response)
    assert "Tháng này chưa có lượt dự nào; Ban Tổ chức sẽ lên lịch. Xem tất cả lượt dự." in text
    assert "lên lịch một lượt dự" not in text
    assert count(client.get(link_in(response, "Xem tất cả lượt dự")), "data-visit") == 1


def test_filters_that_match_nothing_offer_everything(tree, staff, client_for):
    response = client_for(staff).get(VISITS + "?status=attended")
    assert "Không có lượt dự nào khớp với bộ lọc. Xem tất cả lượt dự." in text_of(response)
    assert link_in(response, "Xem tất cả lượt dự") == VISITS + "?all=1"


def test_the_visit_list_names_a_linked_cadre_and_searches_without_listing_every_cell_or_cadre(
    tree, staff, cadre_user, client_for
):
    mine = visit_at(cadre_user.cadre, tree.cell, TODAY.replace(day=20))
    visit_at(cadre_user.cadre, tree.cell2, TODAY.replace(day=21))
    client = client_for(staff)
    html = client.get(VISITS).content.decode()
    assert '<select name="cell"' not in html and '<select name="cadre"' not in html
    linked = client.get(VISITS, {"cadre": cadre_user.cadre.pk, "all": "1"})
    assert "Chỉ Lê Văn Cán · Xem tất cả cán bộ" in text_of(linked)
    assert count(linked, "data-visit") == 2
    searched = client.get(VISITS, {"q": "ap 1 xuan thoi son", "all": "1"})  # "Chi bộ ấp 1 – … Xuân Thới Sơn"
    assert re.findall(r'data-visit="(\d+)"', searched.content.decode()) == [str(mine.pk)]


# --- Notes: waiting for review -------------------------------------------------------------------------
def test_the_review_list_opens_on_the_notes_waiting_for_review(tree, staff, cadre_user, client_for):
    waiting = submitted_note(cadre_user, tree.cell, datetime.date(2026, 5, 5))
    accepted = submitted_note(cadre_user, tree.cell2, datetime.date(2026, 5, 6))
    notes.note_accept(note=accepted, round_version=pending_round_version(accepted), by=staff)
    client = client_for(staff)
    response = client.get(NOTES)
    assert count(response, "data-note") == 1 and f'data-note="{waiting.pk}"' in response.content.decode()
    assert "Đang hiển thị các báo cáo dự sinh hoạt chờ duyệt." in text_of(response)
    assert re.search(r'<option value="submitted" selected>', response.content.decode())
    assert count(client.get(link_in(response, "show-all")), "data-note") == 2


def test_nothing_to_review_is_said_per_role(tree, staff, leader, client_for):
    staff_page = client_for(staff).get(NOTES)
    assert "Không có báo cáo nào chờ anh/chị duyệt — hiện chưa có việc cần xử lý." in text_of(staff_page)
    leader_page = client_for(leader).get(NOTES)
    assert "Không có báo cáo nào chờ Ban Tổ chức duyệt. Đọc tất cả báo cáo." in text_of(leader_page)
    assert client_for(leader).get(link_in(leader_page, "Đọc tất cả báo cáo")).status_code == 200


# --- Escalations: open items ---------------------------------------------------------------------------
def _escalation(staff, cadre_user, cell, day) -> Escalation:
    note = submitted_note(cadre_user, cell, day, difficulties="Thiếu kinh phí", difficulties_escalate=True)
    notes.note_accept(note=note, round_version=pending_round_version(note), by=staff)
    return Escalation.objects.get(note=note)


def test_the_queue_opens_on_the_open_items(tree, staff, leader, cadre_user, client_for):
    open_item = _escalation(staff, cadre_user, tree.cell, datetime.date(2026, 5, 5))
    resolved = _escalation(staff, cadre_user, tree.cell2, datetime.date(2026, 5, 6))
    notes.escalation_resolve(escalation=resolved, resolution="Đã sửa", by=staff)
    client = client_for(leader)
    response = client.get(QUEUE)
    assert re.findall(r'data-escalation="(\d+)"', response.content.decode()) == [str(open_item.pk)]
    assert "Đang hiển thị các vấn đề đang chờ Ban Thường vụ chỉ đạo." in text_of(response)
    everything = client.get(link_in(response, "show-all"))
    assert count(everything, "data-escalation") == 2


def test_an_empty_queue_is_said_per_role(tree, staff, leader, client_for):
    leader_text = text_of(client_for(leader).get(QUEUE))
    assert "Không có vấn đề nào chờ chỉ đạo: hiện chưa có việc cần đồng chí cho ý kiến." in leader_text
    staff_text = text_of(client_for(staff).get(QUEUE))
    assert "Không có vấn đề nào đang chờ Ban Thường vụ chỉ đạo." in staff_text
    everything = client_for(staff).get(QUEUE + "?all=1")
    assert "Chưa có vấn đề nào cần chỉ đạo" in text_of(everything)
    notes_link = link_in(everything, "Xem các báo cáo dự sinh hoạt")
    assert client_for(staff).get(notes_link).status_code == 200
