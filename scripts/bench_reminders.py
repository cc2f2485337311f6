#!/usr/bin/env python
"""Time the monthly reminder of 60,000 cadres through Redis and two real Celery worker processes.

Builds (once; the root's name records the shape, --rebuild drops the database and builds again) a root
committee BENCHREM with 5,000 cells, each with one meeting in the month, and 60,000 cadres with logins
assigned to them in the year's issued plan, in its own PostgreSQL database (its name must contain
"bench"). Each run then:

1. forgets the previous run's notices and job runs, and empties its Redis database (db 9 by default);
2. starts the worker processes (``celery -A config worker --pool=solo``) with an e-mail backend that
   appends each delivered message to a file (tests/assignments/notifications/live/mail_sink.py: no SMTP server, and
   unlike locmem it works across processes);
3. runs ``manage.py send_reminders monthly --date <year>-03-01`` as the schedule would, in a process of
   its own, and waits until no notice is pending;
4. prints the wall time (the job, then the e-mails), the in-app rows written, the e-mails delivered,
   the duplicates (an address that got two e-mails; must be 0) and the throughput. It exits non-zero
   on a duplicate or a missing e-mail.

    .venv/bin/python scripts/bench_reminders.py [--cadres 60000] [--cells 5000] [--workers 2] [--rebuild]
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/partycell_bench_rem"
REDIS_URL = "redis://127.0.0.1:6379/9"
ROOT_CODE = "BENCHREM"
SEND_TIMEOUT = 1800  # seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cadres", type=int, default=60_000)
    parser.add_argument("--cells", type=int, default=5_000)
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--batch", type=int, help="REMINDER_BATCH_SIZE (default: the settings' 500)")
    parser.add_argument("--database", default=DATABASE_URL)
    parser.add_argument("--redis", default=REDIS_URL, help="a Redis database of the benchmark's own")
    parser.add_argument("--rebuild", action="store_true", help="drop the database and build it again")
    args = parser.parse_args()
    _configure(args.database, args.redis)

    import django

    django.setup()
    ensure_database(rebuild=args.rebuild)
    year = datetime.date.today().year + 1  # every e-mail inside its grace window
    shape = f"Bench reminders v1 {args.cadres}/{args.cells}/{year}"
    if built_shape() != shape:
        started = time.perf_counter()
        build(args.cadres, args.cells, year, shape)
        print(
            f"built {args.cadres:,} cadres in {args.cells:,} cells in {time.perf_counter() - started:.1f} s"
        )
    run(args, year)


def _configure(database: str, redis_url: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DATABASE_URL=database,
        REDIS_URL=redis_url,
        DEBUG="false",
        SECRET_KEY="benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",  # noqa: S106
        LOG_LEVEL="WARNING",
    )


# --- The database -----------------------------------------------------------------------------------------
def ensure_database(*, rebuild: bool) -> None:
    """Create (or, with ``rebuild``, drop and create) the database, then migrate it."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.utils import OperationalError

    name = connection.settings_dict["NAME"]
    if "bench" not in name:
        sys.exit(f"the database {name!r} is not a benchmark database: its name must contain 'bench'")
    if rebuild:
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    try:
        connection.ensure_connection()
    except OperationalError:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)


def built_shape() -> str | None:
    from cells.models import Organization

    root = Organization.objects.filter(code=ROOT_CODE).first()
    return root.name if root else None


def build(cadres: int, cells: int, year: int, shape: str) -> None:
    """Bulk inserts: the root and its cells, the logins (role, scope), cadres, the issued plan, meetings."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from assignments.models import Assignment, AssignmentPlan, Cadre, Notification
    from cells.access.roles import Role, role_group
    from cells.hierarchy.services import organization_create
    from cells.models import CellType, Meeting, Organization, UserProfile

    User = get_user_model()
    unusable = make_password(None)  # the logins are never used to sign in: no hashing 60,000 times
    with transaction.atomic():
        # A different shape: start again from empty tables (only this benchmark writes here).
        Notification.objects.all().delete()
        Assignment.objects.all().delete()
        AssignmentPlan.objects.all().delete()
        Meeting.objects.all().delete()
        Cadre.objects.all().delete()
        UserProfile.objects.all().delete()
        User.objects.filter(username__startswith="bench").delete()
        Organization.objects.exclude(parent=None).delete()
        Organization.objects.all().delete()

        root = organization_create(code=ROOT_CODE, name=shape, kind=Organization.Kind.COMMITTEE)
        cell_type = CellType.objects.order_by("pk").first()
        first = organization_create(
            code="BR-C00000", name="Chi bộ 0", kind=Organization.Kind.CELL, parent=root, cell_type=cell_type
        )
        Organization.objects.bulk_create(
            Organization(
                code=f"BR-C{n:05d}",
                name=f"Chi bộ {n}",
                kind=Organization.Kind.CELL,
                parent=root,
                cell_type=cell_type,
                depth=first.depth,
            )
            for n in range(1, cells)
        )
        with connection.cursor() as cursor:  # the materialized paths, in one UPDATE
            cursor.execute(
                "UPDATE cells_organization SET path = %s || id || '/' WHERE parent_id = %s AND path = ''",
                [root.path, root.pk],
            )
        cell_ids = list(
            Organization.objects.filter(parent=root).order_by("code").values_list("pk", flat=True)
        )

        users = User.objects.bulk_create(
            (
                User(username=f"bench{n:06d}", password=unusable, first_name="Cán bộ", last_name=f"{n:06d}")
                for n in range(cadres)
            ),
            batch_size=5000,
        )
        group = role_group(Role.CADRE)
        User.groups.through.objects.bulk_create(
            (User.groups.through(user_id=user.pk, group_id=group.pk) for user in users), batch_size=5000
        )
        UserProfile.objects.bulk_create(
            (UserProfile(user=user, scope=root) for user in users), batch_size=5000
        )
        people = Cadre.objects.bulk_create(
            (
                Cadre(
                    code=f"BR{n:06d}",
                    full_name=f"Cán bộ {n:06d}",
                    position=Cadre.Position.COMMITTEE,
                    email=f"bench{n:06d}@example.org",
                    organization=root,
                    user=user,
                )
                for n, user in enumerate(users)
            ),
            batch_size=5000,
        )
        plan = AssignmentPlan.objects.create(
            root=root,
            year=year,
            status=AssignmentPlan.Status.ISSUED,
            number=1,
            issued_on=datetime.date(year, 1, 5),
            issuer_abbreviation="HU",
        )
        Assignment.objects.bulk_create(
            (
                Assignment(plan=plan, cadre=cadre, cell_id=cell_ids[n % cells])
                for n, cadre in enumerate(people)
            ),
            batch_size=5000,
        )
        Meeting.objects.bulk_create(
            (
                Meeting(
                    cell_id=cell_id,
                    date=datetime.date(year, 3, 1 + n % 28),
                    start_time=datetime.time(19, 30),
                    place=f"Hội trường {n}",
                )
                for n, cell_id in enumerate(cell_ids)
            ),
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# --- The run ------------------------------------------------------------------------------------------------
def run(args, year: int) -> None:
    import redis
    from django.db.models import Count, Max, Min

    from assignments.models import Cadre, JobRun, Notification
    from tests.assignments.notifications.live.harness import Live, Sink

    Notification.objects.all().delete()
    JobRun.objects.all().delete()
    redis.Redis.from_url(args.redis).flushdb()
    cadres = Cadre.objects.filter(user__isnull=False).count()

    workdir = Path(tempfile.mkdtemp(prefix="bench-reminders-"))
    sink = Sink(delivered=workdir / "delivered.txt", started=workdir / "started.txt")
    live = Live(workdir=workdir, broker=args.redis, sink=sink, queue="bench")
    live.settings["MAIL_SINK_STARTED"] = ""  # only deliveries are recorded
    if args.batch:
        live.settings["REMINDER_BATCH_SIZE"] = str(args.batch)
    try:
        for n in range(args.workers):
            live.worker(f"bench{n + 1}")
        print(
            f"{args.workers} worker processes ready; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )

        started = time.perf_counter()
        summary = live.run("send_reminders", "monthly", "--date", f"{year}-03-01").strip()
        decided = time.perf_counter() - started
        print(summary)
        pending = Notification.objects.filter(status=Notification.Status.PENDING)
        deadline, shown = started + SEND_TIMEOUT, started
        while pending.exists():
            now = time.perf_counter()
            if now > deadline:
                sys.exit(f"timed out: {pending.count()} e-mails still pending after {SEND_TIMEOUT} s")
            if now - shown >= 10:
                print(f"  {now - started:6.1f} s: {sink.total():,} delivered, {pending.count():,} pending")
                shown = now
            time.sleep(0.2)
        wall = time.perf_counter() - started
    finally:
        live.close()

    rows = Notification.objects.count()
    per_recipient = Notification.objects.values("cadre", "kind", "period").annotate(n=Count("pk"))
    repeated_rows = sum(1 for row in per_recipient if row["n"] > 1)
    statuses = dict(Notification.objects.values_list("status").annotate(n=Count("pk")).order_by())
    counts = sink.counts()
    delivered = sum(counts.values())
    duplicates = sum(n - 1 for n in counts.values() if n > 1)
    missing = cadres - len(counts)
    run_row = JobRun.objects.get(job=JobRun.Job.MONTHLY)
    print()
    print(f"cadres in the plan          {cadres:>10,}")
    print(f"in-app rows written         {rows:>10,}   (repeated (cadre, kind, period): {repeated_rows})")
    print(f"e-mail statuses             {statuses}")
    print(f"e-mails delivered           {delivered:>10,}   to {len(counts):,} addresses")
    print(f"duplicates                  {duplicates:>10,}")
    print(f"missing                     {missing:>10,}")
    job_seconds = (run_row.finished_at - run_row.started_at).total_seconds()
    first, last = Notification.objects.aggregate(first=Min("sent_at"), last=Max("sent_at")).values()
    sending = (last - first).total_seconds() if first and last else 0.0
    print(f"job: decide, write, enqueue {job_seconds:>10.1f} s   in a command of {decided:.1f} s")
    print(
        f"first to last e-mail        {sending:>10.1f} s   ({delivered / max(sending, 1e-9):,.0f} e-mails/s, {args.workers} workers)"
    )
    print(f"wall time to the last e-mail {wall:>9.1f} s   ({delivered / wall:,.0f} e-mails/s overall)")
    if duplicates or missing or repeated_rows:
        sys.exit("FAILED: every cadre must get exactly one e-mail")


if __name__ == "__main__":
    main()
