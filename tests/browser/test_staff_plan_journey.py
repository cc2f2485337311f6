"""Browser journey: staff build next year's plan from this year's and plan a visit, on a desktop and on a
phone.

This year's notice is issued; at the end of the year one of its cells (Chi bộ Ấp 2) is merged into
Chi bộ Ấp 4. Staff start next year's draft from the issued notice: the result page says what was copied,
names the merged cell and offers its successor; one click assigns the successor. Nothing is issued. Then
staff plan a visit: they type part of the cadre's name, pick the cadre, see only that cadre's cells'
meetings grouped by cell, pick one and save; the journey ends on the visit in the visit list.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from assignments.models import AssignmentPlan, Cadre
from cells.access.roles import Role
from cells.hierarchy.services import organization_update
from cells.logins.services import user_create
from cells.models import Meeting, Organization
from tests.assignments.visits.factories import issued_plan
from tests.conftest import PASSWORD
from tests.factories import CadreFactory, CellFactory, MeetingFactory, OrganizationFactory, cell_type

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 740}
COMMITTEE = "Đảng bộ xã Tân Xuân"


@dataclass
class World:
    staff: object
    this_year: int
    cadre: Cadre  # Lê Văn Cán: Ấp 1 and Ấp 2 this year
    other: Cadre  # Trần Thị Hai: the school and the agency cell
    hamlet1: Organization
    merged: Organization  # Ấp 2, merged into Ấp 4 at the end of this year
    successor: Organization  # Ấp 4, from next year
    meeting: Meeting  # Ấp 1's next meeting: the one staff pick


def _ahead(today: datetime.date, days: int) -> datetime.date:
    """A day ahead within this year (the plan of the meeting's year must be issued)."""
    return min(today + datetime.timedelta(days=days), datetime.date(today.year, 12, 31))


@pytest.fixture
def world(transactional_db) -> World:
    today = timezone.localdate()
    this_year = today.year
    root = OrganizationFactory(code="HU", name="Huyện ủy Hóc Môn", place_name="Hóc Môn")
    committee = OrganizationFactory(code="TX", name=COMMITTEE, parent=root)
    hamlet1 = CellFactory(code="TX-AP1", name="Chi bộ Ấp 1", parent=committee, cell_type=cell_type("AP"))
    merged = CellFactory(code="TX-AP2", name="Chi bộ Ấp 2", parent=committee, cell_type=cell_type("KP"))
    school = CellFactory(
        code="TX-TH", name="Chi bộ Trường Tiểu học", parent=committee, cell_type=cell_type("TH")
    )
    agency = CellFactory(code="HU-CQ", name="Chi bộ cơ quan", parent=root, cell_type=cell_type("CQ"))
    successor = CellFactory(
        code="TX-AP4",
        name="Chi bộ Ấp 4",
        parent=committee,
        cell_type=cell_type("AP"),
        valid_from=datetime.date(this_year + 1, 1, 1),
    )
    organization_update(merged, valid_to=datetime.date(this_year, 12, 31), successor=successor)
    cadre = CadreFactory(code="CAD1", full_name="Lê Văn Cán", organization=root)
    other = CadreFactory(code="CAD2", full_name="Trần Thị Hai", organization=root)
    issued_plan(root, this_year, [(cadre, hamlet1), (cadre, merged), (other, school), (other, agency)])
    meeting = MeetingFactory(cell=hamlet1, date=_ahead(today, 6), place="Nhà văn hóa Ấp 1")
    MeetingFactory(cell=merged, date=_ahead(today, 9), place="Nhà văn hóa Ấp 2")
    MeetingFactory(cell=school, date=_ahead(today, 3), place="Phòng họp nhà trường")
    staff = user_create(username="plan-staff", password=PASSWORD, role=Role.ORGANIZATION_STAFF, scope=root)
    return World(staff, this_year, cadre, other, hamlet1, merged, successor, meeting)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_staff_start_next_year_from_this_years_plan_then_plan_a_visit(
    browser, browser_context_args, live_server, world: World, viewport, click_nav
):
    context = browser.new_context(**{**browser_context_args, "viewport": viewport})
    page = context.new_page()
    failures: list[str] = []
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    _log_in(page, live_server, world.staff)

    draft = _start_next_year(page, live_server, world, click_nav)
    _plan_a_visit(page, live_server, world, click_nav)
    _fits(page, viewport)
    draft.refresh_from_db()
    assert draft.status == AssignmentPlan.Status.DRAFT  # nothing was issued
    assert not failures, failures
    context.close()


def _log_in(page: Page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.get_username())
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def _fits(page: Page, viewport: dict) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the page is {width}px wide on a {viewport['width']}px screen"


# --- Next year's draft from this year's notice ----------------------------------------------------------
def _start_next_year(page: Page, live_server, world: World, click_nav) -> AssignmentPlan:
    next_year = world.this_year + 1
    click_nav(page, "assignments:plan_list")
    page.get_by_role("link", name="Lập từ thông báo năm trước").click()
    page.wait_for_url(live_server.url + reverse("assignments:plan_start"))
    form = page.locator("[data-testid=start-form]")
    expect(form.locator("select[name=source] option:checked")).to_contain_text(f"({world.this_year})")
    expect(form.locator("input[name=year]")).to_have_value(str(next_year))
    _fits(page, page.viewport_size)
    form.get_by_role("button", name="Tạo dự thảo").click()

    draft = AssignmentPlan.objects.get(year=next_year)
    page.wait_for_url(live_server.url + reverse("assignments:plan_copy_result", args=[draft.pk]))
    expect(page.locator("[data-testid=copy-copied] h2")).to_have_text("Đã chép: 3 cặp")
    pending = page.locator("[data-testid=copy-pending]")
    expect(pending).to_contain_text("1 cặp cần đồng chí quyết định")
    expect(pending).to_contain_text(f"Lê Văn Cán → Chi bộ Ấp 2 – {COMMITTEE}")
    expect(pending).to_contain_text(
        f"Đã sáp nhập vào Chi bộ Ấp 4 – {COMMITTEE} ngày 31/12/{world.this_year}."
    )
    _fits(page, page.viewport_size)
    pending.get_by_role("button", name=f"Phân công Chi bộ Ấp 4 – {COMMITTEE} thay thế").click()

    expect(page.locator("[data-testid=copy-replaced] h2")).to_have_text("Thay bằng chi bộ kế thừa: 1 cặp")
    expect(page.locator("[data-testid=copy-replaced]")).to_contain_text(
        f"Lê Văn Cán: Chi bộ Ấp 2 – {COMMITTEE} → Chi bộ Ấp 4 – {COMMITTEE}"
    )
    expect(page.locator("[data-testid=copy-pending]")).to_have_count(0)
    expect(page.locator("[data-testid=copy-left-out] h2")).to_have_text("Bị bỏ lại: 0 cặp")

    page.get_by_role("link", name="Mở dự thảo").click()
    page.wait_for_url(live_server.url + draft.get_absolute_url())
    # What the staff came for: the new draft's pairs.
    cells = page.locator("tr[data-cadre=CAD1] [data-testid=cadre-cells] [data-cell]")
    expect(cells).to_have_count(2)
    expect(page.locator("tr[data-cadre=CAD1] [data-cell='TX-AP1']")).to_be_attached()
    expect(page.locator("tr[data-cadre=CAD1] [data-cell='TX-AP4']")).to_be_attached()
    expect(page.locator("tr[data-cadre=CAD2] [data-cell]")).to_have_count(2)
    assert set(draft.assignments.values_list("cadre__code", "cell__code")) == {
        ("CAD1", "TX-AP1"),
        ("CAD1", "TX-AP4"),
        ("CAD2", "TX-TH"),
        ("CAD2", "HU-CQ"),
    }
    return draft


# --- A visit -----------------------------------------------------------------------------------------------
def _plan_a_visit(page: Page, live_server, world: World, click_nav) -> None:
    click_nav(page, "assignments:visit_list")
    page.locator("[data-testid=visit-create]").click()
    page.wait_for_url(live_server.url + reverse("assignments:visit_create"))
    form = page.locator("[data-testid=visit-form]")
    expect(form.locator("input[name=cadre]")).to_have_count(0)  # no list of every cadre
    form.locator("[data-testid=cadre-search]").press_sequentially("văn c", delay=30)
    expect(form.locator("[data-testid=cadre-options] input[name=cadre]")).to_have_count(1)
    form.get_by_label("Lê Văn Cán").check()

    meeting = form.locator("select[name=meeting]")
    groups = meeting.locator("optgroup")
    expect(groups).to_have_count(2)
    expect(groups.nth(0)).to_have_attribute("label", f"Chi bộ Ấp 1 – {COMMITTEE}")
    expect(groups.nth(1)).to_have_attribute("label", f"Chi bộ Ấp 2 – {COMMITTEE}")
    expect(meeting.locator("optgroup[label^='Chi bộ Trường']")).to_have_count(0)  # Trần Thị Hai's cell
    meeting.select_option(value=str(world.meeting.pk))
    _fits(page, page.viewport_size)
    form.get_by_role("button", name="Lưu").click()

    visit = world.cadre.visits.get()
    page.wait_for_url(live_server.url + visit.get_absolute_url())
    assert (visit.meeting, visit.cell) == (world.meeting, world.hamlet1)
    click_nav(page, "assignments:visit_list")
    # What the staff came for: the saved visit in the list.
    row = page.locator("[data-testid] tbody tr").filter(has_text="Lê Văn Cán")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(world.meeting.date.strftime("%d/%m/%Y"))


def test_staff_amend_the_issued_plan_with_the_pair_picker(
    page: Page, live_server, world: World, login, traffic
):
    """The amendment: find a cadre by name, then a cell, add the pair (htmx), tick a removal, record."""
    plan = AssignmentPlan.objects.get(year=world.this_year)
    login(page, live_server, world.staff)
    page.goto(live_server.url + reverse("assignments:plan_amend", args=[plan.pk]))
    form = page.locator("[data-testid=amend-form]")
    expect(form.locator("[data-testid=amend-paste] textarea")).to_be_hidden()  # the paste box is folded
    form.locator("textarea[name=reason]").fill("Điều động cán bộ")
    form.locator("[data-testid=pick-cadre-search]").press_sequentially("Hai", delay=30)
    form.get_by_label("Trần Thị Hai").check()
    form.locator("[data-testid=pick-cell-search]").press_sequentially("Ấp 1", delay=30)
    form.locator("[data-pick='TX-AP1']").click()
    expect(form.locator("[data-testid=amend-adds]")).to_contain_text(
        f"Thêm Trần Thị Hai → Chi bộ Ấp 1 – {COMMITTEE}"
    )
    form.locator("tr[data-cadre=CAD1]").get_by_label(f"Chi bộ Ấp 2 – {COMMITTEE}").check()
    form.locator("[data-testid=amend-confirm]").click()
    page.wait_for_url(live_server.url + plan.get_absolute_url())
    expect(page.locator("[data-testid=plan-amendments] [data-sequence='1']")).to_contain_text(
        "Điều động cán bộ"
    )
    pairs = set(plan.assignments.values_list("cadre__code", "cell__code"))
    assert ("CAD2", "TX-AP1") in pairs and ("CAD1", "TX-AP2") not in pairs
    assert not traffic.failures and not traffic.console_errors
