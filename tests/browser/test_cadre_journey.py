"""The cadre's job end to end, on a 360 px phone and on a 1366 px desktop: staff invite a cadre who has no
login yet; the cadre sets a password from the e-mail and reads the year's months on their own page; staff
return the cadre's submitted note with a comment; the cadre sees the count on the bell, opens the notice,
reads the comment, follows it to the note, corrects it and submits it again through the confirmation page.

Nothing is frozen: the expected months are computed from today's date, so the journey holds on any day of
the year (in January no month has ended yet, in February only January has)."""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from assignments.models import AttendanceNote, Cadre, Notification, Visit
from assignments.notes import services as notes
from tests.assignments.cadre_pages.factories import meeting, visit
from tests.assignments.visits.factories import issued_plan
from tests.cells.logins.helpers import NEW_PASSWORD, link_in
from tests.factories import CadreFactory, cell_type

pytestmark = pytest.mark.browser

SCREENS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1366, "height": 900}}
EMAIL = "hoa@hocmon.vn"
COMMENT = "Ghi rõ số đảng viên vắng có lý do"
STAFF_PASSWORD = "Mat-khau-to-chuc-2026"


@dataclass
class Journey:
    cadre: Cadre
    note: AttendanceNote
    today: datetime.date
    attended: list[int]  # ended months with an attended visit
    missed: list[int]  # ended months without one
    note_month: int


def ended_months(today: datetime.date) -> list[int]:
    return list(range(1, today.month))


def expected_words(journey: Journey) -> dict[int, str]:
    """What the strip says: attended and missed ended months; the current month attended when the note's
    meeting is in it, else planned (a visit is planned today); the months after it to come."""
    words = {}
    for month in range(1, 13):
        if month in journey.attended or month == journey.note_month:
            words[month] = "Đã dự"
        elif month in journey.missed:
            words[month] = "Không dự"
        elif month == journey.today.month:
            words[month] = "Đã lên kế hoạch"
        else:
            words[month] = "Chưa đến"
    return words


def expected_record(journey: Journey) -> tuple[int, int]:
    """(months attended, months that count): ended months, plus the current one once attended."""
    current = 1 if journey.note_month == journey.today.month else 0
    return len(journey.attended) + current, len(ended_months(journey.today)) + current


@pytest.fixture
def journey(tree, staff) -> Journey:
    """Nguyễn Thị Hoa (no login, an e-mail address) assigned to XA-AP1 (hamlet) and XA-TH (school) in this
    year's issued plan; each cell meets every month. Every ended month but January has an attended visit;
    one visit is planned today; one note of hers is submitted (on the last attended month's meeting, or on a
    meeting earlier this month when no month but January has ended)."""
    today = timezone.localdate()
    tree.cell2.cell_type = cell_type("TH")
    tree.cell2.save(update_fields=["cell_type"])
    cadre = CadreFactory(code="CB01", full_name="Nguyễn Thị Hoa", email=EMAIL, organization=tree.root)
    issued_plan(tree.root, today.year, [(cadre, tree.cell), (cadre, tree.cell2)])
    year = {
        (cell.pk, month): meeting(cell, datetime.date(today.year, month, day))
        for cell, day in ((tree.cell, 10), (tree.cell2, 20))
        for month in range(1, 13)
    }
    ended = ended_months(today)
    missed, attended = ended[:1], ended[1:]
    for month in attended[:-1]:
        cell = tree.cell if month % 2 else tree.cell2
        visit(cadre, year[cell.pk, month], Visit.Status.ATTENDED)
    if attended:
        note_month, noted = attended[-1], year[tree.cell2.pk, attended[-1]]
    else:
        note_month, noted = today.month, meeting(tree.cell2, today.replace(day=1))
    visit(cadre, meeting(tree.cell, today, place="Hội trường ấp 1"))
    note = submitted_note(visit(cadre, noted))
    return Journey(cadre, note, today, attended, missed, note_month)


def submitted_note(planned: Visit) -> AttendanceNote:
    """The cadre's note, written and submitted before she had a login (recorded by an administrator)."""
    admin = get_user_model().objects.create_superuser(username="quantri", password=None, email="")
    note = notes.note_start(visit=planned, by=admin)
    data = {
        "held": AttendanceNote.Held.AS_SCHEDULED,
        "members_total": 12,
        "members_present": 10,
        "overall_rating": "good",
        "summary": "Chi bộ quán triệt nghị quyết, thảo luận sôi nổi.",
    }
    note = notes.note_save(note=note, data=data, version=note.version, by=admin)
    return notes.note_submit(note=note, version=note.version, by=admin)


@pytest.fixture
def staff_page(browser: Browser, browser_context_args: dict) -> Iterator[Page]:
    """Staff at their desk, in a browser context of their own (their own cookies)."""
    context = browser.new_context(**browser_context_args, viewport=SCREENS["desktop"])
    yield context.new_page()
    context.close()


def wait_for(condition: Callable[[], bool], seconds: float = 10) -> None:
    """Poll the database until the live server has done its part."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the server"
        time.sleep(0.1)


def assert_fits(page: Page, width: int) -> None:
    """No element reaches past the right edge of the screen (the page cannot be scrolled sideways)."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    wider = page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
             .filter(e => e.getBoundingClientRect().right > width + 1 && e.getClientRects().length
                          && !e.closest('.table-responsive, .visually-hidden'))
             .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))
             .slice(0, 5)""",
        width,
    )
    assert scroll <= width and not wider, f"{page.url} is {scroll}px wide on a {width}px screen: {wider}"


@pytest.mark.parametrize("screen", SCREENS, ids=list(SCREENS))
def test_the_cadres_journey_from_invitation_to_a_corrected_note(
    page: Page, live_server, login, traffic, staff, journey, staff_page, screen
):
    width = SCREENS[screen]["width"]
    page.set_viewport_size(SCREENS[screen])
    mail.outbox.clear()

    # Staff invite the cadre from her page.
    login(staff_page, live_server, staff)
    staff_page.goto(live_server.url + reverse("assignments:cadre_detail", args=["CB01"]))
    expect(staff_page.get_by_test_id("login-state")).to_have_text("Chưa có tài khoản")
    staff_page.get_by_role("button", name="Tạo tài khoản và gửi thư mời").click()
    expect(staff_page.locator(".alert-success")).to_contain_text(f"Đã gửi thư mời đến {EMAIL}.")

    # The cadre opens the e-mail's link on her own device, sets a password and lands signed in.
    [invitation] = [message for message in mail.outbox if message.to == [EMAIL]]
    assert "Kính gửi đồng chí Nguyễn Thị Hoa," in invitation.body
    page.goto(live_server.url + link_in(invitation))
    expect(page.locator("h1")).to_have_text("Chọn mật khẩu")
    page.get_by_label("Mật khẩu mới*", exact=True).fill(NEW_PASSWORD)  # crispy marks required fields with *
    page.get_by_label("Xác nhận mật khẩu mới").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Đặt mật khẩu").click()
    page.wait_for_url(live_server.url + reverse("assignments:my_visits"))
    expect(page.locator("main")).to_contain_text("Đã đặt mật khẩu, đồng chí đã đăng nhập.")
    expect(page.get_by_test_id("cadre-name")).to_contain_text("Nguyễn Thị Hoa")

    # Her year at a glance: the right word under each month, and the count.
    today = journey.today
    strip = page.get_by_test_id("year-glance").locator("li")
    expect(strip).to_have_count(12)
    shown = {
        number: strip.nth(number - 1).get_by_test_id("month-state").inner_text().strip()
        for number in range(1, 13)
    }
    assert shown == expected_words(journey)
    for number in range(1, 13):
        expect(strip.nth(number - 1)).to_contain_text(f"Tháng {number}")
    attended, counted = expected_record(journey)
    expect(page.get_by_test_id("year-record")).to_have_text(
        f"Từ đầu năm {today.year} đến nay: đã dự sinh hoạt chi bộ trong {attended}/{counted} tháng được tính."
    )
    expect(page.get_by_test_id("unread-count")).to_be_hidden()  # nothing to read yet
    assert_fits(page, width)

    # Staff return the note with a comment from the review list.
    staff_page.goto(live_server.url + reverse("assignments:note_review_list"))
    row = staff_page.get_by_test_id("note-table").locator("tbody tr").filter(has_text="Nguyễn Thị Hoa")
    row.get_by_role("link", name=journey.note.meeting_date.strftime("%d/%m/%Y")).click()
    expect(staff_page.get_by_test_id("note-status")).to_have_text("Đã gửi")
    staff_page.get_by_label("Trả lại cho cán bộ").check()
    staff_page.get_by_label("Ý kiến").fill(COMMENT)
    staff_page.get_by_role("button", name="Lưu kết quả duyệt").click()
    expect(staff_page.locator(".alert-success")).to_contain_text("Đã lưu kết quả duyệt.")
    expect(staff_page.get_by_test_id("note-status")).to_have_text("Đã trả lại")
    note = AttendanceNote.objects.get(pk=journey.note.pk)
    assert note.status == AttendanceNote.Status.RETURNED
    wait_for(lambda: any(message.to == [EMAIL] and COMMENT in message.body for message in mail.outbox[1:]))
    returned_mail = next(message for message in mail.outbox[1:] if message.to == [EMAIL])
    assert returned_mail.subject == "Báo cáo dự sinh hoạt bị trả lại"
    assert returned_mail.body.endswith(note.get_absolute_url())

    # The bell shows one unread notice without opening the menu, on the phone too.
    page.reload()
    if screen == "phone":  # the menu stays folded: the bell sits outside it
        expect(page.locator(".navbar-toggler")).to_have_attribute("aria-expanded", "false")
        expect(page.get_by_test_id("nav")).to_be_hidden()
    bell = page.get_by_test_id("notifications")
    expect(bell).to_be_visible()
    expect(page.get_by_test_id("unread-count")).to_be_visible()
    expect(page.get_by_test_id("unread-count")).to_have_text("1 chưa đọc")
    bell.click()
    expect(page.locator("h1")).to_have_text("Thông báo")
    notice = page.locator("[data-notification]")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text(COMMENT)
    expect(notice).to_contain_text("đã được Staff trả lại với ý kiến:")
    assert_fits(page, width)

    # The notice leads to the note: the comment is there, and the way to change the note.
    notice.get_by_role("button", name="Báo cáo dự sinh hoạt").click()
    page.wait_for_url(live_server.url + note.get_absolute_url())
    expect(page.get_by_test_id("note-status")).to_have_text("Đã trả lại")
    # On top of the page, where she lands, not only in the rounds below thirty fields.
    expect(page.get_by_test_id("returned-comment")).to_have_text(
        re.compile(rf"^\s*Bị trả lại để sửa:\s*{re.escape(COMMENT)}\s*$")
    )
    expect(page.get_by_test_id("returned-comment")).to_be_in_viewport()
    expect(page.get_by_test_id("round-comment")).to_have_text(COMMENT)
    expect(page.get_by_test_id("unread-count")).to_be_hidden()  # opened: read
    assert Notification.objects.get(recipient__cadre=journey.cadre).read_at is not None
    assert_fits(page, width)
    expect(page.get_by_role("link", name="Sửa")).to_be_in_viewport()
    page.get_by_role("link", name="Sửa").click()

    # She corrects the field the comment names; the change is saved as she types.
    expect(page.get_by_test_id("returned-comment")).to_contain_text(COMMENT)
    assert_fits(page, width)
    section = page.locator("details[data-section=attendance]")
    if section.get_attribute("open") is None:
        section.locator("summary").click()
    page.get_by_label("Số đảng viên vắng có lý do").fill("2")
    expect(page.locator("#note-save-status")).to_have_attribute("data-state", "saved", timeout=10_000)
    wait_for(lambda: AttendanceNote.objects.get(pk=note.pk).absent_with_reason == 2)

    # Submit: the confirmation page shows what is sent, then the note is submitted and locked.
    page.get_by_role("button", name="Gửi báo cáo").click()
    confirm = page.get_by_test_id("note-confirm")
    expect(confirm.locator("h1")).to_have_text("Gửi báo cáo?")
    corrected = (
        confirm.locator("dt").filter(has_text="vắng có lý do").locator("xpath=following-sibling::dd[1]")
    )
    expect(corrected).to_have_text("2")
    assert_fits(page, width)
    page.get_by_role("button", name="Đồng ý, gửi báo cáo").click()
    expect(page.get_by_test_id("note-status")).to_have_text("Đã gửi")
    expect(page.get_by_test_id("note-locked")).to_have_text(
        "Báo cáo đã được gửi và bị khóa cho đến khi Ban Tổ chức duyệt."
    )
    assert_fits(page, width)

    # Her list of notes says the same, with no comment waiting any more.
    page.goto(live_server.url + reverse("assignments:my_notes"))
    card = page.get_by_test_id("note-cards").locator(f"[data-note='{note.pk}']")
    expect(card).to_contain_text("Đã gửi")
    expect(card.get_by_test_id("review-comment")).to_have_count(0)
    assert_fits(page, width)
    note = AttendanceNote.objects.get(pk=note.pk)
    assert (note.status, note.absent_with_reason, note.rounds.count()) == (
        AttendanceNote.Status.SUBMITTED,
        2,
        2,
    )
    assert Visit.objects.filter(cadre=journey.cadre, status=Visit.Status.PLANNED).count() == 1
    assert not traffic.failures and not traffic.console_errors
