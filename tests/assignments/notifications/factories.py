"""Builders for the reminder tests: local time frozen, a plan with cadres and their November meetings,
and job runs with their on-commit e-mail tasks executed (eagerly, as the test settings run Celery)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core import mail
from django.test import TestCase
from freezegun import freeze_time

from assignments.models import (
    AssignmentPlan,
    Cadre,
    CadreExemption,
    Notification,
    NotificationPreference,
    Visit,
)
from assignments.reminders.services import JobResult, job_run
from cells.access.roles import Role
from cells.logins.services import user_create
from cells.models import Meeting
from tests.assignments.visits.factories import issued_plan, meeting_on
from tests.factories import CadreFactory

YEAR = 2026


def at(moment: str):
    """Freeze the clock at a local (Asia/Ho_Chi_Minh) moment: ``at("2026-11-01 07:00")``."""
    return freeze_time(f"{moment}+07:00")


def run(job: str, day: str | None = None, *, send: bool = True, **kwargs) -> JobResult:
    """Run a job as the schedule would; its e-mail tasks run once the job's transaction commits (or,
    with ``send=False``, are dropped, as if the broker lost them)."""
    today = datetime.date.fromisoformat(day) if day else None
    with TestCase.captureOnCommitCallbacks(execute=send):
        return job_run(job=job, today=today, **kwargs)


def addressee(notice: Notification) -> str:
    """The login's username, or the cadre's code for a cadre without a login."""
    return notice.recipient.username if notice.recipient_id else notice.cadre.code


def rows(kind: str | None = None, **filters) -> dict[str, str]:
    """username (cadre code without a login) -> period of the notices (of one kind)."""
    notices = Notification.objects.filter(**filters)
    if kind:
        notices = notices.filter(kind=kind)
    return {addressee(n): n.period for n in notices.select_related("recipient", "cadre")}


def mailed_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def prefer(user, **fields) -> NotificationPreference:
    preference, _created = NotificationPreference.objects.update_or_create(user=user, defaults=fields)
    return preference


@dataclass
class Plan:
    plan: AssignmentPlan
    cad1: Cadre  # the cadre persona: XA-AP1 and HU-CQ
    cad2: Cadre  # the other cadre persona: XB-AP1
    cad3: Cadre  # no login: XA-AP1
    meeting: Meeting  # XA-AP1, 05/11/2026 19:30


def november_plan(tree, personas) -> Plan:
    """HU's issued plan of 2026 and the November meetings of its cells (one of them cancelled)."""
    cad1, cad2 = Cadre.objects.get(code="CAD1"), Cadre.objects.get(code="CAD2")
    cad3 = CadreFactory(
        code="CAD3", full_name="Phan Văn Ba", organization=tree.root, email="cad3@example.org"
    )
    plan = issued_plan(
        tree.root,
        YEAR,
        [(cad1, tree.cell), (cad1, tree.direct_cell), (cad2, tree.sibling_cell), (cad3, tree.cell)],
    )
    meeting = meeting_on(
        tree.cell, datetime.date(YEAR, 11, 5), start_time=datetime.time(19, 30), place="Hội trường ấp 1"
    )
    meeting_on(
        tree.direct_cell, datetime.date(YEAR, 11, 12), start_time=datetime.time(8, 0), place="Phòng họp số 2"
    )
    meeting_on(tree.sibling_cell, datetime.date(YEAR, 11, 24), place="Nhà văn hóa Bà Điểm")
    meeting_on(tree.cell, datetime.date(YEAR, 11, 26), place="Đã hủy", status=Meeting.Status.CANCELLED)
    meeting_on(tree.cell, datetime.date(YEAR, 12, 5), place="Tháng sau")
    return Plan(plan=plan, cad1=cad1, cad2=cad2, cad3=cad3, meeting=meeting)


def attended(cadre: Cadre, cell, day: datetime.date) -> Visit:
    meeting = meeting_on(cell, day)
    return Visit.objects.create(cadre=cadre, cell=cell, meeting=meeting, status=Visit.Status.ATTENDED)


def exempt(cadre: Cadre, month: int, year: int = YEAR) -> CadreExemption:
    return CadreExemption.objects.create(
        cadre=cadre, year=year, month=month, reason=CadreExemption.Reason.LEAVE, detail="Nghỉ phép"
    )


def grassroots_cadre(tree, plan: AssignmentPlan):
    """A grassroots login that is also a cadre assigned in the plan: must receive nothing, ever."""
    user = user_create(
        username="cosocadre", password="x-" * 8, role=Role.GRASSROOTS_STAFF, scope=tree.committee
    )
    cadre = CadreFactory(code="CADG", organization=tree.root, user=user)
    plan.assignments.create(cadre=cadre, cell=tree.cell)
    return user
