"""Exactly-once notices: rows written with the decision, e-mails sent by claiming each row.

Writing (inside the deciding transaction): ``notifications_write`` inserts one ``Notification`` per
(addressee, kind, period), the addressee being the cadre record for a cadre's notices and the login for
staff notices; a row that already exists is left alone (the unique constraint and
``ignore_conflicts``), so a job run twice, or by two beats at once, writes nothing twice. The e-mail
tasks are enqueued only when the transaction commits, one task per ``REMINDER_BATCH_SIZE`` rows.

Sending (``emails_send``, called by ``assignments.notifications.tasks.send_notification_emails``): rows are claimed
fifty at a time by a conditional UPDATE (pending, not claimed by a live worker, not expired) that stamps
them with the worker's token, and each is flipped to sent right after its own e-mail went out. A
redelivered or duplicated task finds nothing to claim; a killed worker's claims lapse after
REMINDER_CLAIM_LEASE_SECONDS and its rows are sent by whoever comes next. The one window left is a worker
killed between the SMTP server's acceptance and the flip: that one e-mail may go out again (the in-app
row is never duplicated).

The outbox sweep (``pending_dispatch``) hands over what no worker has: rows whose enqueue failed (broker
down at commit) or whose task was lost, and gives up rows past their grace window.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from kombu.exceptions import OperationalError

from assignments.models import Heartbeat, JobRun, Notification

log = logging.getLogger(__name__)
Kind, Status = Notification.Kind, Notification.Status

# Why an e-mail was not sent (Notification.last_error of a skipped row).
SKIP_OPTED_OUT = "opted out"
SKIP_NO_ADDRESS = "no e-mail address"
SKIP_EXPIRED = "past its grace window"

# The optional kinds and the NotificationPreference field that turns their e-mail on or off. The
# monthly reminder is missing on purpose: it always comes by e-mail.
EMAIL_PREFERENCE = {
    Kind.MEETING_MOVED: "email_meeting_changes",
    Kind.MEETING_CANCELLED: "email_meeting_changes",
    Kind.VISIT_NEEDS_DATE: "email_meeting_changes",
    Kind.NUDGE: "email_nudge",
    Kind.NOTE_OVERDUE: "email_note_overdue",
    Kind.STAFF_BEHIND: "email_staff_behind",
    Kind.QUARTERLY_REPORT: "email_quarterly_report",
}


@dataclass(frozen=True)
class Draft:
    """A notice decided but not written yet: to a cadre (``cadre_id``, with their login's id when they
    have one) or to a staff login (``recipient_id`` only)."""

    recipient_id: int | None
    kind: str
    period: str
    subject: str
    text: str
    url: str = ""
    expires_at: datetime.datetime | None = None
    email: bool = True  # the recipient wants this kind by e-mail
    cadre_id: int | None = None
    has_address: bool = True  # False: a cadre without an e-mail address (the in-app copy only)


# --- Writing ---------------------------------------------------------------------------------------------
def notifications_write(*, drafts: Iterable[Draft], run: JobRun | None = None) -> list[int]:
    """Insert the drafts (existing rows win) and enqueue the new rows' e-mails on commit.

    Runs inside the caller's transaction. Returns the ids of the pending rows written by this call.
    """
    drafts = list(drafts)
    rows = [_row(draft, run) for draft in drafts]
    Notification.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    ids = list(_written(drafts, run).values_list("pk", flat=True))
    enqueue_on_commit(ids)
    return ids


def _row(draft: Draft, run: JobRun | None) -> Notification:
    return Notification(
        recipient_id=draft.recipient_id,
        cadre_id=draft.cadre_id,
        kind=draft.kind,
        period=draft.period,
        subject=draft.subject[:200],
        text=draft.text,
        url=draft.url,
        expires_at=draft.expires_at,
        status=Status.PENDING if draft.email and draft.has_address else Status.SKIPPED,
        last_error=_skip_reason(draft),
        job_run=run,
    )


def _skip_reason(draft: Draft) -> str:
    if not draft.email:
        return SKIP_OPTED_OUT
    return "" if draft.has_address else SKIP_NO_ADDRESS


def _written(drafts: list[Draft], run: JobRun | None):
    """The pending rows this write produced: by job run, or (event notices) by their few periods."""
    pending = Notification.objects.filter(status=Status.PENDING, enqueued_at__isnull=True).order_by("pk")
    if run is not None:
        return pending.filter(job_run=run)
    if not drafts:
        return pending.none()
    keys = Q()
    for kind, period in {(draft.kind, draft.period) for draft in drafts}:
        keys |= Q(kind=kind, period=period)
    cadres = {draft.cadre_id for draft in drafts if draft.cadre_id}
    logins = {draft.recipient_id for draft in drafts if not draft.cadre_id}
    addressees = Q(cadre_id__in=cadres) | Q(cadre__isnull=True, recipient_id__in=logins)
    return pending.filter(keys, addressees)


def chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def enqueue_on_commit(ids: list[int]) -> None:
    """One e-mail task per batch of rows, published once the transaction commits."""
    for batch in chunks(ids, settings.REMINDER_BATCH_SIZE):
        transaction.on_commit(partial(publish, batch))


def publish(ids: list[int]) -> bool:
    """Hand a batch to the workers. With the broker down the rows stay pending for the outbox sweep and
    the caller (a web request that already committed) carries on."""
    from assignments.notifications.tasks import send_notification_emails  # tasks import this module

    Notification.objects.filter(pk__in=ids, status=Status.PENDING).update(enqueued_at=timezone.now())
    try:
        send_notification_emails.apply_async(args=[ids], retry=False)
    except (OperationalError, OSError) as error:
        log.warning("Broker unavailable, %s notices left for the outbox sweep: %s", len(ids), error)
        Notification.objects.filter(pk__in=ids, status=Status.PENDING).update(enqueued_at=None)
        return False
    return True


# --- Sending ---------------------------------------------------------------------------------------------
CLAIM_GROUP = 50  # rows claimed by one UPDATE: one commit per group, and a lease that never runs short


def emails_send(*, notification_ids: list[int]) -> dict[int, str]:
    """Send the e-mail of each row still pending; returns ``{id: reason}`` of those to retry."""
    ids = sorted(set(notification_ids))
    expire_pending(now=timezone.now(), ids=ids)
    failures: dict[int, str] = {}
    connection = get_connection()  # one SMTP session for the batch
    try:
        with _relaxed_commits():
            for group in chunks(ids, CLAIM_GROUP):
                unreachable = _send_group(group, connection, failures)
                if unreachable:  # the server cannot be reached: the rest waits for the retry
                    failures.update(dict.fromkeys(ids[ids.index(group[-1]) + 1 :], unreachable))
                    break
    finally:
        _close(connection)
    return failures


def _send_group(group: list[int], connection, failures: dict[int, str]) -> str:
    """Claim a group of rows and send them one by one; returns the reason when the server is unreachable."""
    token, rows = _claim(group)
    for index, row in enumerate(rows):
        reason, fatal = _deliver(row, token, connection)
        if reason:
            failures[row.pk] = reason
        if fatal:
            rest = [other.pk for other in rows[index + 1 :]]
            Notification.objects.filter(pk__in=rest, claim_token=token).update(
                claimed_at=None, claim_token="", last_error=reason
            )
            failures.update(dict.fromkeys(rest, reason))
            return reason
    return ""


def _claim(group: list[int]) -> tuple[str, list[Notification]]:
    """Take the rows that are pending, not held by a live claim and not expired: one UPDATE, one winner
    per row. Returns the claim's token and the rows taken."""
    now = timezone.now()
    lease = now - datetime.timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS)
    token = uuid.uuid4().hex
    Notification.objects.filter(pk__in=group, status=Status.PENDING).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=lease),
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
    ).update(claimed_at=now, claim_token=token, attempts=F("attempts") + 1)
    rows = Notification.objects.filter(pk__in=group, claim_token=token).select_related(
        "recipient__cadre", "cadre__user"
    )
    return token, list(rows.order_by("pk"))


def _deliver(row: Notification, token: str, connection) -> tuple[str, bool]:
    """Send one claimed row's e-mail. Returns ('', False) when done with it (sent or skipped), else the
    reason and whether the server itself could not be reached."""
    address = email_address(row)
    if not address:
        _skip(row.pk, SKIP_NO_ADDRESS)
        return "", False
    try:
        connection.open()
    except (SMTPException, OSError) as error:
        return _release(row.pk, token, error, connection), True
    try:
        _message(row, address, connection).send()
    except (SMTPException, OSError) as error:
        return _release(row.pk, token, error, connection), False
    # Right after the send, on its own: a worker killed here re-sends at most this one e-mail.
    Notification.objects.filter(pk=row.pk, claim_token=token).update(
        status=Status.SENT, sent_at=timezone.now(), claimed_at=None, claim_token="", last_error=""
    )
    return "", False


def _release(pk: int, token: str, error: Exception, connection) -> str:
    """Give the row back for the retry, keeping the reason; drop the session (the next send reconnects)."""
    reason = f"{type(error).__name__}: {error}"[:1000]
    Notification.objects.filter(pk=pk, claim_token=token).update(
        claimed_at=None, claim_token="", last_error=reason
    )
    _close(connection)
    return reason


@contextmanager
def _relaxed_commits():
    """On PostgreSQL, commit the claims and flips without waiting for the disk: other sessions see them
    at once (a crashed worker's successor too); only a crash of the database server itself could lose
    the last fraction of a second of flips, whose e-mails would then go out again. It makes the per-row
    flip affordable (tens of thousands of e-mails a run)."""
    relaxed = db_connection.vendor == "postgresql"
    if relaxed:
        with db_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        if relaxed:
            with db_connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")


def email_address(row: Notification) -> str:
    """A cadre's notice goes to the cadre's address (Cadre.email_address); a staff notice to the cadre
    record of the login when there is one, else the login's own (the relations come with the row)."""
    if row.cadre_id:
        return row.cadre.email_address
    cadre = getattr(row.recipient, "cadre", None)
    return (cadre.email if cadre is not None else "") or row.recipient.email


def _message(row: Notification, address: str, connection) -> EmailMessage:
    body = row.text
    if row.url:
        body += "\n\n" + absolute_url(row.url)
    subject = row.subject
    if not subject:
        with translation.override(settings.LANGUAGE_CODE):
            subject = str(Kind(row.kind).label)
    return EmailMessage(subject, body, to=[address], connection=connection)


def absolute_url(path: str) -> str:
    return path if "://" in path else settings.SITE_URL + path


def _close(connection) -> None:
    try:
        connection.close()
    except (SMTPException, OSError):
        log.warning("Closing the SMTP connection failed", exc_info=True)


def _skip(pk: int, reason: str) -> None:
    Notification.objects.filter(pk=pk, status=Status.PENDING).update(
        status=Status.SKIPPED, last_error=reason, claimed_at=None, claim_token=""
    )


def emails_fail(*, failures: dict[int, str]) -> int:
    """Give up the rows whose e-mail still failed after the last retry, keeping the reason (rows another
    worker holds right now are left to it)."""
    lease = timezone.now() - datetime.timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS)
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=lease)
    failed = 0
    for pk, reason in failures.items():
        failed += Notification.objects.filter(free, pk=pk, status=Status.PENDING).update(
            status=Status.FAILED, last_error=reason, claimed_at=None, claim_token=""
        )
    return failed


def retry_delay(retries: int) -> int:
    """Exponential backoff, capped at a few minutes (no long ETAs in the broker)."""
    delay = settings.REMINDER_RETRY_BACKOFF_SECONDS * 2**retries
    return min(delay, settings.REMINDER_RETRY_BACKOFF_MAX_SECONDS)


# --- The outbox sweep ------------------------------------------------------------------------------------
def pending_dispatch(*, now: datetime.datetime | None = None, delay: int | None = None) -> tuple[int, int]:
    """Enqueue the pending rows no worker has, give up those past their grace window.

    ``delay``: how old a never-enqueued row must be (the default leaves rows whose commit-time enqueue
    is still under way alone; the reconcile passes 0). Returns ``(enqueued, expired)``.
    """
    now = now or timezone.now()
    expired = expire_pending(now=now)
    ids = list(_unattended(now, delay).values_list("pk", flat=True))
    for batch in chunks(ids, settings.REMINDER_BATCH_SIZE):
        publish(batch)
    return len(ids), expired


def expire_pending(*, now: datetime.datetime, ids: list[int] | None = None) -> int:
    """Pending rows past their grace window are given up (of ``ids`` only, when given)."""
    expired = Notification.objects.filter(status=Status.PENDING, expires_at__lte=now)
    if ids is not None:
        expired = expired.filter(pk__in=ids)
    return expired.update(status=Status.SKIPPED, last_error=SKIP_EXPIRED, claimed_at=None, claim_token="")


def _unattended(now: datetime.datetime, delay: int | None):
    seconds = settings.REMINDER_OUTBOX_DELAY_SECONDS if delay is None else delay
    never = Q(enqueued_at__isnull=True, created_at__lte=now - datetime.timedelta(seconds=seconds))
    lost = Q(enqueued_at__lte=now - datetime.timedelta(seconds=settings.REMINDER_REQUEUE_AFTER_SECONDS))
    free = Q(claimed_at__isnull=True) | Q(
        claimed_at__lt=now - datetime.timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS)
    )
    return Notification.objects.filter(never | lost, free, status=Status.PENDING).order_by("pk")


def failed_retry(*, now: datetime.datetime) -> int:
    """Failed rows still inside their grace window go back to pending: the reconcile tries them again
    (the SMTP server may be fixed by now); their last error stays until they are sent."""
    return Notification.objects.filter(status=Status.FAILED, expires_at__gt=now).update(
        status=Status.PENDING, enqueued_at=None, claimed_at=None, claim_token=""
    )


# --- Heartbeat -------------------------------------------------------------------------------------------
BEAT = "beat"


def heartbeat_record(*, name: str = BEAT) -> Heartbeat:
    beat, _created = Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})
    return beat
