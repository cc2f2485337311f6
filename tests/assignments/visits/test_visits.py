"""Visits: planning one (the rules visit_plan keeps), moving and recording it, the confidential list with
its access log, the planning pages, and notifications."""

from __future__ import annotations

import csv
import io
import itertools
import re
from datetime import date, time, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from assignments.models import AssignmentPlan, Cadre, Notification, Visit, VisitListAccess
from assignments.notifications.context_processors import notifications as notification_context
from assignments.visits import services as visits
from cells.models import Meeting
from tests.assignments.visits.factories import issued_plan, meeting_on, next_year
from tests.factories import CadreFactory, CellFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def year() -> int:
    return next_year()


@pytest.fixture
def cad1(personas) -> Cadre:
    return Cadre.objects.get(code="CAD1")


@pytest.fixture
def cad2(personas) -> Cadre:
    return Cadre.objects.get(code="CAD2")


@pytest.fixture
def plan(tree, cad1, cad2, year) -> AssignmentPlan:
    """CAD1 → XA-AP1 and HU-CQ; CAD2 → XA-AP1 and XB-AP1; both in the issued plan of next year."""
    return issued_plan(
        tree.root,
        year,
        [(cad1, tree.cell), (cad1, tree.direct_cell), (cad2, tree.cell), (cad2, tree.sibling_cell)],
    )


@pytest.fixture
def meeting(tree, year) -> Meeting:
    return meeting_on(tree.cell, date(year, 3, 5), place="Hội trường ấp 1")


def without_csrf(body: bytes) -> str:
    """A page with its per-request CSRF tokens blanked: what is left must not depend on visits."""
    return re.sub(r"[A-Za-z0-9]{64}", "CSRF", body.decode())


def _error(excinfo) -> str:
    return " ".join(excinfo.value.messages)


# --- visit_plan ---------------------------------------------------------------------------------------
def test_a_cadre_is_planned_at_a_meeting_of_an_assigned_cell(plan, cad1, meeting, staff):
    visit = visits.visit_plan(cadre=cad1, meeting=meeting, by=staff)
    visit.refresh_from_db()
    assert (visit.cadre, visit.cell, visit.meeting) == (cad1, meeting.cell, meeting)
    assert visit.status == Visit.Status.PLANNED
    assert visit.planned_by == staff


def test_a_cell_the_cadre_is_not_assigned_to_is_refused(plan, cad1, tree, year, staff):
    other = meeting_on(tree.cell2, date(year, 3, 6))
    with pytest.raises(ValidationError) as excinfo:
        visits.visit_plan(cadre=cad1, meeting=other, by=staff)
    assert "not assigned" in _error(excinfo)
    assert "Chi bộ trường học – Đảng bộ xã Xuân Thới Sơn" in _error(excinfo)
    assert not Visit.objects.exists()


def test_an_assignment_in_a_draft_plan_or_another_year_does_not_count(tree, cad1, year, staff):
    issued_plan(tree.root, year, [(cad1, tree.cell2)], status=AssignmentPlan.Status.DRAFT)
    issued_plan(tree.root, year + 1, [(cad1, tree.cell)])
    for cell in (tree.cell2, tree.cell):
        with pytest.raises(ValidationError, match="not assigned"):
            visits.visit_plan(cadre=cad1, meeting=meeting_on(cell, date(year, 4, 2)), by=staff)
    assert not Visit.objects.exists()


def test_a_cancelled_meeting_is_refused(plan, cad1, tree, year, staff):
    cancelled = meeting_on(tree.cell, date(year, 4, 5), status=Meeting.Status.CANCELLED)
    with pytest.raises(ValidationError, match="cancelled"):
        visits.visit_plan(cadre=cad1, meeting=cancelled, by=staff)
    assert not Visit.objects.exists()


def test_a_past_meeting_is_refused(tree, cad1, staff):
    yesterday = timezone.localdate() - timedelta(days=1)
    issued_plan(tree.root, yesterday.year, [(cad1, tree.cell)])
    past = meeting_on(tree.cell, yesterday)
    with pytest.raises(ValidationError, match="already taken place"):
        visits.visit_plan(cadre=cad1, meeting=past, by=staff)
    assert not Visit.objects.exists()


def test_two_cadres_at_one_meeting_only_when_allowed(plan, cad1, cad2, meeting, staff):
    visits.visit_plan(cadre=cad1, meeting=meeting, by=staff)
    with pytest.raises(ValidationError, match="Another cadre"):
        visits.visit_plan(cadre=cad2, meeting=meeting, by=staff)
    assert Visit.objects.filter(meeting=meeting).count() == 1
    visits.visit_plan(cadre=cad2, meeting=meeting, by=staff, together_allowed=True)
    assert set(Visit.objects.filter(meeting=meeting).values_list("cadre__code", flat=True)) == {
        "CAD1",
        "CAD2",
    }


def test_the_same_cadre_cannot_be_booked_twice_at_one_meeting(plan, cad1, meeting, staff):
    visits.visit_plan(cadre=cad1, meeting=meeting, by=staff)
    with pytest.raises(ValidationError, match="already plans"):
        visits.visit_plan(cadre=cad1, meeting=meeting, by=staff, together_allowed=True)


def test_a_cancelled_visit_frees_the_meeting(plan, cad1, cad2, meeting, staff):
    first = visits.visit_plan(cadre=cad1, meeting=meeting, by=staff)
    visits.visit_mark(visit=first, status=Visit.Status.CANCELLED, by=staff)
    second = visits.visit_plan(cadre=cad2, meeting=meeting, by=staff)
    assert second.status == Visit.Status.PLANNED


# --- visit_reschedule and visit_mark -------------------------------------------------------------------
def test_reschedule_moves_the_visit_to_another_meeting_under_the_same_rules(
    plan, cad1, meeting, tree, year, staff
):
    visit = visits.visit_plan(cadre=cad1, meeting=meeting, by=staff)
    later = meeting_on(tree.direct_cell, date(year, 3, 20))
    visits.visit_reschedule(visit=visit, meeting=later, by=staff)
    visit.refresh_from_db()
    assert (visit.meeting, visit.cell, visit.status) == (later, tree.direct_cell, Visit.Status.PLANNED)
    with pytest.raises(ValidationError, match="not assigned"):
        visits.visit_reschedule(visit=visit, meeting=meeting_on(tree.cell2, date(year, 3, 21)), by=staff)


def test_a_visit_waiting_for_a_date_gets_one(plan, cad1, meeting, tree, year, staff):
    visit = Visit.objects.create(cadre=cad1, cell=tree.cell, status=Visit.Status.NEEDS_DATE)
    visits.visit_reschedule(visit=visit, meeting=meeting, by=staff)
    visit.refresh_from_db()
    assert (visit.status, visit.meeting) == (Visit.Status.PLANNED, meeting)


def test_attendance_is_recorded_only_once_the_meeting_took_place(plan, cad1, meeting, staff):
    visit = visits.visit_plan(cadre=cad1, meeting=meeting, by=staff)
    with pytest.raises(ValidationError, match="not taken place"):
        visits.visit_mark(visit=visit, status=Visit.Status.ATTENDED, by=staff)
    visits.visit_mark(visit=visit, status=Visit.Status.ATTENDED, by=staff, today=meeting.date)
    visit.refresh_from_db()
    assert visit.status == Visit.Status.ATTENDED
    with pytest.raises(ValidationError, match="can be moved"):
        visits.visit_reschedule(visit=visit, meeting=meeting, by=staff)
    with pytest.raises(ValidationError, match="Only a planned visit"):
        visits.visit_mark(visit=visit, status=Visit.Status.CANCELLED, by=staff)


# --- The list, its filters and exports, and its access log ----------------------------------------------
@pytest.fixture
def planned(plan, cad1, cad2, tree, year, staff) -> dict[str, Visit]:
    return {
        "cad1_march": visits.visit_plan(
            cadre=cad1, meeting=meeting_on(tree.cell, date(year, 3, 5)), by=staff
        ),
        "cad1_april": visits.visit_plan(
            cadre=cad1, meeting=meeting_on(tree.direct_cell, date(year, 4, 9)), by=staff
        ),
        "cad2_march": visits.visit_plan(
            cadre=cad2, meeting=meeting_on(tree.sibling_cell, date(year, 3, 12)), by=staff
        ),
    }


def _rows(response) -> set[int]:
    return {row.record.pk for row in response.context["table"].rows}


def test_staff_and_leadership_list_the_visits_of_their_tree(planned, staff, leader, outsider, client_for):
    url = reverse("assignments:visit_list") + "?all=1"
    every = {visit.pk for visit in planned.values()}
    assert _rows(client_for(staff).get(url)) == every
    assert _rows(client_for(leader).get(url)) == every
    assert _rows(client_for(outsider).get(url)) == set()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "planned"}, {"cad1_march", "cad1_april", "cad2_march"}),
        ({"status": "attended"}, set()),
        ({"cadre": "CAD2"}, {"cad2_march"}),
        ({"cell": "XA-AP1"}, {"cad1_march"}),
        ({"date_from": "{year}-04-01"}, {"cad1_april"}),
        ({"date_to": "{year}-03-31"}, {"cad1_march", "cad2_march"}),
    ],
)
def test_the_visit_list_filters(planned, staff, client_for, year, params, expected):
    params = {key: value.format(year=year) for key, value in params.items()}
    if "cadre" in params:
        params["cadre"] = Cadre.objects.get(code=params["cadre"]).pk
    if "cell" in params:
        params["cell"] = planned["cad1_march"].cell.pk
    response = client_for(staff).get(reverse("assignments:visit_list"), params)
    assert _rows(response) == {planned[key].pk for key in expected}


def test_the_export_holds_the_filtered_visits(planned, staff, client_for, year):
    response = client_for(staff).get(
        reverse("assignments:visit_list"), {"export": "csv", "cadre": planned["cad2_march"].cadre.pk}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Date", "Time", "Cell code"]
    assert [row[0] for row in rows[1:]] == [f"12/03/{year}"]
    assert "Võ Thị Khác" in rows[1]


def test_every_look_at_the_visit_list_is_recorded(planned, staff, leader, client_for, tree):
    client_for(staff).get(reverse("assignments:visit_list"), {"status": "planned"})
    client_for(leader).get(reverse("assignments:visit_list"), {"export": "xlsx"})
    records = list(VisitListAccess.objects.order_by("at", "pk"))
    assert [(r.user, r.root, r.path) for r in records] == [
        (staff, tree.root, "/visits/?status=planned"),
        (leader, tree.root, "/visits/?export=xlsx"),
    ]
    log = client_for(staff).get(reverse("assignments:visit_access_log"))
    assert [row.record for row in log.context["table"].rows] == records[::-1]
    assert "/visits/?export=xlsx" in log.content.decode()


def test_the_access_log_of_another_tree_is_not_shown(planned, staff, outsider, client_for):
    client_for(staff).get(reverse("assignments:visit_list"))
    log = client_for(outsider).get(reverse("assignments:visit_access_log"))
    assert list(log.context["table"].rows) == []


def _many_visits(tree, year, staff, count: int) -> None:
    cadres = CadreFactory.create_batch(count, organization=tree.root)
    cells = CellFactory.create_batch(count, parent=tree.committee)
    issued_plan(tree.root, year, zip(cadres, cells, strict=True))
    for cadre, cell in zip(cadres, cells, strict=True):
        visits.visit_plan(cadre=cadre, meeting=meeting_on(cell, date(year, 5, 7)), by=staff)


def test_the_visit_list_query_count_does_not_grow_with_the_visits(
    tree, year, staff, client_for, django_assert_max_num_queries
):
    """11 queries today (session, user, role, scope, root, access record, filter choices, count, page);
    one more is allowed for the unread-notification badge of the navigation."""
    client = client_for(staff)
    url = reverse("assignments:visit_list") + "?all=1"
    _many_visits(tree, year, staff, 2)
    with django_assert_max_num_queries(12):
        assert len(_rows(client.get(url))) == 2
    _many_visits(tree, year + 1, staff, 30)
    with django_assert_max_num_queries(12):
        assert len(_rows(client.get(url))) == 32


# --- Planning a visit through the pages ---------------------------------------------------------------
def test_staff_plans_a_visit_for_a_cadre(plan, cad1, meeting, staff, client_for):
    response = client_for(staff).post(
        reverse("assignments:visit_create"), {"cadre": cad1.pk, "meeting": meeting.pk}
    )
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == visit.get_absolute_url()
    assert (visit.cadre, visit.meeting, visit.planned_by) == (cad1, meeting, staff)


def test_a_refused_visit_shows_why_on_the_form(plan, cad1, cad2, meeting, staff, client_for):
    visits.visit_plan(cadre=cad1, meeting=meeting, by=staff)
    response = client_for(staff).post(
        reverse("assignments:visit_create"), {"cadre": cad2.pk, "meeting": meeting.pk}
    )
    assert response.status_code == 200
    assert "Another cadre already plans to attend this meeting." in response.content.decode()
    assert Visit.objects.count() == 1


def test_a_cadre_plans_for_himself_among_his_cells_upcoming_meetings(
    plan, cad1, cad2, meeting, tree, year, cadre_user, client_for
):
    not_his = meeting_on(tree.sibling_cell, date(year, 3, 7))
    client = client_for(cadre_user)
    form = client.get(reverse("assignments:visit_create")).context["form"]
    assert "cadre" not in form.fields
    assert set(form.fields["meeting"].queryset) == {meeting}
    refused = client.post(reverse("assignments:visit_create"), {"meeting": not_his.pk})
    assert refused.status_code == 200
    assert not Visit.objects.exists()
    client.post(reverse("assignments:visit_create"), {"meeting": meeting.pk, "cadre": cad2.pk})
    assert list(Visit.objects.values_list("cadre__code", "meeting")) == [("CAD1", meeting.pk)]


def test_the_cadre_sees_and_changes_his_own_visit_only(
    plan, cad1, cad2, meeting, tree, year, staff, cadre_user, other_cadre_user, client_for
):
    own = visits.visit_plan(cadre=cad1, meeting=meeting, by=staff)
    client = client_for(cadre_user)
    assert client.get(own.get_absolute_url()).status_code == 200
    later = meeting_on(tree.direct_cell, date(year, 6, 2))
    response = client.post(
        reverse("assignments:visit_edit", args=[own.pk]), {"action": "move", "meeting": later.pk}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.meeting == later
    other = client_for(other_cadre_user)
    assert other.get(own.get_absolute_url()).status_code == 404
    assert other.post(reverse("assignments:visit_edit", args=[own.pk]), {"action": "mark"}).status_code == 404


def test_leadership_reads_a_visit_but_may_not_change_it(plan, cad1, meeting, staff, leader, client_for):
    visit = visits.visit_plan(cadre=cad1, meeting=meeting, by=staff)
    client = client_for(leader)
    assert client.get(visit.get_absolute_url()).status_code == 200
    response = client.post(
        reverse("assignments:visit_edit", args=[visit.pk]), {"action": "mark", "status": "cancelled"}
    )
    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.status == Visit.Status.PLANNED


def test_staff_cancel_a_visit(plan, cad1, meeting, staff, client_for):
    visit = visits.visit_plan(cadre=cad1, meeting=meeting, by=staff)
    response = client_for(staff).post(
        reverse("assignments:visit_edit", args=[visit.pk]), {"action": "mark", "status": "cancelled"}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == Visit.Status.CANCELLED


def test_a_visit_is_the_same_404_for_grassroots_staff_as_a_missing_one(
    plan, cad1, meeting, staff, grassroots, client_for
):
    visit = visits.visit_plan(cadre=cad1, meeting=meeting, by=staff)
    client = client_for(grassroots)
    existing_url = reverse("assignments:visit_detail", args=[visit.pk])
    missing_url = reverse("assignments:visit_detail", args=[visit.pk + 1000])
    existing, missing = client.get(existing_url), client.get(missing_url)
    assert existing.status_code == missing.status_code == 404
    assert without_csrf(existing.content).replace(existing_url, "URL") == without_csrf(
        missing.content
    ).replace(missing_url, "URL")
    assert client.get(reverse("assignments:visit_edit", args=[visit.pk])).status_code == 404


# --- Proposing a month through the page ---------------------------------------------------------------
def test_staff_draw_a_month_and_accept_some_of_it(plan, cad1, cad2, tree, year, staff, client_for):
    meeting_on(tree.cell, date(year, 3, 5))
    meeting_on(tree.direct_cell, date(year, 3, 18))
    meeting_on(tree.sibling_cell, date(year, 3, 11))
    client = client_for(staff)
    page = client.get(reverse("assignments:visit_propose"), {"year": year, "period": "m3", "seed": 7})
    proposal = page.context["proposal"]
    assert {row.cadre.code for row in proposal.rows} == {"CAD1", "CAD2"}
    assert not Visit.objects.exists()  # a proposal is not saved
    kept = proposal.rows[0]
    response = client.post(
        reverse("assignments:visit_propose"), {"row": [kept.token], "query": page.context["query"]}
    )
    assert response.status_code == 302
    assert list(Visit.objects.values_list("cadre", "meeting")) == [(kept.cadre.pk, kept.meeting.pk)]


def test_the_same_seed_draws_the_same_proposal(plan, tree, year, staff, client_for):
    for day in (3, 10, 17, 24):
        meeting_on(tree.cell, date(year, 5, day))
        meeting_on(tree.direct_cell, date(year, 5, day + 1))
        meeting_on(tree.sibling_cell, date(year, 5, day + 2))
    client = client_for(staff)
    params = {"year": year, "period": "m5", "seed": 12345}
    first = client.get(reverse("assignments:visit_propose"), params).context["proposal"]
    again = client.get(reverse("assignments:visit_propose"), params).context["proposal"]
    assert [row.token for row in first.rows] == [row.token for row in again.rows]


def test_accepting_a_forged_row_outside_the_users_reach_saves_nothing(plan, tree, outsider, cad1, client_for):
    meeting = meeting_on(tree.cell, date(next_year(), 3, 5))
    response = client_for(outsider).post(
        reverse("assignments:visit_propose"), {"row": [f"{cad1.pk}:{meeting.pk}"]}, follow=True
    )
    assert "out of date" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_proposal_without_an_issued_plan_says_so(tree, staff, client_for, year):
    page = client_for(staff).get(reverse("assignments:visit_propose"), {"year": year, "period": "q2"})
    assert page.context["proposal"] is None
    assert "no issued assignment plan" in page.content.decode()


# --- Notifications ------------------------------------------------------------------------------------
_periods = itertools.count()


def _notify(user, count: int, **fields) -> list[Notification]:
    return Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=Notification.Kind.MEETING_MOVED,
            period=f"test-{next(_periods)}",  # one row per (recipient, kind, period)
            text=f"Họp {n}",
            **fields,
        )
        for n in range(count)
    )


def test_the_notification_list_shows_only_ones_own(cadre_user, other_cadre_user, client_for):
    own = _notify(cadre_user, 2)
    _notify(other_cadre_user, 3)
    response = client_for(cadre_user).get(reverse("assignments:notification_list"))
    assert {row.record.pk for row in response.context["table"].rows} == {n.pk for n in own}


def test_the_notification_list_query_count_does_not_grow(
    cadre_user, client_for, django_assert_max_num_queries
):
    """5 queries today; one more is allowed for the unread-notification badge of the navigation."""
    client = client_for(cadre_user)
    url = reverse("assignments:notification_list")
    _notify(cadre_user, 2, url="/meetings/1/")
    with django_assert_max_num_queries(6):
        assert len(client.get(url).context["table"].rows) == 2
    _notify(cadre_user, 40, url="/meetings/1/")
    with django_assert_max_num_queries(6):
        assert len(client.get(url).context["table"].page.object_list) == 42


def test_reading_a_notification_marks_it_and_opens_its_page(cadre_user, client_for):
    (notification,) = _notify(cadre_user, 1, url="/meetings/7/")
    client = client_for(cadre_user)
    url = reverse("assignments:notification_read", args=[notification.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"open": "1"})
    assert response["Location"] == "/meetings/7/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    unread = client.get(reverse("assignments:notification_list"), {"unread": "on"})
    assert list(unread.context["table"].rows) == []


def test_another_users_notification_is_404_and_stays_unread(cadre_user, other_cadre_user, client_for):
    (notification,) = _notify(cadre_user, 1)
    response = client_for(other_cadre_user).post(
        reverse("assignments:notification_read", args=[notification.pk])
    )
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_unread_count_for_the_navigation_badge(cadre_user, rf, django_assert_num_queries):
    _notify(cadre_user, 3)
    Notification.objects.filter(pk=Notification.objects.first().pk).update(read_at=timezone.now())
    request = rf.get("/")
    request.user = cadre_user
    unread = notification_context(request)["unread_notifications"]
    with django_assert_num_queries(1):
        assert unread() == 2
        assert unread() == 2  # counted once per request


def test_meeting_time_is_shown_as_planned(plan, cad1, meeting, staff, client_for):
    """The detail page gives the cadre what he needs to go: date, time and place."""
    meeting.start_time = time(7, 45)
    meeting.save()
    visit = visits.visit_plan(cadre=cad1, meeting=meeting, by=staff)
    body = client_for(staff).get(visit.get_absolute_url()).content.decode()
    assert f"05/03/{meeting.date.year}" in body
    assert "07:45" in body
    assert "Hội trường ấp 1" in body


@pytest.mark.parametrize("looks", [2, 30])
def test_the_access_log_query_count_does_not_grow(
    tree, staff, client_for, looks, django_assert_max_num_queries
):
    for _ in range(looks):
        VisitListAccess.objects.create(user=staff, root=tree.root, path="/visits/")
    client = client_for(staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("assignments:visit_access_log"))
    assert len(response.context["table"].rows) == looks
