"""Browser journey of the yearly plan and its secret visits, as issue 4 tells it.

Staff draft this year's plan, add cells by searching, see a rule warning, fix it, issue the notice, see its
number and download it as DOCX and PDF. Staff then plan an unannounced visit of cadre CAD1 to an upcoming
meeting of one of his cells. On a 360 px phone the cadre sees the visit on his page; the grassroots staff of
the cell's committee see their meeting and the published list of cadres, but nothing of the visit: their
pages read the same before and after it was planned, and the visit's own URL is the plain 404 page.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Download, Page, expect

from assignments.models import AssignmentPlan, Visit
from cells.access.roles import Role
from cells.logins.services import user_create
from cells.models import Meeting, Organization
from tests.browser.conftest import Traffic
from tests.conftest import PASSWORD
from tests.factories import CadreFactory, CellFactory, MeetingFactory, OrganizationFactory, cell_type

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
# The labels of a visit's status as a page would print them (English and the Vietnamese msgstr).
VISIT_STATUS_TEXTS = ("Planned", "Đã lên kế hoạch", "Needs a new date", "Cần chọn ngày khác")
NOT_FOUND = "Không tìm thấy trang"


@dataclass
class Journey:
    staff: object
    cadre: object  # the login of cadre CAD1
    grassroots: object  # grassroots staff of committee XA
    school: Organization  # XA-TH: a cell of XA that CAD1 gets in the plan
    meeting: Meeting  # XA-TH's next meeting


def _meeting_day(today: datetime.date) -> datetime.date:
    """A week ahead, but within this year: visits need the meeting's year to have the issued plan."""
    return min(today + datetime.timedelta(days=7), datetime.date(today.year, 12, 31))


@pytest.fixture
def journey(transactional_db) -> Journey:
    cell_type("AP")  # live_server flushes the migration data: re-create what the journey needs
    root = OrganizationFactory(code="HU", name="Huyện ủy Hóc Môn", place_name="Hóc Môn")
    committee = OrganizationFactory(code="XA", name="Đảng bộ xã Xuân Thới Sơn", parent=root)
    CellFactory(code="HU-CQ", name="Chi bộ cơ quan", parent=root, cell_type=cell_type("CQ"))
    school = CellFactory(code="XA-TH", name="Chi bộ trường học", parent=committee, cell_type=cell_type("TH"))
    CellFactory(code="XA-AP1", name="Chi bộ ấp 1", parent=committee, cell_type=cell_type("AP"))
    cadre = user_create(
        username="cad1", password=PASSWORD, role=Role.CADRE, scope=root, full_name="Lê Văn Cán"
    )
    CadreFactory(code="CAD1", full_name="Lê Văn Cán", organization=root, user=cadre)
    meeting = MeetingFactory(
        cell=school,
        date=_meeting_day(timezone.localdate()),
        start_time=datetime.time(19, 30),
        place="Phòng họp Trường Tiểu học Xuân Thới Sơn",
    )
    return Journey(
        staff=user_create(username="plan-staff", password=PASSWORD, role=Role.ORGANIZATION_STAFF, scope=root),
        cadre=cadre,
        grassroots=user_create(
            username="xa-grassroots", password=PASSWORD, role=Role.GRASSROOTS_STAFF, scope=committee
        ),
        school=school,
        meeting=meeting,
    )


@pytest.fixture
def open_page(browser: Browser, browser_context_args: dict) -> Iterator[Callable[..., tuple[Page, Traffic]]]:
    """``open_page(viewport=...)``: a page in a new browser context (its own cookies: another person),
    with its traffic recorded; no request may leave the machine."""
    contexts, recorded = [], []

    def open_(**context_args) -> tuple[Page, Traffic]:
        context = browser.new_context(**{**browser_context_args, **context_args})
        contexts.append(context)
        page = context.new_page()
        traffic = Traffic()
        page.on("request", traffic.on_request)
        page.on("response", traffic.on_response)
        page.on("console", traffic.on_console)
        recorded.append(traffic)
        return page, traffic

    yield open_
    for context in contexts:
        context.close()
    foreign = [url for traffic in recorded for url in traffic.foreign()]
    assert not foreign, f"requests left the machine: {foreign}"


def test_plan_issue_download_visit_and_keep_it_secret(
    page: Page, live_server, journey: Journey, login, traffic, open_page
):
    year = timezone.localdate().year
    login(page, live_server, journey.staff)
    plan = _draft_fix_and_issue(page, live_server, year)
    _download_the_notice(page, plan)

    grassroots_page, grassroots_traffic = open_page()
    login(grassroots_page, live_server, journey.grassroots)
    before = _grassroots_view(grassroots_page, live_server, journey)
    assert (grassroots_traffic.failures, grassroots_traffic.console_errors) == ([], [])

    visit = _plan_the_visit(page, live_server, journey)
    assert not traffic.failures
    assert not traffic.console_errors

    cadre_page, cadre_traffic = open_page(viewport=PHONE)
    login(cadre_page, live_server, journey.cadre)
    _cadre_sees_the_visit(cadre_page, live_server, visit)
    assert not cadre_traffic.failures
    assert not cadre_traffic.console_errors

    grassroots_page.close()
    grassroots_page, grassroots_traffic = open_page()
    login(grassroots_page, live_server, journey.grassroots)
    after = _grassroots_view(grassroots_page, live_server, journey)
    assert after == before, "a grassroots page changed when the visit was planned"
    assert (grassroots_traffic.failures, grassroots_traffic.console_errors) == ([], [])
    tried = _grassroots_cannot_open_the_visit(grassroots_page, live_server, visit)
    assert grassroots_traffic.failures == [f"404 {live_server.url}{path}" for path in tried]


# --- Staff: draft, warn, fix, issue, download ----------------------------------------------------------------
def _add_cell(page: Page, row, text: str, code: str) -> None:
    row.locator("[data-testid=cell-search]").fill(text)
    row.locator(f"[data-assign='{code}']").click()
    expect(page.locator(f"tr[data-cadre=CAD1] [data-cell='{code}']")).to_be_visible()


def _draft_fix_and_issue(page: Page, live_server, year: int) -> AssignmentPlan:
    page.goto(live_server.url + reverse("assignments:plan_list"))
    page.locator("[data-testid=plan-create]").click()

    form = page.locator("[data-testid=edit-form]")
    form.locator("input[name=year]").fill(str(year))
    form.locator("input[name=summary]").fill(f"Phân công dự sinh hoạt chi bộ năm {year}")
    form.locator("input[name=signer_name]").fill("Nguyễn Văn Ký")
    form.locator("input[name=signer_title]").fill("Phó Bí thư")
    form.locator("button[type=submit]").click()
    plan = AssignmentPlan.objects.get()
    page.wait_for_url(live_server.url + plan.get_absolute_url())

    row = page.locator("tr[data-cadre=CAD1]")
    _add_cell(page, row, "hu-cq", "HU-CQ")
    findings = page.locator("[data-testid=plan-findings]")
    # One cell, one type: the live checks warn (and the school type has no cadre yet).
    expect(findings.locator("[data-rule=two_cell_types]")).to_be_visible()
    expect(findings.locator("[data-rule=priority_types] [data-code=TH]")).to_be_visible()
    expect(row.locator("[data-flag=two_cell_types]")).to_be_visible()

    _add_cell(page, page.locator("tr[data-cadre=CAD1]"), "trường", "XA-TH")
    expect(findings.locator("[data-rule]")).to_have_count(0)
    expect(page.locator("[data-testid=rules-pass]")).to_be_visible()
    expect(page.locator("[data-testid=plan-coverage] [data-tier=total]")).to_contain_text("2/3")

    page.locator("[data-testid=plan-issue]").click()
    expect(page.locator("[data-testid=issue-warning]")).to_have_count(0)
    page.locator("[data-testid=issue-confirm]").click()
    page.wait_for_url(live_server.url + plan.get_absolute_url())
    expect(page.locator("[data-testid=plan-number]")).to_contain_text("1-TB/HU")
    plan.refresh_from_db()
    assert (plan.status, plan.year, plan.document_number) == (AssignmentPlan.Status.ISSUED, year, "1-TB/HU")
    return plan


def _download(page: Page, testid: str) -> tuple[Download, bytes]:
    with page.expect_download() as info:
        page.locator(f"[data-testid={testid}]").click()
    download = info.value
    assert download.failure() is None
    return download, Path(download.path()).read_bytes()


def _download_the_notice(page: Page, plan: AssignmentPlan) -> None:
    stem = f"thong-bao-1-TB-HU-{plan.year}"

    docx, content = _download(page, "notice-docx")
    assert docx.suggested_filename == f"{stem}.docx"
    assert content, "the DOCX is empty"
    with zipfile.ZipFile(docx.path()) as archive:
        assert "word/document.xml" in archive.namelist()
        text = re.sub(r"<[^>]+>", "", archive.read("word/document.xml").decode())
    assert "Số 1-TB/HU" in text
    assert "Lê Văn Cán" in text

    pdf, content = _download(page, "notice-pdf")
    assert pdf.suggested_filename == f"{stem}.pdf"
    assert content.startswith(b"%PDF"), content[:20]
    assert len(content) > 1000


# --- Staff plan the visit; the cadre sees it on his phone ------------------------------------------------------
def _plan_the_visit(page: Page, live_server, journey: Journey) -> Visit:
    page.goto(live_server.url + reverse("assignments:visit_list"))
    page.locator("[data-testid=visit-create]").click()
    page.wait_for_url(live_server.url + reverse("assignments:visit_create"))
    form = page.locator("[data-testid=visit-form]")
    form.locator("[data-testid=cadre-search]").fill("Cán")
    form.get_by_label("Lê Văn Cán").check()
    meeting = form.locator("select[name=meeting]")
    group = meeting.locator("optgroup[label='Chi bộ trường học – Đảng bộ xã Xuân Thới Sơn']")
    expect(group.locator(f"option[value='{journey.meeting.pk}']")).to_be_attached()
    meeting.select_option(value=str(journey.meeting.pk))
    form.locator("[data-testid=visit-save]").click()

    visit = Visit.objects.get()
    page.wait_for_url(live_server.url + visit.get_absolute_url())
    expect(page.locator("[data-testid=visit-status]")).to_have_text("Đã lên kế hoạch")
    assert (visit.cadre.code, visit.meeting, visit.status) == ("CAD1", journey.meeting, Visit.Status.PLANNED)
    return visit


def _cadre_sees_the_visit(page: Page, live_server, visit: Visit) -> None:
    page.goto(live_server.url + reverse("assignments:my_visits"))
    item = page.locator(f"[data-testid=planned-visits] [data-visit='{visit.pk}']")
    expect(item).to_be_visible()
    expect(item).to_contain_text(visit.cell.name)
    expect(item).to_contain_text(visit.meeting.date.strftime("%d/%m/%Y"))
    expect(item).to_contain_text("19:30")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px screen"


# --- Grassroots staff: their meeting, the published cadres, nothing of the visit --------------------------------
def _grassroots_view(page: Page, live_server, journey: Journey) -> dict[str, tuple[str, list[str]]]:
    """What the grassroots user reads on each page they use: the text and every link's target."""
    meeting, day = journey.meeting, journey.meeting.date.strftime("%d/%m/%Y")
    pages = {
        "home": (reverse("home"), None),
        "meetings": (reverse("cells:meeting_list"), day),
        "meeting": (meeting.get_absolute_url(), day),
        "cell": (reverse("cells:organization_detail", args=[journey.school.code]), day),
        "assigned cadres": (reverse("assignments:assigned_cadres"), "Lê Văn Cán"),  # the published notice
    }
    seen = {}
    for name, (path, expected) in pages.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{name}: {response.status}"
        main = page.locator("main")
        if expected:
            expect(main).to_contain_text(expected)
        if name in ("meetings", "cell"):
            expect(main.locator(f"a[href='{meeting.get_absolute_url()}']").first).to_be_visible()
        _reveals_no_visit(page, name)
        links = sorted(
            page.locator("a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        )
        seen[name] = (main.inner_text(), links)
    return seen


def _reveals_no_visit(page: Page, name: str, within: str = "html") -> None:
    html = page.locator(within).inner_html()
    assert "/visits/" not in html, f"{name} links to the visits"
    assert reverse("assignments:my_visits") not in html, f"{name} links to a cadre's visits"
    text = page.locator(within).inner_text()
    for label in VISIT_STATUS_TEXTS:
        assert label not in text, f"{name} shows a visit status: {label!r}"


def _grassroots_cannot_open_the_visit(page: Page, live_server, visit: Visit) -> list[str]:
    """The visit's URLs answer exactly like those of a visit that does not exist; returns the paths tried."""
    answers, tried = [], []
    for pk in (visit.pk, visit.pk + 1000):
        for path in (
            reverse("assignments:visit_detail", args=[pk]),
            reverse("assignments:visit_edit", args=[pk]),
        ):
            tried.append(path)
            response = page.goto(live_server.url + path)
            assert response.status == 404, f"{path}: {response.status}"
            expect(page.locator("main h1")).to_have_text(NOT_FOUND)
            # The language switcher echoes the address typed in; the page itself says nothing more.
            _reveals_no_visit(page, path, within="main")
            answers.append((page.title(), page.locator("main").inner_text()))
    assert len(set(answers)) == 1, answers
    return tried
