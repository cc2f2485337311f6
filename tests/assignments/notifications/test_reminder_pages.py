"""The notification preferences page and the operations page of the reminder jobs."""

from __future__ import annotations

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation
from django_celery_beat.models import PeriodicTask
from kombu.exceptions import OperationalError

from assignments.models import Heartbeat, JobRun, Notification, NotificationPreference
from assignments.notifications.outbox import BEAT
from assignments.reminders.schedule import entry_of, schedule_entry_pause
from assignments.reminders.tasks import heartbeat, run_reminder_job
from cells.access.roles import Role
from cells.logins.services import user_create
from tests.assignments.notifications.factories import at, november_plan, run
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db
PREFERENCES = reverse("assignments:notification_preferences")
OPERATIONS = reverse("assignments:operations")
RECONCILE = reverse("assignments:operations_reconcile")


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


# --- Preferences --------------------------------------------------------------------------------------
def test_a_cadre_chooses_the_cadre_kinds_and_is_told_the_monthly_reminder_always_comes(
    cadre_user, client_for
):
    page = client_for(cadre_user).get(PREFERENCES)
    assert list(page.context["form"].fields) == [
        "language",
        "email_meeting_changes",
        "email_nudge",
        "email_note_overdue",
    ]
    assert "meetings always comes by e-mail." in page.content.decode()
    assert page.context["form"]["language"].value() == "en"  # the language the user reads the site in


def test_staff_choose_the_staff_kinds(staff, client_for):
    fields = list(client_for(staff).get(PREFERENCES).context["form"].fields)
    assert fields == ["language", "email_staff_behind", "email_quarterly_report"]


def test_a_grassroots_user_has_nothing_to_choose_but_the_language(grassroots, client_for):
    page = client_for(grassroots).get(PREFERENCES)
    assert list(page.context["form"].fields) == ["language"]
    assert "No notice kind sent by e-mail applies to your role." in page.content.decode()


def test_a_grassroots_login_linked_to_a_cadre_still_chooses_nothing(tree, grassroots, client_for):
    CadreFactory(organization=tree.root, user=grassroots)
    assert list(client_for(grassroots).get(PREFERENCES).context["form"].fields) == ["language"]


def test_saving_the_preferences(cadre_user, client_for):
    client = client_for(cadre_user)
    response = client.post(PREFERENCES, {"language": "vi", "email_nudge": "on", "email_note_overdue": "on"})
    assert response.status_code == 302
    saved = NotificationPreference.objects.get(user=cadre_user)
    assert (saved.language, saved.email_meeting_changes, saved.email_nudge) == ("vi", False, True)
    assert saved.email_staff_behind  # not on the cadre's form: untouched
    page = client.get(PREFERENCES)
    assert page.context["form"]["language"].value() == "vi"


def test_a_bad_language_is_refused(cadre_user, client_for):
    response = client_for(cadre_user).post(PREFERENCES, {"language": "fr"})
    assert response.status_code == 200 and response.context["form"].errors["language"]
    assert not NotificationPreference.objects.exists()


def test_the_notification_list_links_to_the_preferences(cadre_user, client_for):
    page = client_for(cadre_user).get(reverse("assignments:notification_list")).content.decode()
    assert f'href="{PREFERENCES}"' in page


# --- Operations ---------------------------------------------------------------------------------------
def _failed(user, n: int) -> None:
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=Notification.Kind.NUDGE,
            period=f"2026-{n:02d}",
            text="…",
            status=Notification.Status.FAILED,
            attempts=6,
            last_error=f"SMTPRecipientsRefused: {n}",
        )
        for n in range(1, n + 1)
    )


def test_the_operations_page_shows_each_jobs_last_run_and_its_counts(
    tree, personas, staff, client_for, settings
):
    plan = november_plan(tree, personas)
    plan.cad2.email = ""
    plan.cad2.save()
    with at("2026-11-01 07:00"):
        run("monthly", source=JobRun.Source.COMMAND)
    page = client_for(staff).get(OPERATIONS)
    monthly = next(status for status in page.context["jobs"] if status.job == "monthly")
    assert monthly.run.source == JobRun.Source.COMMAND
    assert monthly.counts == {"sent": 2, "skipped": 1}  # CAD2 has no address; CAD3 has no login
    assert '<td class="text-end" data-count="sent">2</td>' in page.content.decode()
    nudge = next(status for status in page.context["jobs"] if status.job == "nudge")
    assert nudge.run is None


def test_failures_are_listed_with_their_reasons_for_the_staffs_own_tree(
    personas, staff, outsider, client_for
):
    _failed(personas["cadre"], 2)
    page = client_for(staff).get(OPERATIONS).content.decode()
    assert "SMTPRecipientsRefused: 2" in page and 'data-testid="failure-table"' in page
    other = client_for(outsider).get(OPERATIONS).content.decode()
    assert "SMTPRecipientsRefused" not in other and 'data-testid="no-failures"' in other


def test_an_smtp_failure_ends_on_the_operations_page(tree, personas, staff, client_for, settings):
    plan = november_plan(tree, personas)
    settings.EMAIL_BACKEND = "tests.assignments.notifications.mail_backends.FailingBackend"
    settings.REMINDER_EMAIL_MAX_RETRIES = 2
    with at("2026-11-01 07:00"):
        run("monthly")
        page = client_for(staff).get(OPERATIONS)
    monthly = next(status for status in page.context["jobs"] if status.job == "monthly")
    assert monthly.counts == {"failed": 3}
    rows = {(row.addressee_name, row.attempts, row.last_error) for row in page.context["failures"]}
    assert rows == {
        ("Lê Văn Cán", 3, "SMTPServerDisconnected: mail server down"),
        (plan.cad2.full_name, 3, "SMTPServerDisconnected: mail server down"),
        ("Phan Văn Ba", 3, "SMTPServerDisconnected: mail server down"),  # no login: the cadre's name
    }
    assert "Phan Văn Ba" in page.content.decode()


def test_a_stale_heartbeat_is_a_warning(staff, client_for):
    client = client_for(staff)
    assert 'data-testid="heartbeat-stale"' in client.get(OPERATIONS).content.decode()  # never beaten
    with at("2026-11-01 07:00"):
        heartbeat.delay()
    with at("2026-11-01 07:04"):
        assert 'data-testid="heartbeat-ok"' in client.get(OPERATIONS).content.decode()
    with at("2026-11-01 07:06"):
        page = client.get(OPERATIONS).content.decode()
    assert 'data-testid="heartbeat-stale"' in page and "01/11/2026 07:00" in page
    assert Heartbeat.objects.get(name=BEAT).beat_at == timezone.make_aware(datetime.datetime(2026, 11, 1, 7))


def test_the_schedule_shows_paused_and_missing_entries(staff, client_for):
    client = client_for(staff)
    assert "not installed (run sync_schedule)" in client.get(OPERATIONS).content.decode()
    call_command("sync_schedule", stdout=io.StringIO())
    PeriodicTask.objects.filter(name="reminders: nudge on the 20th").update(enabled=False)
    schedule = {row.entry.name: row.enabled for row in client.get(OPERATIONS).context["schedule"]}
    assert schedule["nudge on the 20th"] is False and schedule["monthly reminder"] is True


def test_run_the_reconcile_now(staff, client_for):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for(staff).post(RECONCILE, follow=True)
    run_ = JobRun.objects.get()
    assert (run_.job, run_.source, run_.started_by, run_.outcome) == ("reconcile", "page", staff, "done")
    assert "The reconcile was requested" in response.content.decode()


def test_the_reconcile_button_with_the_broker_down_says_so_on_the_page(staff, client_for, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(run_reminder_job, "apply_async", down)
    client = client_for(staff)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(RECONCILE).status_code == 302
    run_ = JobRun.objects.get()
    assert run_.outcome == JobRun.Outcome.FAILED
    page = client.get(OPERATIONS).content.decode()
    assert "The task queue cannot be reached: Connection refused" in page


def test_only_organization_staff_run_the_reconcile(leader, client_for):
    assert client_for(leader).post(RECONCILE).status_code == 403
    assert not JobRun.objects.exists()


def _runs(count: int) -> None:
    for job in JobRun.Job.values:
        JobRun.objects.bulk_create(JobRun(job=job, period=f"p{n}", outcome="done") for n in range(count))


def test_the_operations_page_query_count_does_not_grow(
    tree, personas, staff, client_for, django_assert_max_num_queries
):
    """Session, user, role, scope and organization, the unread badge; the runs, their counts, the meeting
    changes, the failures, the cadres without e-mail (named and counted), the schedule with its pauses and
    the heartbeat: 15 at any size."""
    client = client_for(staff)
    _runs(1)
    _failed(personas["cadre"], 1)
    CadreFactory(organization=tree.root, email="")
    with django_assert_max_num_queries(15):
        page = client.get(OPERATIONS)
    assert len(page.context["failures"]) == 1 and page.context["unreachable"].count == 1
    _runs(30)
    _failed(personas["other_cadre"], 40)
    for n in range(5):
        user = user_create(username=f"s{n}", password="x" * 12, role=Role.CADRE, scope=tree.root)
        _failed(user, 3)
    CadreFactory.create_batch(30, organization=tree.root, email="")
    call_command("sync_schedule", stdout=io.StringIO())
    for key in ("monthly", "nudge", "overdue"):
        schedule_entry_pause(entry=entry_of(key), enabled=False, by=staff)
    with django_assert_max_num_queries(15):
        page = client.get(OPERATIONS)
    assert len(page.context["failures"]) == 50 and page.context["unreachable"].count == 31
    assert len(page.context["unreachable"].first) == 20
