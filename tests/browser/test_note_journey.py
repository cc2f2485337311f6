"""A cadre writes the attendance note on a 360 px phone, loses the connection while typing, gets it back;
staff return the note with a comment, the cadre fixes and resubmits, staff accept."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from assignments.models import Assignment, AttendanceNote, Escalation, NoteRound, Visit
from tests.assignments.cadre_pages.factories import meeting, plan, visit

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
OFFLINE_TEXT = "Thiếu kinh phí sửa hội trường; đề nghị Ban Thường vụ chỉ đạo"
DRAFTS_JS = """() => Object.keys(localStorage).filter(k => k.startsWith('note-draft:'))
  .map(k => JSON.parse(localStorage.getItem(k)))"""


@pytest.fixture
def planned(tree, personas) -> Visit:
    """CAD1 assigned to XA-AP1 this year with a planned visit to today's meeting."""
    today = timezone.localdate()
    cadre = personas["cadre"].cadre
    Assignment.objects.create(plan=plan(tree.root, today.year), cadre=cadre, cell=tree.cell)
    return visit(cadre, meeting(tree.cell, today, place="Hội trường ấp 1"))


@pytest.fixture
def staff_page(browser: Browser, browser_context_args: dict) -> Iterator[Page]:
    """Staff in a browser context of their own (their own cookies)."""
    context = browser.new_context(**browser_context_args)
    yield context.new_page()
    context.close()


def wait_for(condition: Callable[[], bool], seconds: float = 10) -> None:
    """Poll the database until the live server has done its part."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the server"
        time.sleep(0.1)


def note_of(visit_: Visit) -> AttendanceNote:
    return AttendanceNote.objects.get(visit=visit_)


def open_section(page: Page, key: str) -> None:
    section = page.locator(f"details[data-section={key}]")
    if section.get_attribute("open") is None:
        section.locator("summary").click()


def assert_fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px screen"


def test_note_survives_offline_and_goes_through_review(
    page: Page, live_server, login, traffic, personas, planned, staff_page, tmp_path
):
    page.set_viewport_size(PHONE)
    login(page, live_server, personas["cadre"])

    # The cadre opens the planned visit's note.
    page.goto(live_server.url + reverse("assignments:note_start", args=[planned.pk]))
    page.click("[data-testid=note-start]")
    page.wait_for_selector("#note-form")
    note = note_of(planned)
    assert note.status == AttendanceNote.Status.DRAFT and note.version == 1

    # Phone-first: one column, nothing wider than the screen, large touch targets.
    assert_fits_the_phone(page)
    for target in page.locator(".note-section > summary, [data-testid=note-submit]").all():
        assert target.bounding_box()["height"] >= 44

    # Fill the note; autosave stores it.
    open_section(page, "attendance")
    page.fill("[name=members_total]", "12")
    page.fill("[name=members_present]", "10")
    open_section(page, "ratings")
    page.select_option("[name=overall_rating]", "good")
    open_section(page, "proceedings")
    page.fill("[name=summary]", "Chi bộ quán triệt nghị quyết, thảo luận sôi nổi")
    expect(page.locator("#note-save-status")).to_have_attribute("data-state", "saved", timeout=10_000)
    wait_for(lambda: note_of(planned).summary.startswith("Chi bộ quán triệt"))
    saved = note_of(planned)
    assert (saved.members_present, saved.overall_rating) == (10, "good")

    # The connection drops; the cadre keeps typing: the text stays on the phone.
    page.context.set_offline(True)
    open_section(page, "issues")
    page.fill("[name=difficulties]", OFFLINE_TEXT)
    page.check("[name=difficulties_escalate]")
    expect(page.locator("#note-save-status")).to_have_attribute("data-state", "offline", timeout=10_000)
    drafts = page.evaluate(DRAFTS_JS)
    assert any(
        d["fields"]["difficulties"] == OFFLINE_TEXT and d["fields"]["difficulties_escalate"] for d in drafts
    )
    assert note_of(planned).difficulties == ""
    page.screenshot(path=str(tmp_path / "note-offline-360.png"), full_page=True)

    # Back online: the save goes through by itself and the kept copy is cleared.
    page.context.set_offline(False)
    expect(page.locator("#note-save-status")).to_have_attribute("data-state", "saved", timeout=10_000)
    wait_for(lambda: note_of(planned).difficulties == OFFLINE_TEXT)
    assert note_of(planned).difficulties_escalate
    wait_for(lambda: page.evaluate(DRAFTS_JS) == [])

    # Submit: a confirmation shows what is sent, then the note is locked.
    page.click("[data-testid=note-submit]")
    expect(page.locator("[data-testid=note-confirm]")).to_contain_text(OFFLINE_TEXT)
    page.click("[data-testid=note-confirm-submit]")
    expect(page.locator("[data-testid=note-locked]")).to_be_visible()
    note = note_of(planned)
    assert note.status == AttendanceNote.Status.SUBMITTED and note.rounds.count() == 1
    assert_fits_the_phone(page)

    # Staff return it with a comment.
    login(staff_page, live_server, personas["staff"])
    review(staff_page, live_server, note, "return", "Ghi rõ số đảng viên vắng có lý do")
    wait_for(lambda: note_of(planned).status == AttendanceNote.Status.RETURNED)
    assert note.rounds.get().decision == NoteRound.Decision.RETURNED

    # The cadre sees the comment, fixes the note and resubmits.
    page.goto(live_server.url + reverse("assignments:note_edit", args=[note.pk]))
    expect(page.locator("[data-testid=returned-comment]")).to_contain_text(
        "Ghi rõ số đảng viên vắng có lý do"
    )
    open_section(page, "attendance")
    page.fill("[name=absent_with_reason]", "2")
    expect(page.locator("#note-save-status")).to_have_attribute("data-state", "saved", timeout=10_000)
    wait_for(lambda: note_of(planned).absent_with_reason == 2)
    page.click("[data-testid=note-submit]")
    page.click("[data-testid=note-confirm-submit]")
    expect(page.locator("[data-testid=note-locked]")).to_be_visible()
    note = note_of(planned)
    assert note.status == AttendanceNote.Status.SUBMITTED and note.rounds.count() == 2

    # Staff accept; the flagged difficulty goes to leadership's queue.
    review(staff_page, live_server, note, "accept", "")
    wait_for(lambda: note_of(planned).status == AttendanceNote.Status.ACCEPTED)
    assert list(note.rounds.values_list("decision", flat=True)) == ["returned", "accepted"]
    escalation = Escalation.objects.get(note=note)
    assert escalation.text == OFFLINE_TEXT and escalation.status == Escalation.Status.OPEN
    assert Visit.objects.get(pk=planned.pk).status == Visit.Status.ATTENDED
    assert traffic.failures == []
    assert not traffic.foreign()


def review(page: Page, live_server, note: AttendanceNote, decision: str, comment: str) -> None:
    page.goto(live_server.url + reverse("assignments:note_detail", args=[note.pk]))
    page.check(f"[name=decision][value={decision}]")
    if comment:
        page.fill("[name=comment]", comment)
    page.click("[data-testid=review-form] button[type=submit]")
    page.wait_for_load_state()
