"""A cell's meeting moves or is cancelled: planned visits follow (or wait for a new date), every cadre
assigned to the cell is told, nobody else is, the e-mails leave after commit, and the grassroots user who
made the change sees exactly the same thing whether or not a visit was planned."""

from __future__ import annotations

import re
from datetime import date, time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from freezegun import freeze_time

from assignments.models import AssignmentPlan, Cadre, Notification, Visit
from assignments.notifications.outbox import emails_send
from assignments.notifications.tasks import send_notification_emails
from assignments.visits.services import visit_plan
from cells.meetings import services
from cells.models import Meeting
from tests.assignments.notifications.factories import addressee
from tests.assignments.visits.factories import issued_plan, meeting_on, next_year
from tests.factories import CadreFactory

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
def cadres(personas, tree) -> dict[str, Cadre]:
    """CAD1 and CAD2 have logins (the personas); CAD3 has one too but works for cell XB-AP1 only;
    CAD4 is assigned to XA-AP1 only in a draft plan; CAD5 is assigned to XA-AP1 but has no login (it is
    told by e-mail all the same)."""
    third = get_user_model().objects.create_user(username="cad3", email="cad3@login.vn")
    return {
        "CAD1": Cadre.objects.get(code="CAD1"),
        "CAD2": Cadre.objects.get(code="CAD2"),
        "CAD3": CadreFactory(code="CAD3", organization=tree.root, user=third, email=""),
        "CAD4": CadreFactory(code="CAD4", organization=tree.root),
        "CAD5": CadreFactory(code="CAD5", organization=tree.root),
    }


@pytest.fixture
def plans(tree, cadres, year) -> AssignmentPlan:
    draft = issued_plan(tree.root, year, [(cadres["CAD4"], tree.cell)], status=AssignmentPlan.Status.DRAFT)
    issued = issued_plan(
        tree.root,
        year,
        [
            (cadres["CAD1"], tree.cell),
            (cadres["CAD2"], tree.cell),
            (cadres["CAD5"], tree.cell),
            (cadres["CAD3"], tree.sibling_cell),
        ],
    )
    return {"issued": issued, "draft": draft}


@pytest.fixture
def meeting(tree, year, plans) -> Meeting:
    return meeting_on(tree.cell, date(year, 3, 5), start_time=time(19, 30), place="Hội trường ấp 1")


@pytest.fixture
def visit(meeting, cadres, staff) -> Visit:
    return visit_plan(cadre=cadres["CAD1"], meeting=meeting, by=staff)


def _recipients(kind: str | None = None) -> dict[str, str]:
    notifications = Notification.objects.all()
    if kind:
        notifications = notifications.filter(kind=kind)
    return {addressee(n): n.kind for n in notifications.select_related("recipient", "cadre")}


def _move(meeting: Meeting, by) -> Meeting:
    return services.meeting_move(
        meeting=meeting, day=date(meeting.date.year, 3, 9), start_time=time(8, 0), place="Nhà văn hóa", by=by
    )


# --- Moving --------------------------------------------------------------------------------------------
def test_a_moved_meeting_keeps_its_visits_and_tells_exactly_the_assigned_cadres(
    meeting, visit, grassroots, personas, year
):
    _move(meeting, grassroots)
    visit.refresh_from_db()
    assert (visit.status, visit.meeting_id) == (Visit.Status.PLANNED, meeting.pk)
    assert _recipients() == {"cadre": "meeting_moved", "othercadre": "meeting_moved", "CAD5": "meeting_moved"}
    text = Notification.objects.get(recipient=personas["cadre"]).text
    assert f"09/03/{year}" in text and "08:00" in text and "Nhà văn hóa" in text
    assert "Chi bộ ấp 1 – Đảng bộ xã Xuân Thới Sơn" in text and "XA-AP1" not in text


def test_the_same_cadres_are_told_when_no_visit_was_planned(meeting, grassroots):
    _move(meeting, grassroots)
    assert _recipients() == {"cadre": "meeting_moved", "othercadre": "meeting_moved", "CAD5": "meeting_moved"}


def test_the_notice_says_nothing_of_a_visit(meeting, visit, grassroots, personas):
    _move(meeting, grassroots)
    texts = {addressee(n): n.text for n in Notification.objects.all()}
    assert texts["cadre"] == texts["othercadre"] == texts["CAD5"]


def test_nobody_on_the_cells_side_is_told(meeting, visit, grassroots, sibling_grassroots, staff, leader):
    _move(meeting, grassroots)
    services.meeting_cancel(meeting=meeting, by=grassroots)
    for user in (grassroots, sibling_grassroots, staff, leader):
        assert not Notification.objects.filter(recipient=user).exists()


def test_the_emails_leave_after_commit_one_per_cadre(
    meeting, visit, grassroots, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _move(meeting, grassroots)
    assert mail.outbox == []  # nothing is sent inside the transaction
    for callback in callbacks:
        callback()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        Cadre.objects.filter(code__in=["CAD1", "CAD2", "CAD5"]).values_list("email", flat=True)
    )
    assert all("Nhà văn hóa" in message.body for message in mail.outbox)
    assert set(Notification.objects.values_list("status", flat=True)) == {Notification.Status.SENT}


def test_the_email_task_is_idempotent(meeting, grassroots, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _move(meeting, grassroots)
    assert len(mail.outbox) == 3
    send_notification_emails.delay(list(Notification.objects.values_list("pk", flat=True)))
    assert len(mail.outbox) == 3


def test_a_failed_email_is_given_back_for_the_retry(meeting, grassroots, settings):
    _move(meeting, grassroots)
    ids = list(Notification.objects.values_list("pk", flat=True))
    settings.EMAIL_BACKEND = "tests.assignments.notifications.mail_backends.FailingBackend"
    failures = emails_send(notification_ids=ids)
    assert set(failures) == set(ids) and "mail server down" in failures[ids[0]]
    rows = Notification.objects.values_list("status", "claimed_at", "sent_at")
    assert set(rows) == {(Notification.Status.PENDING, None, None)}  # free for the retry, not sent


def test_the_login_email_is_used_when_the_cadre_record_has_none(tree, plans, cadres, year, grassroots):
    _move(meeting_on(tree.sibling_cell, date(year, 5, 5)), grassroots)
    ids = list(Notification.objects.values_list("pk", flat=True))
    send_notification_emails.delay(ids)
    assert [message.to for message in mail.outbox] == [["cad3@login.vn"]]


# --- Cancelling ----------------------------------------------------------------------------------------
def test_a_cancelled_meetings_visits_wait_for_a_new_date_and_the_cadres_are_told(meeting, visit, grassroots):
    services.meeting_cancel(meeting=meeting, by=grassroots)
    visit.refresh_from_db()
    assert (visit.status, visit.meeting) == (Visit.Status.NEEDS_DATE, None)
    assert _recipients() == {
        "cadre": "visit_needs_date",
        "othercadre": "meeting_cancelled",
        "CAD5": "meeting_cancelled",
    }
    needs_date = Notification.objects.get(kind=Notification.Kind.VISIT_NEEDS_DATE)
    assert needs_date.url == visit.get_absolute_url()
    assert "05/03/" in needs_date.text and "Chi bộ ấp 1 – Đảng bộ xã Xuân Thới Sơn" in needs_date.text


def test_without_a_visit_every_assigned_cadre_hears_of_the_cancellation(meeting, grassroots):
    services.meeting_cancel(meeting=meeting, by=grassroots)
    assert _recipients() == {
        "cadre": "meeting_cancelled",
        "othercadre": "meeting_cancelled",
        "CAD5": "meeting_cancelled",
    }


def test_cancelling_twice_tells_nobody_twice(meeting, visit, grassroots):
    services.meeting_cancel(meeting=meeting, by=grassroots)
    services.meeting_cancel(meeting=meeting, by=grassroots)
    assert Notification.objects.count() == 3


def test_attended_and_other_cadres_visits_elsewhere_are_untouched(meeting, visit, cadres, tree, year, staff):
    elsewhere = visit_plan(cadre=cadres["CAD2"], meeting=meeting_on(tree.cell, date(year, 4, 5)), by=staff)
    services.meeting_cancel(meeting=meeting, by=staff)
    elsewhere.refresh_from_db()
    assert elsewhere.status == Visit.Status.PLANNED


# --- What the grassroots user sees ----------------------------------------------------------------------
def _page(response) -> str:
    """The final page with its per-request CSRF tokens blanked."""
    return re.sub(r"[A-Za-z0-9]{64}", "CSRF", response.content.decode())


def _as_grassroots(client, meeting: Meeting, action: str):
    if action == "move":
        url = reverse("cells:meeting_edit", args=[meeting.pk])
        data = {"date": f"{meeting.date.year}-03-09", "start_time": "08:00", "place": "Nhà văn hóa"}
    else:
        url, data = reverse("cells:meeting_cancel", args=[meeting.pk]), {}
    response = client.post(url, data, follow=True)
    return (
        response.status_code,
        response.redirect_chain,
        [str(message) for message in response.context["messages"]],
        _page(response),
    )


@pytest.mark.parametrize("action", ["move", "cancel"])
def test_the_grassroots_user_sees_the_same_with_or_without_a_visit(
    meeting, cadres, staff, grassroots, client_for, action
):
    client = client_for(grassroots)
    outcomes = []
    with freeze_time(timezone.now()):  # the change history shows the minute of the change
        for with_visit in (False, True):
            point = transaction.savepoint()
            if with_visit:
                visit_plan(cadre=cadres["CAD1"], meeting=meeting, by=staff)
            outcomes.append(_as_grassroots(client, Meeting.objects.get(pk=meeting.pk), action))
            transaction.savepoint_rollback(point)
    without, with_ = outcomes
    assert without[0] == 200
    assert without[2] != []  # a success message was shown
    assert without == with_


def test_the_grassroots_users_notifications_stay_empty(meeting, visit, grassroots, client_for):
    client = client_for(grassroots)
    _as_grassroots(client, meeting, "move")
    response = client.get(reverse("assignments:notification_list"))
    assert list(response.context["table"].rows) == []


def test_the_cadre_follows_the_notice_and_picks_a_new_date(
    meeting, visit, tree, year, grassroots, client_for
):
    services.meeting_cancel(meeting=meeting, by=grassroots)
    notice = Notification.objects.get(kind=Notification.Kind.VISIT_NEEDS_DATE)
    client = client_for(notice.recipient)
    opened = client.post(reverse("assignments:notification_read", args=[notice.pk]), {"open": "1"})
    page = client.get(opened["Location"])
    assert 'data-testid="needs-date"' in page.content.decode()
    new_meeting = meeting_on(tree.cell, date(year, 4, 5))
    client.post(
        reverse("assignments:visit_edit", args=[visit.pk]), {"action": "move", "meeting": new_meeting.pk}
    )
    visit.refresh_from_db()
    assert (visit.status, visit.meeting) == (Visit.Status.PLANNED, new_meeting)
