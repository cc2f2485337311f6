"""Notifications: in-app rows for a user, and their e-mail copies sent by a Celery task after commit.

Meeting-change notices go to every cadre assigned to the cell in the issued plan, so that nobody can
tell from them whether a visit was planned; they never go to the cell's side.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cells.models import Meeting

from .models import Assignment, AssignmentPlan, Cadre, Notification, Visit


# --- Creating -----------------------------------------------------------------------------------------
def notifications_create(*, items: Iterable[tuple[object, str, str, str]]) -> list[Notification]:
    """Save ``(recipient user, kind, text, url)`` rows and e-mail them once the transaction commits."""
    created = Notification.objects.bulk_create(
        Notification(recipient=user, kind=kind, text=text, url=url) for user, kind, text, url in items
    )
    ids = [notification.pk for notification in created]
    if ids:
        from .tasks import send_notification_emails  # tasks import this module

        transaction.on_commit(partial(send_notification_emails.delay, ids))
    return created


def assigned_cadres(meeting: Meeting) -> list[Cadre]:
    """Every cadre assigned to the meeting's cell in the issued plan of the meeting's year."""
    assignments = Assignment.objects.filter(
        cell_id=meeting.cell_id,
        plan__status=AssignmentPlan.Status.ISSUED,
        plan__year=meeting.date.year,
    ).select_related("cadre__user")
    return list({a.cadre_id: a.cadre for a in assignments.order_by("cadre__full_name")}.values())


def meeting_moved_notify(*, meeting: Meeting) -> list[Notification]:
    with _default_language():
        text = _("The meeting of %(cell)s has changed: now on %(date)s at %(time)s, %(place)s.") % _details(
            meeting
        )
    url = meeting.get_absolute_url()
    return notifications_create(
        items=[
            (cadre.user, Notification.Kind.MEETING_MOVED, text, url)
            for cadre in assigned_cadres(meeting)
            if cadre.user_id
        ]
    )


def meeting_cancelled_notify(*, meeting: Meeting, waiting: list[Visit]) -> list[Notification]:
    """The cadres whose visit now needs a new date are asked to pick one; the others hear of the cancellation."""
    visitors = {visit.cadre_id: visit for visit in waiting}
    with _default_language():
        cancelled = _("The meeting of %(cell)s on %(date)s at %(time)s, %(place)s, has been cancelled.") % (
            _details(meeting)
        )
        pick = _(
            "The meeting of %(cell)s on %(date)s at %(time)s, %(place)s, which you planned to attend, has "
            "been cancelled. Please choose a new date for your visit."
        ) % _details(meeting)
    items = [
        (cadre.user, Notification.Kind.MEETING_CANCELLED, cancelled, meeting.get_absolute_url())
        for cadre in assigned_cadres(meeting)
        if cadre.user_id and cadre.pk not in visitors
    ]
    items += [
        (visit.cadre.user, Notification.Kind.VISIT_NEEDS_DATE, pick, visit.get_absolute_url())
        for visit in waiting
        if visit.cadre.user_id
    ]
    return notifications_create(items=items)


def _details(meeting: Meeting) -> dict[str, str]:
    return {
        "cell": f"{meeting.cell.name} ({meeting.cell.code})",
        "date": meeting.date.strftime("%d/%m/%Y"),
        "time": meeting.start_time.strftime("%H:%M"),
        "place": meeting.place,
    }


def _default_language():
    """Stored texts are written in the site's language, whoever's request caused them."""
    return translation.override(settings.LANGUAGE_CODE)


# --- Reading state ------------------------------------------------------------------------------------
def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


# --- E-mail (called by assignments.tasks.send_notification_emails) ------------------------------------
def notification_emails_send(*, notification_ids: list[int]) -> int:
    """Mail each notification not mailed yet; safe to run twice (a row is claimed before it is sent)."""
    sent = 0
    pending = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related(
        "recipient"
    )
    for notification in pending:
        address = email_address(notification.recipient)
        if address and _claim(notification):
            _send(notification, address)
            sent += 1
    return sent


def email_address(user) -> str:
    """The cadre record's e-mail, else the login's."""
    cadre = Cadre.objects.filter(user=user).only("email").first()
    return (cadre.email if cadre else "") or user.email


def _claim(notification: Notification) -> bool:
    """Set emailed_at only if nobody else did: a redelivered task never mails twice."""
    claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    return claimed == 1


def _send(notification: Notification, address: str) -> None:
    with _default_language():
        subject = str(Notification.Kind(notification.kind).label)
    try:
        send_mail(subject, notification.text, None, [address])
    except Exception:
        # Give the row back so the retry sends it.
        Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
        raise
