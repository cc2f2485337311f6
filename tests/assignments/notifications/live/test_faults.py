"""Faults outside the workers: Redis stopped while staff work (the pages still answer, a meeting change
still saves, its notices wait in the outbox and go out once when Redis is back), and an SMTP server that
refuses connections (retried with backoff, then failed with the reason on the operations page)."""

from __future__ import annotations

import json
import re

import lxml.html
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse

from assignments.models import JobRun, Notification
from tests.assignments.notifications.live.data import PASSWORD, all_settled, committee, statuses
from tests.assignments.notifications.live.harness import free_port, wait_until

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
Kind, Status = Notification.Kind, Notification.Status

# A staff user's session in a process of its own whose REDIS_URL points at the stopped server: the login,
# the pages read, then the meeting move saved (its e-mail task is published on commit, into a dead broker).
WEB_SESSION = """
import json, sys
import django
django.setup()
import lxml.html
from django.test import Client
from django.urls import reverse

args = json.loads(sys.argv[1])
client = Client()
seen = {"login": client.post(reverse("login"), args["login"]).status_code}
pages = ["home", "cells:meeting_list", "assignments:notification_list", "assignments:operations"]
seen.update({name: client.get(reverse(name)).status_code for name in pages})
meeting = args["meeting"]
seen["meeting_detail"] = client.get(reverse("cells:meeting_detail", args=[meeting])).status_code
response = client.post(reverse("cells:meeting_edit", args=[meeting]), args["move"])
after = client.get(response["Location"]) if response.status_code == 302 else None
page = lxml.html.fromstring(after.content) if after else None
print(json.dumps({
    "pages": seen,
    "move": response.status_code,
    "location": response.get("Location"),
    "after": after.status_code if after else None,
    "success": [alert.text_content().strip() for alert in page.xpath("//*[@role='alert']")] if after else [],
    "place_shown": "Nhà văn hóa mới" in after.content.decode() if after else False,
}))
"""


def test_with_redis_stopped_a_meeting_change_saves_and_its_notices_go_out_once_it_is_back(
    private_live, private_redis
):
    plan = committee(8)
    cell, meeting = plan.cells[0], plan.meetings[0]
    assigned = plan.addresses_of(cell)
    moved = {"kind": Kind.MEETING_MOVED}
    # The session's process checks passwords with the production hashers, not the suite's fast one.
    plan.staff.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    plan.staff.save(update_fields=["password"])
    private_live.worker()  # up before the outage, and through it

    private_redis.stop()
    session = {
        "login": {"username": plan.staff.username, "password": PASSWORD},
        "meeting": meeting.pk,
        "move": {"date": f"{plan.year}-03-17", "start_time": "19:00", "place": "Nhà văn hóa mới"},
    }
    seen = json.loads(
        private_live.python(WEB_SESSION, json.dumps(session), DEBUG="true", ALLOWED_HOSTS="testserver")
    )

    # The app kept serving: every page answered and the change was saved with the usual message.
    assert seen["pages"] == {
        "login": 302,
        "home": 200,
        "cells:meeting_list": 200,
        "assignments:notification_list": 200,
        "assignments:operations": 200,
        "meeting_detail": 200,
    }
    assert (seen["move"], seen["location"], seen["after"]) == (302, meeting.get_absolute_url(), 200)
    assert len(seen["success"]) == 1 and seen["place_shown"]  # "the meeting was moved" and its new place
    meeting.refresh_from_db()
    assert (meeting.date.isoformat(), meeting.place) == (f"{plan.year}-03-17", "Nhà văn hóa mới")
    # The notices are written, for the cell's assigned cadres only, their e-mails waiting in the outbox.
    notices = Notification.objects.filter(**moved)
    assert sorted(notices.values_list("recipient__cadre__email", flat=True)) == sorted(assigned)
    assert statuses(**moved) == {Status.PENDING: len(assigned)}
    assert not notices.filter(enqueued_at__isnull=False).exists()
    assert private_live.sink.total() == 0

    private_redis.start()  # the same port: the worker reconnects by itself
    output = private_live.run("send_reminders", "outbox", REMINDER_OUTBOX_DELAY_SECONDS="0")
    assert f"{len(assigned)} handed to the e-mail workers" in output
    wait_until(lambda: all_settled(**moved), 60, "the meeting-change notices to be sent")
    again = private_live.run("send_reminders", "outbox", REMINDER_OUTBOX_DELAY_SECONDS="0")

    assert again.strip() == "outbox: nothing to do"
    assert private_live.sink.counts() == dict.fromkeys(assigned, 1)
    assert statuses(**moved) == {Status.SENT: len(assigned)}


def test_an_smtp_failure_is_retried_then_shown_failed_with_its_reason_on_the_operations_page(live, client):
    plan = committee(3)
    closed = free_port()  # nothing listens there: every connection is refused
    live.settings.update(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(closed),
        REMINDER_BATCH_SIZE="1",
        REMINDER_EMAIL_MAX_RETRIES="2",
        REMINDER_RETRY_BACKOFF_SECONDS="1",
        REMINDER_RETRY_BACKOFF_MAX_SECONDS="2",
    )
    monthly = {"kind": Kind.MONTHLY_REMINDER}
    worker = live.worker()

    live.run("send_reminders", "monthly", "--date", plan.first_of_march)
    wait_until(lambda: all_settled(**monthly), 60, "the e-mails to be given up")

    assert statuses(**monthly) == {Status.FAILED: 3}
    failed = Notification.objects.filter(**monthly)
    assert set(failed.values_list("attempts", flat=True)) == {3}  # the first try and two retries
    assert {row.last_error.split(":")[0] for row in failed} == {"ConnectionRefusedError"}
    received = re.findall(r"Task assignments\.send_notification_emails\[[^\]]+\] received", worker.output())
    assert len(received) == 3 * 3  # each batch of one: the first run and its two retries
    assert live.sink.total() == 0

    client.force_login(plan.staff)
    page = lxml.html.fromstring(client.get(reverse("assignments:operations")).content)
    (job,) = page.xpath("//tr[@data-job='monthly']")
    counts = {cell.get("data-count"): cell.text_content().strip() for cell in job.xpath("td[@data-count]")}
    assert counts == {"written": "3", "sent": "0", "failed": "3", "pending": "0", "skipped": "0"}
    rows = page.xpath("//*[@data-testid='failure-table']//tbody/tr")
    shown = sorted(tuple(cell.text_content().strip() for cell in row.xpath("td"))[1:] for row in rows)
    assert [(name, attempts) for name, _kind, _period, attempts, _reason in shown] == [
        (f"Cán Bộ {n:03d}", "3") for n in range(3)
    ]
    assert {period for _name, _kind, period, _attempts, _reason in shown} == {f"{plan.year}-03"}
    assert all(reason.startswith("ConnectionRefusedError: [Errno 111]") for *_rest, reason in shown)
    assert JobRun.objects.get(job=JobRun.Job.MONTHLY).outcome == JobRun.Outcome.DONE
