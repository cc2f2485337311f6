"""A cadre's own pages tell the truth on a 360 px phone and a 1366 px desktop: the month strip reads the
right words for a real year of visits, the bell's unread count shows without opening the menu, a failed
submit of the note puts an error summary on top (focused, each error a link to its field), and the
"restored from this device" banner shows only when a kept copy really was put back."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from assignments.models import AttendanceNote, Notification, Visit
from assignments.notes import services as notes
from tests.assignments.cadre_pages.factories import meeting, visit
from tests.assignments.visits.factories import issued_plan

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
VIEWPORTS = [pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")]


def expected_words(today: datetime.date) -> dict[int, str]:
    """What the strip says for ``year_of_visits``: January missed, every other ended month attended, the
    current month planned, the rest to come."""
    words = {}
    for month in range(1, 13):
        if month < today.month:
            words[month] = "Không dự" if month == 1 else "Đã dự"
        elif month == today.month:
            words[month] = "Đã lên kế hoạch"
        else:
            words[month] = "Chưa đến"
    return words


@pytest.fixture
def year_of_visits(tree, personas):
    """CAD1 in this year's issued plan (XA-AP1, XA-TH): a meeting attended in every ended month but
    January, a visit planned today, three unread notices."""
    today = timezone.localdate()
    cadre = personas["cadre"].cadre
    issued_plan(tree.root, today.year, [(cadre, tree.cell), (cadre, tree.cell2)])
    for month in range(2, today.month):
        cell = tree.cell if month % 2 else tree.cell2
        visit(cadre, meeting(cell, datetime.date(today.year, month, 12)), Visit.Status.ATTENDED)
    visit(cadre, meeting(tree.cell, today, place="Hội trường ấp 1"))
    for n in range(3):
        Notification.objects.create(
            recipient=personas["cadre"], kind="nudge", period=f"{today.year}-x{n}", text=f"Thông báo {n}"
        )
    return cadre


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_month_strip_reads_the_right_words(
    page: Page, live_server, login, traffic, personas, year_of_visits, viewport
):
    page.set_viewport_size(viewport)
    login(page, live_server, personas["cadre"])
    page.goto(live_server.url + reverse("assignments:my_visits"))
    today = timezone.localdate()
    strip = page.locator("[data-testid=year-glance] [data-month]")
    expect(strip).to_have_count(12)
    shown = {
        int(item.get_attribute("data-month")): item.locator("[data-testid=month-state]").inner_text().strip()
        for item in strip.all()
    }
    assert shown == expected_words(today)
    attended = max(today.month - 2, 0)
    required = today.month - 1
    expect(page.locator("[data-testid=year-record]")).to_have_text(
        f"Từ đầu năm {today.year} đến nay: đã dự sinh hoạt chi bộ trong {attended}/{required} tháng được tính."
    )
    expect(page.locator("[data-testid=this-month-state]")).to_have_text("Đã lên kế hoạch")
    # The unread count shows without opening the menu, on the phone too.
    expect(page.locator("[data-testid=unread-count]")).to_be_visible()
    expect(page.locator("[data-testid=unread-count]")).to_contain_text("3")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    # The notices as cards on the phone, a table on the desktop; nothing wider than the screen.
    page.click("[data-testid=notifications]")
    expect(page.locator("[data-notification]")).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    header_shown = page.locator("[data-testid=notification-table] thead").bounding_box()["height"] > 1
    assert header_shown == (viewport is DESKTOP)
    # My cells' meetings: today's meeting first, with the visit marked.
    page.goto(live_server.url + reverse("assignments:my_meetings"))
    first = page.locator("[data-testid=my-meetings] [data-meeting]").first
    expect(first).to_contain_text(today.strftime("%d/%m/%Y"))
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert traffic.console_errors == []


@pytest.fixture
def draft(tree, personas) -> AttendanceNote:
    today = timezone.localdate()
    cadre = personas["cadre"].cadre
    issued_plan(tree.root, today.year, [(cadre, tree.cell)])
    planned = visit(cadre, meeting(tree.cell, today, place="Hội trường ấp 1"))
    return notes.note_start(visit=planned, by=personas["cadre"])


def open_section(page: Page, key: str) -> None:
    section = page.locator(f"details[data-section={key}]")
    if section.get_attribute("open") is None:
        section.locator("summary").click()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_failed_submit_shows_the_error_summary_linked_to_its_fields(
    page: Page, live_server, login, traffic, personas, draft, viewport
):
    page.set_viewport_size(viewport)
    login(page, live_server, personas["cadre"])
    edit = live_server.url + reverse("assignments:note_edit", args=[draft.pk])
    page.goto(edit)
    expect(page.locator("#note-restored")).to_be_hidden()  # a fresh form: nothing was restored
    open_section(page, "attendance")
    page.fill("[name=members_total]", "5")
    page.fill("[name=members_present]", "9")
    page.click("[data-testid=note-submit]")

    summary = page.locator("[data-testid=error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("Chưa gửi được báo cáo")
    assert page.evaluate("document.activeElement.id") == "note-errors"
    assert summary.bounding_box()["y"] < viewport["height"]  # scrolled to it
    # The page shows what was typed; nothing came back from the device, so no banner.
    expect(page.locator("#note-restored")).to_be_hidden()
    link = summary.locator("a[href='#id_members_present']")
    expect(link).to_be_visible()
    link.click()
    assert page.evaluate("document.activeElement.id") == "id_members_present" or page.url.endswith(
        "#id_members_present"
    )
    expect(page.locator("#id_members_present")).to_be_in_viewport()

    # A reload of this address is a GET: it answers (with what is still missing), never a 405.
    response = page.goto(page.url.split("#", 1)[0])
    assert response.status == 200
    expect(page.locator("[data-testid=error-summary]")).to_contain_text(
        "Trường này là bắt buộc khi gửi báo cáo."
    )
    assert AttendanceNote.objects.get(pk=draft.pk).status == AttendanceNote.Status.DRAFT


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_restored_banner_shows_only_after_a_real_restore(
    page: Page, live_server, login, traffic, personas, draft, viewport
):
    page.set_viewport_size(viewport)
    login(page, live_server, personas["cadre"])
    edit = live_server.url + reverse("assignments:note_edit", args=[draft.pk])
    page.goto(edit)
    page.wait_for_selector("#note-form")
    expect(page.locator("#note-restored")).to_be_hidden()

    # A copy kept on this device, newer than the server's, with text the page does not have.
    kept = {"savedAt": 0, "fields": {"summary": "Văn bản gõ khi mất mạng"}}
    key = f"note-draft:{draft.pk}:v{draft.version}"
    page.evaluate(
        "([key, kept]) => { kept.savedAt = Date.now() + 60000; localStorage.setItem(key, JSON.stringify(kept)); }",
        [key, kept],
    )
    page.reload()
    expect(page.locator("#note-restored")).to_be_visible()
    expect(page.locator("[name=summary]")).to_have_value("Văn bản gõ khi mất mạng")
    # The restored text is saved at once.
    expect(page.locator("#note-save-status")).to_have_attribute("data-state", "saved", timeout=10_000)
    assert AttendanceNote.objects.get(pk=draft.pk).summary == "Văn bản gõ khi mất mạng"

    # A kept copy that says what the page already shows restores nothing: no banner.
    page.goto(edit)
    page.wait_for_selector("#note-form")
    same = {"savedAt": 0, "fields": {"summary": page.locator("[name=summary]").input_value()}}
    page.evaluate(
        "([key, kept]) => { kept.savedAt = Date.now() + 60000; localStorage.setItem(key, JSON.stringify(kept)); }",
        [f"note-draft:{draft.pk}:v{AttendanceNote.objects.get(pk=draft.pk).version}", same],
    )
    page.reload()
    page.wait_for_selector("#note-form")
    expect(page.locator("#note-restored")).to_be_hidden()
    assert json.dumps(traffic.console_errors) == "[]"
