"""A cadre's record tells the same truth everywhere: their own page, the compliance grid, the evaluation
sheet and the monthly e-mail count one cadre's year by one rule (assignments.cadres.months). Also the
cadre's notes by state, their own cells' meetings, the notification list as cards, and the note's
confirmation step with its error summary."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from assignments.cadres import months as cadre_months
from assignments.models import AttendanceNote, Notification, Visit
from assignments.notes import services as notes
from assignments.notifications.periods import monthly_period
from assignments.reminders.jobs import monthly_drafts
from reports.compliance import selectors as compliance
from tests.assignments.cadre_pages.factories import meeting, visit
from tests.assignments.notes.test_note_pages import COMPLETE, form_data
from tests.assignments.notifications.factories import at, attended, exempt
from tests.assignments.visits.factories import issued_plan

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = 2026
MY_VISITS = reverse("assignments:my_visits")
GRID = reverse("reports:compliance")
SHEET = reverse("reports:evaluation_sheet")


def _text(html: str) -> str:
    """The visible words of a page: tags dropped, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _month_words(html: str) -> dict[int, str]:
    words = {}
    for chunk in html.split('<li class="col" data-month="')[1:]:
        number = int(chunk.split('"', 1)[0])
        words[number] = chunk.split('data-testid="month-state">', 1)[1].split("<", 1)[0].strip()
    return words


@pytest.fixture(autouse=True)
def english(client):
    """The tests read English msgids unless they ask for Vietnamese, the pages' default language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def cadre(personas):
    return personas["cadre"].cadre


@pytest.fixture
def eleven_of_twelve(tree, cadre):
    """CAD1, in HU's plan of 2026 (XA-AP1 and XA-TH), attended a meeting every month but March (a visit to
    a cell of another root that month does not count), December's on the 10th; February's twice."""
    issued_plan(tree.root, YEAR, [(cadre, tree.cell), (cadre, tree.cell2)])
    for month in range(1, 13):
        if month != 3:
            attended(cadre, tree.cell if month % 2 else tree.cell2, D(YEAR, month, 10))
    attended(cadre, tree.cell, D(YEAR, 2, 20))
    attended(cadre, tree.other_cell, D(YEAR, 3, 12))  # another root's cell: not the plan's business
    return cadre


def _page(client, lang: str = "en") -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    with translation.override(lang):
        response = client.get(MY_VISITS)
    assert response.status_code == 200
    return response.content.decode()


def _grid_cell(client, code: str) -> str:
    html = client.get(GRID, {"year": YEAR}).content.decode()
    row = html.split(f'data-cadre="{code}"', 1)[1].split("</tr>", 1)[0]
    return row.split('data-testid="compliant">', 1)[1].split("<", 1)[0]


def _sheet_cell(client, code: str) -> str:
    html = client.get(SHEET, {"year": YEAR}).content.decode()
    row = html.split(f"<td >{code}</td>", 1)[1] if f"<td >{code}</td>" in html else html.split(code, 1)[1]
    return re.search(r"\b(\d+/\d+)\b", _text(row)).group(1)


def _email(cadre, today: datetime.date) -> str:
    """The monthly e-mail's text, in the cadre's language (Vietnamese)."""
    drafts = [d for d in monthly_drafts(monthly_period(today), today) if d.recipient_id == cadre.user_id]
    assert len(drafts) == 1
    return drafts[0].text


# --- One rule, four places ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("moment", "figure", "december"),
    [
        ("2026-12-15 10:00", "11/12", "Attended"),  # December attended on the 10th: it counts already
        ("2026-12-01 07:00", "10/11", "Planned"),  # the 1st: December's meeting is still ahead
    ],
)
def test_page_grid_sheet_and_email_show_the_same_count(
    eleven_of_twelve, personas, client_for, moment, figure, december
):
    cadre = eleven_of_twelve
    if december == "Planned":
        Visit.objects.filter(cadre=cadre, meeting_date=D(YEAR, 12, 10)).update(status=Visit.Status.PLANNED)
    compliant, required = figure.split("/")
    with at(moment):
        today = datetime.date.fromisoformat(moment[:10])
        page = _page(client_for(personas["cadre"]))
        email = _email(cadre, today)
        staff = client_for(personas["staff"])
        grid = _grid_cell(staff, "CAD1")
        sheet = _sheet_cell(staff, "CAD1")
    assert f"So far in 2026: a meeting attended in {compliant} of {required} months that count." in _text(
        page
    )
    assert grid == figure
    assert sheet == figure
    assert f"Kết quả năm 2026 đến nay: đã dự sinh hoạt {figure} tháng." in email
    words = _month_words(page)
    assert words[3] == "Not attended" and words[2] == "Attended" and words[12] == december


def test_the_month_strip_in_vietnamese_for_eleven_of_twelve(eleven_of_twelve, personas, client_for):
    with at("2026-12-15 10:00"):
        html = _page(client_for(personas["cadre"]), "vi")
    words = _month_words(html)
    assert words == {**dict.fromkeys(range(1, 13), "Đã dự"), 3: "Không dự"}
    assert "Từ đầu năm 2026 đến nay: đã dự sinh hoạt chi bộ trong 11/12 tháng được tính." in _text(html)
    this_month = html.split('data-testid="this-month-state">', 1)[1].split("</p>", 1)[0]
    assert "Đã dự" in this_month
    assert "Không có" not in words.values() and "Chưa" not in words.values()


def test_each_state_in_words(tree, cadre, personas, client_for):
    """Attended, not attended, exempt (with the reason), planned, to come, and the months before the plan
    was issued (not assigned yet)."""
    plan = issued_plan(tree.root, YEAR, [(cadre, tree.cell)])
    plan.issued_on = D(YEAR, 2, 10)
    plan.save(update_fields=["issued_on"])
    attended(cadre, tree.cell, D(YEAR, 3, 5))
    exempt(cadre, 4)
    visit(cadre, meeting(tree.cell, D(YEAR, 6, 20)))  # planned in the current month
    visit(cadre, meeting(tree.cell, D(YEAR, 8, 20)))  # planned later on
    with at("2026-06-15 10:00"):
        html = _page(client_for(personas["cadre"]))
        vi = _page(client_for(personas["cadre"]), "vi")
    assert _month_words(html) == {
        1: "Not assigned",
        2: "Not attended",  # issued on 10/02: February counts, and was missed
        3: "Attended",
        4: "Exempt",
        5: "Not attended",
        6: "Planned",
        7: "To come",
        8: "Planned",
        **dict.fromkeys(range(9, 13), "To come"),
    }
    assert "Leave" in html.split('data-month="4"', 1)[1].split("</li>", 1)[0]  # the exemption's reason
    assert "So far in 2026: a meeting attended in 1 of 3 months that count." in _text(html)
    assert "A visit is planned this month; nothing attended yet." in _text(html)
    assert [_month_words(vi)[n] for n in (1, 2, 3, 4, 6, 7)] == [
        "Chưa được phân công",
        "Không dự",
        "Đã dự",
        "Được miễn",
        "Đã lên kế hoạch",
        "Chưa đến",
    ]


def test_the_exempt_current_month_card_gives_the_reason(tree, cadre, personas, client_for):
    issued_plan(tree.root, YEAR, [(cadre, tree.cell)])
    exempt(cadre, 6)
    with at("2026-06-15 10:00"):
        html = _page(client_for(personas["cadre"]))
    assert "The organization department exempted you this month (Leave): it does not count." in _text(html)


def test_one_grouped_query_set_for_many_cadres(tree, cadre, django_assert_num_queries):
    issued_plan(tree.root, YEAR, [(cadre, tree.cell)])
    attended(cadre, tree.cell, D(YEAR, 1, 5))
    with django_assert_num_queries(3):
        one = cadre_months.cadre_months([cadre.pk], YEAR, D(YEAR, 6, 15))
    from tests.factories import CadreFactory

    many = [CadreFactory(organization=tree.root) for _ in range(8)]
    issued_plan(tree.root, YEAR, [(c, tree.cell) for c in many], status="draft")
    for other in many:
        attended(other, tree.cell, D(YEAR, 2, 5))
    with django_assert_num_queries(3):
        rows = cadre_months.cadre_months([cadre.pk, *[c.pk for c in many]], YEAR, D(YEAR, 6, 15))
    assert one[cadre.pk].compliant_months == rows[cadre.pk].compliant_months == 1
    # In a draft plan only: nothing is required of them.
    assert {rows[c.pk].required_months for c in many} == {0}
    assert rows[many[0].pk].months[0].state == cadre_months.MonthState.OUTSIDE


def test_the_grid_reads_the_selector(eleven_of_twelve, tree):
    rows = compliance.cadre_years(root=tree.root, year=YEAR, today=D(YEAR, 12, 15))
    row = next(row for row in rows if row.cadre == eleven_of_twelve)
    mine = cadre_months.months_of_cadre(eleven_of_twelve.pk, YEAR, D(YEAR, 12, 15))
    assert [m.state for m in row.months] == [m.state for m in mine.months]
    assert (row.compliant_months, row.required_months) == (11, 12)


# --- My notes by state --------------------------------------------------------------------------------
@pytest.fixture
def my_notes(tree, cadre, personas, staff):
    """Five drafts, one returned with a comment, one submitted, one accepted."""
    issued_plan(tree.root, YEAR, [(cadre, tree.cell)])
    made = []
    for day in range(1, 9):
        v = visit(cadre, meeting(tree.cell, D(YEAR, 3, day)), Visit.Status.ATTENDED)
        made.append(notes.note_start(visit=v, by=personas["cadre"]))
    user = personas["cadre"]

    def submit(note):
        data = {
            "summary": "Chi bộ thảo luận",
            "overall_rating": "good",
            "members_present": 9,
            "members_total": 10,
        }
        note = notes.note_save(note=note, data=data, version=note.version, by=user)
        return notes.note_submit(note=note, version=note.version, by=user)

    returned = submit(made[5])
    notes.note_return(
        note=returned, round_version=returned.rounds.get().version, by=staff, comment="Bổ sung số vắng"
    )
    submit(made[6])
    accepted = submit(made[7])
    notes.note_accept(note=accepted, round_version=accepted.rounds.get().version, by=staff)
    return made


def test_my_page_lists_my_notes_by_state_bounded(my_notes, personas, client_for):
    html = _page(client_for(personas["cadre"]))
    groups = {
        chunk.split('"', 1)[0]: chunk.split('data-testid="note-group"', 1)[0]
        for chunk in html.split('data-testid="note-group" data-status="')[1:]
    }
    assert list(groups) == ["draft", "returned", "submitted", "accepted"]
    assert groups["draft"].count("data-note=") == 3  # the latest three of five
    assert "See all 5" in _text(groups["draft"])
    assert f'href="{reverse("assignments:my_notes")}?status=draft"' in groups["draft"]
    assert "Reviewer's comment: Bổ sung số vắng" in _text(groups["returned"])
    assert groups["submitted"].count("data-note=") == 1 and groups["accepted"].count("data-note=") == 1
    latest = my_notes[4]
    assert f'href="{reverse("assignments:note_edit", args=[latest.pk])}"' in groups["draft"]


def test_my_notes_list_is_paged_and_scoped(my_notes, personas, client_for, tree):
    client = client_for(personas["cadre"])
    html = client.get(reverse("assignments:my_notes"), {"status": "draft"}).content.decode()
    assert html.count('data-note="') == 5
    other = client_for(personas["other_cadre"]).get(reverse("assignments:my_notes")).content.decode()
    assert 'data-note="' not in other and "No note here." in _text(other)


@pytest.mark.parametrize("extra", [0, 45])
def test_my_pages_query_counts_do_not_grow(
    my_notes, personas, client_for, tree, cadre, django_assert_max_num_queries, extra
):
    for day in range(extra):
        v = visit(
            cadre, meeting(tree.cell2, D(YEAR, 1, 1) + datetime.timedelta(days=day)), Visit.Status.ATTENDED
        )
        notes.note_start(visit=v, by=personas["cadre"])
    client = client_for(personas["cadre"])
    with django_assert_max_num_queries(14):
        assert client.get(MY_VISITS).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("assignments:my_notes")).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(reverse("assignments:my_meetings")).status_code == 200


# --- My cells' meetings -------------------------------------------------------------------------------
def test_my_meetings_are_my_cells_next_first(tree, cadre, personas, client_for):
    issued_plan(tree.root, YEAR, [(cadre, tree.cell)])
    later = meeting(tree.cell, D(YEAR, 7, 20), place="Hội trường ấp 1")
    sooner = meeting(tree.cell, D(YEAR, 6, 18), place="Nhà văn hóa")
    past = meeting(tree.cell, D(YEAR, 6, 1))
    elsewhere = meeting(tree.sibling_cell, D(YEAR, 6, 16), place="Nơi họp chi bộ khác")
    with at("2026-06-15 10:00"):
        html = client_for(personas["cadre"]).get(reverse("assignments:my_meetings")).content.decode()
    shown = [int(pk) for pk in re.findall(r'data-meeting="(\d+)"', html)]
    assert shown == [sooner.pk, later.pk]
    assert past.pk not in shown and elsewhere.pk not in shown
    assert "18/06/2026" in html and "Nơi họp chi bộ khác" not in html


def test_a_cadres_menu_leads_to_their_own_meetings(personas, client_for):
    html = client_for(personas["cadre"]).get(MY_VISITS).content.decode()
    assert f'href="{reverse("assignments:my_meetings")}"' in html
    assert 'data-nav="cells:meeting_list"' not in html


# --- The bell and the notification list ---------------------------------------------------------------
def test_the_unread_count_sits_outside_the_collapsed_menu(personas, client_for):
    user = personas["cadre"]
    for n in range(3):
        Notification.objects.create(recipient=user, kind="nudge", period=f"2026-0{n + 1}", text=f"Nhắc {n}")
    html = client_for(user).get(MY_VISITS).content.decode()
    before_menu = html.split('id="main-nav"', 1)[0]
    assert 'data-testid="unread-count">3' in before_menu


def test_the_notification_list_is_cards_on_a_phone(personas, client_for):
    user = personas["cadre"]
    Notification.objects.create(recipient=user, kind="nudge", period="2026-05", text="Chưa dự tháng 5")
    html = client_for(user).get(reverse("assignments:notification_list")).content.decode()
    assert "table-cards" in html and 'data-label="' in html
    assert "Chưa dự tháng 5" in html


# --- Submitting a note: confirm first, errors on top --------------------------------------------------
@pytest.fixture
def draft(tree, cadre, personas):
    issued_plan(tree.root, YEAR, [(cadre, tree.cell)])
    v = visit(cadre, meeting(tree.cell, D(YEAR, 3, 5)), Visit.Status.PLANNED)
    return notes.note_start(visit=v, by=personas["cadre"])


def test_the_form_leads_to_a_confirmation_that_shows_what_is_sent(draft, personas, client_for):
    client = client_for(personas["cadre"])
    edit = client.get(reverse("assignments:note_edit", args=[draft.pk])).content.decode()
    confirm = reverse("assignments:note_confirm", args=[draft.pk])
    assert f'action="{confirm}"' in edit
    response = client.post(confirm, form_data(draft, members_total="10", **COMPLETE))
    assert response.status_code == 302 and response.url == confirm
    draft.refresh_from_db()
    assert draft.status == AttendanceNote.Status.DRAFT and draft.summary == COMPLETE["summary"]
    page = _text(client.get(confirm).content.decode())
    assert "Submit the note?" in page and COMPLETE["summary"] in page
    assert "you can no longer edit the note until it is reviewed" in page
    done = client.post(reverse("assignments:note_submit", args=[draft.pk]), {"version": draft.version})
    draft.refresh_from_db()
    assert done.status_code == 302 and draft.status == AttendanceNote.Status.SUBMITTED
    assert client.get(confirm).url == reverse("assignments:note_edit", args=[draft.pk])


def test_a_failed_submit_shows_an_error_summary_linking_each_field(draft, personas, client_for):
    client = client_for(personas["cadre"])
    confirm = reverse("assignments:note_confirm", args=[draft.pk])
    response = client.post(confirm, form_data(draft, members_total="5", members_present="9"))
    html = response.content.decode()
    assert response.status_code == 422
    summary = html.split('data-testid="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'role="alert"' in html.split('data-testid="error-summary"', 1)[0][-200:]
    assert 'href="#id_members_present"' in summary and 'id="id_members_present"' in html
    # A reload of this address is a GET: it answers with the missing fields, never a 405.
    again = client.get(confirm)
    assert again.status_code == 200
    text = _text(again.content.decode())
    assert "The note cannot be submitted yet. Please correct:" in text
    assert "required to submit the note" in text
    assert 'href="#id_summary"' in again.content.decode()


def test_a_stale_confirmation_submits_nothing(draft, personas, client_for):
    client = client_for(personas["cadre"])
    client.post(
        reverse("assignments:note_confirm", args=[draft.pk]), form_data(draft, members_total="10", **COMPLETE)
    )
    response = client.post(reverse("assignments:note_submit", args=[draft.pk]), {"version": draft.version})
    draft.refresh_from_db()
    assert response.url == reverse("assignments:note_edit", args=[draft.pk])
    assert draft.status == AttendanceNote.Status.DRAFT


# --- The grid pages many cadres -------------------------------------------------------------------------
@pytest.mark.parametrize("count", [3, 55])
def test_the_grid_pages_its_cadres_and_counts_each_page_alone(
    tree, personas, client_for, django_assert_max_num_queries, count
):
    from tests.factories import CadreFactory

    people = [CadreFactory(organization=tree.root, full_name=f"Cán bộ {n:03d}") for n in range(count)]
    issued_plan(tree.root, YEAR, [(person, tree.cell) for person in people])
    for person in people:
        attended(person, tree.cell, D(YEAR, 1, 9))
    client = client_for(personas["staff"])
    with at("2026-03-15 10:00"), django_assert_max_num_queries(11):
        html = client.get(GRID, {"year": YEAR}).content.decode()
    assert html.count("<tr data-cadre=") == min(count, 50)
    assert html.count('data-testid="compliant">1/2<') == min(count, 50)
    if count > 50:
        assert 'data-testid="grid-pager"' in html
        with at("2026-03-15 10:00"):
            second = client.get(GRID, {"year": YEAR, "page": 2}).content.decode()
        assert second.count("<tr data-cadre=") == count - 50
        assert "Cán bộ 054" in second and "Cán bộ 054" not in html


def test_the_scopes_meeting_list_sends_a_cadre_to_their_own_cells_meetings(tree, cadre, personas, client_for):
    issued_plan(tree.root, YEAR, [(cadre, tree.cell)])
    meeting(tree.cell, D(YEAR, 6, 18), place="Nhà văn hóa")
    meeting(tree.sibling_cell, D(YEAR, 6, 16), place="Nơi họp chi bộ khác")
    with at("2026-06-15 10:00"):
        response = client_for(personas["cadre"]).get(reverse("cells:meeting_list"), follow=True)
    assert response.redirect_chain == [(reverse("assignments:my_meetings"), 302)]
    html = response.content.decode()
    assert "Nhà văn hóa" in html and "Nơi họp chi bộ khác" not in html
