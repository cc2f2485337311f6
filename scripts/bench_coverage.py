#!/usr/bin/env python
"""Time reports.coverage.selectors.coverage() on a root with 250,000 cells and 3,000,000 attended visits.

Fills the PostgreSQL database named by DATABASE_URL (created and migrated if missing; its name must
contain "bench", since a rebuild empties the tables it fills) with SQL alone:

- root BENCHCOV with 500 grassroots committees, 2,000 cells directly under it and 248,000 subordinate
  cells, of every cell type (so all three groups); 1 % of the cells were merged on 01/07 of the year
  into the next cell, which starts that day;
- 3,000,000 attended visits in the year, each with its meeting, by 5,000 cadres, spread over 60 % of
  the cells (so coverage is about 60 %, not a trivial 0 or 100), plus 300,000 planned/missed ones;
- the year's issued plan with 100,000 assignments;
- a second root (BENCHOTHER, 10,000 cells, 100,000 attended visits): data the filters must skip.

The data stay between runs (the root's name records the shape; pass --rebuild to build again). After
VACUUM ANALYZE it times coverage() for the year, a quarter and a month on both bases: the first run on
a new connection ("first") and the median of the following runs ("warm"), with the number of queries
(CaptureQueriesContext); --explain prints EXPLAIN ANALYZE of every query of the root's year.

PostgreSQL only: SQLite has neither the planner nor the partial indexes this measures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/partycell_bench_cov \\
        .venv/bin/python scripts/bench_coverage.py [--runs 5] [--explain] [--rebuild]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

TARGET_MS = 1000.0
ROOT_CODE = "BENCHCOV"
OTHER_CODE = "BENCHOTHER"
MERGE_DAY = "07-01"


@dataclass(frozen=True)
class Shape:
    """Ids are consecutive per level: root 1, committees, direct cells, subordinate cells, other root."""

    cells: int
    committees: int
    direct: int
    visits: int
    cadres: int
    assignments: int
    other_cells: int
    other_visits: int
    year: int

    @property
    def signature(self) -> str:
        return (
            f"Bench v2 {self.cells}/{self.committees}/{self.direct}/{self.visits}/{self.cadres}/"
            f"{self.assignments}/{self.other_cells}/{self.other_visits}/{self.year}"
        )

    @property
    def first_committee(self) -> int:
        return 2

    @property
    def first_direct(self) -> int:
        return self.first_committee + self.committees

    @property
    def first_subordinate(self) -> int:
        return self.first_direct + self.direct

    @property
    def other_root(self) -> int:
        return self.first_direct + self.cells

    @property
    def first_other_cell(self) -> int:
        return self.other_root + 1

    @property
    def visited(self) -> int:
        """The cells that get visits: 60 % of them, every 5/3rd cell (see visited_cell)."""
        return self.cells * 6 // 10

    def visited_cell(self, index: str) -> str:
        """SQL: the id of visited cell number ``index`` (0 ≤ index < visited), spread over all cells."""
        return f"({self.first_direct} + ({index}) * 5 / 3)"


# --- The database -----------------------------------------------------------------------------------------
def ensure_database() -> None:
    """Create the database named by DATABASE_URL if it is missing, then migrate it."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.utils import OperationalError

    name = connection.settings_dict["NAME"]
    if "bench" not in name:
        sys.exit(f"the database {name!r} is not a benchmark database: its name must contain 'bench'")
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


TABLES = [
    "assignments_attendancenote",
    "assignments_assignment",
    "assignments_assignmentplan",
    "assignments_visit",
    "cells_meeting",
    "assignments_cadre",
    "cells_organization",
]


def build(shape: Shape) -> None:
    from django.db import connection, transaction

    from cells.models import CellType

    type_ids = list(CellType.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
        # Foreign-key triggers off while loading: every id below is built to exist.
        cursor.execute("SET LOCAL session_replication_role = replica")
        _organizations(cursor, shape, type_ids)
        _cadres_and_plan(cursor, shape)
        _visits(cursor, shape)
        for table in ("cells_organization", "assignments_cadre", "cells_meeting", "assignments_visit"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # what autovacuum leaves: statistics and the visibility map


def _organizations(cursor, s: Shape, type_ids: list[int]) -> None:
    y = s.year
    cursor.execute(
        "INSERT INTO cells_organization (id, code, name, kind, path, depth, place_name) VALUES "
        "(1, %s, %s, 'committee', '/1/', 0, 'Thử'), (%s, %s, 'Đảng bộ khác', 'committee', %s, 0, 'Khác')",
        [ROOT_CODE, s.signature, s.other_root, OTHER_CODE, f"/{s.other_root}/"],
    )
    cursor.execute(
        f"""
        INSERT INTO cells_organization (id, code, name, kind, parent_id, path, depth, place_name)
        SELECT id, 'DB' || lpad(id::text, 6, '0'), 'Đảng bộ xã ' || id, 'committee', 1, '/1/' || id || '/', 1, ''
        FROM generate_series({s.first_committee}, {s.first_direct - 1}) AS id
        """  # noqa: S608 -- numbers of this script only
    )
    # Cells: direct ones under the root, the rest spread over the committees in runs of three (so each
    # committee has cells of a few types). Every hundredth cell was merged on MERGE_DAY into the next one,
    # which starts that day.
    parent = f"CASE WHEN id < {s.first_subordinate} THEN 1 ELSE {s.first_committee} + mod(id / 3, {s.committees}) END"
    merged = f"mod(id, 100) = 0 AND id + 1 < {s.other_root}"
    cursor.execute(
        f"""
        INSERT INTO cells_organization
            (id, code, name, kind, parent_id, path, depth, cell_type_id, place_name,
             valid_from, valid_to, successor_id)
        SELECT id, 'C' || lpad(id::text, 7, '0'), 'Chi bộ ' || id, 'cell', parent,
               CASE WHEN parent = 1 THEN '/1/' ELSE '/1/' || parent || '/' END || id || '/',
               CASE WHEN parent = 1 THEN 1 ELSE 2 END,
               (%s::bigint[])[1 + mod(id, %s)], '',
               CASE WHEN mod(id - 1, 100) = 0 AND id > {s.first_direct} THEN DATE '{y}-{MERGE_DAY}' END,
               CASE WHEN merged THEN DATE '{y}-{MERGE_DAY}' - 1 END,
               CASE WHEN merged THEN id + 1 END
        FROM (SELECT id, {parent} AS parent, {merged} AS merged
              FROM generate_series({s.first_direct}, {s.other_root - 1}) AS id) AS cells
        """,  # noqa: S608 -- numbers of this script only
        [type_ids, len(type_ids)],
    )
    cursor.execute(
        f"""
        INSERT INTO cells_organization (id, code, name, kind, parent_id, path, depth, cell_type_id, place_name)
        SELECT id, 'O' || lpad(id::text, 7, '0'), 'Chi bộ khác ' || id, 'cell', {s.other_root},
               '/{s.other_root}/' || id || '/', 1, (%s::bigint[])[1 + mod(id, %s)], ''
        FROM generate_series({s.first_other_cell}, {s.first_other_cell + s.other_cells - 1}) AS id
        """,  # noqa: S608 -- numbers of this script only
        [type_ids, len(type_ids)],
    )


def _cadres_and_plan(cursor, s: Shape) -> None:
    cursor.execute(
        """
        INSERT INTO assignments_cadre (id, code, full_name, position, email, organization_id)
        SELECT id, 'CAN' || lpad(id::text, 6, '0'), 'Cán bộ ' || id, 'specialist', '', 1
        FROM generate_series(1, %s) AS id
        """,
        [s.cadres],
    )
    cursor.execute(
        "INSERT INTO assignments_assignmentplan (id, root_id, year, status, number, issuer_abbreviation, "
        "issued_on, summary, body, signer_name, signer_title, signer_authority, recipients, max_load, "
        "amendment_count) VALUES (1, 1, %s, 'issued', 1, 'HU', %s, '', '', '', '', '', '', 4, 0)",
        [s.year, f"{s.year}-01-05"],
    )
    # Distinct (cadre, cell) pairs: cell n of the visited ones goes to cadre n mod cadres.
    cursor.execute(
        f"""
        INSERT INTO assignments_assignment (plan_id, cadre_id, cell_id)
        SELECT 1, 1 + mod(n, {s.cadres}), {s.visited_cell(f"mod(n::bigint * 7919, {s.visited})")}
        FROM generate_series(0, %s - 1) AS n
        """,  # noqa: S608 -- numbers of this script only
        [min(s.assignments, s.visited)],
    )


def _visits(cursor, s: Shape) -> None:
    """One meeting per visit, on one of the year's days; visits spread by a multiplicative hash."""
    groups = [
        # (count, SQL of the cell id for meeting number n, status)
        (s.visits, s.visited_cell(f"mod(n::bigint * 2654435761, {s.visited})"), "attended"),
        (s.visits // 10, f"{s.first_direct} + mod(n::bigint * 2654435761, {s.cells})", "missed"),
        (s.other_visits, f"{s.first_other_cell} + mod(n::bigint * 2654435761, {s.other_cells})", "attended"),
    ]
    for count, cell, status in groups:
        cursor.execute("SELECT coalesce(max(id), 0) FROM cells_meeting")
        offset = cursor.fetchone()[0]
        cursor.execute(
            f"""
            INSERT INTO cells_meeting (id, cell_id, date, start_time, place, kind, topic, status)
            SELECT {offset} + n, {cell},
                   DATE '{s.year}-01-01' + mod(abs(hashint4(n)), 365), TIME '19:30', 'Hội trường',
                   'regular', '', 'held'
            FROM generate_series(1, %s) AS n
            """,  # noqa: S608 -- numbers of this script only
            [count],
        )
        cursor.execute(
            f"""
            INSERT INTO assignments_visit (cadre_id, cell_id, meeting_id, meeting_date, status, together_allowed)
            SELECT 1 + mod(m.id, {s.cadres}), m.cell_id, m.id, m.date, %s, false
            FROM cells_meeting AS m WHERE m.id > {offset}
            """,  # noqa: S608 -- numbers of this script only
            [status],
        )


# --- Timing ---------------------------------------------------------------------------------------------
@dataclass
class Result:
    label: str
    first_ms: float
    warm: list[float]
    warm_cpu: list[float]  # CPU time of this process and of its PostgreSQL backend: the load-free cost
    queries: int
    summary: str

    @property
    def warm_ms(self) -> float:
        return statistics.median(self.warm)

    @property
    def cpu_ms(self) -> float | None:
        return statistics.median(self.warm_cpu) if all(cpu >= 0 for cpu in self.warm_cpu) else None


def _backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (-1 when PostgreSQL runs on another machine)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(label: str, run: Callable[[], str], runs: int) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.close()  # "first": a new connection, nothing prepared
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        summary = run()
    first = (time.perf_counter() - start) * 1000
    backend = _backend_pid()
    warm, warm_cpu = [], []
    for _run in range(runs):
        cpu = time.process_time() + _cpu_seconds(backend)
        start = time.perf_counter()
        run()
        warm.append((time.perf_counter() - start) * 1000)
        backend_cpu = _cpu_seconds(backend)
        warm_cpu.append((time.process_time() + backend_cpu - cpu) * 1000 if backend_cpu >= 0 else -1.0)
    return Result(label, first, warm, warm_cpu, len(captured), summary)


def scenarios(shape: Shape) -> list[tuple[str, Callable[[], str]]]:
    from cells.models import Organization
    from reports.coverage.selectors import Basis, Period, coverage

    root = Organization.objects.get(code=ROOT_CODE)
    periods = [
        (f"year {shape.year}", Period.year(shape.year)),
        (f"Q2 {shape.year}", Period.quarter(shape.year, 2)),
        (f"month 06/{shape.year}", Period.month(shape.year, 6)),
    ]

    def run(period, basis) -> Callable[[], str]:
        def go() -> str:
            result = coverage(root=root, period=period, basis=basis)
            return (
                f"direct {result.direct.covered}/{result.direct.cells}, "
                f"subordinate {result.subordinate.covered}/{result.subordinate.cells}, "
                f"total {result.total.covered}/{result.total.cells} = {result.total.percent} %, "
                f"{len(result.committees)} committees, cadres {result.cadres_assigned}/{result.cadres_attended}"
            )

        return go

    figures = [
        (f"{label}, {basis}", run(period, basis)) for basis in Basis.VALUES for label, period in periods
    ]
    return figures + lists(root, Period.year(shape.year))


def lists(root, period) -> list[tuple[str, Callable[[], str]]]:
    """The lists behind the figures (cells_by_coverage): counts, and the first page as the table shows it."""
    from reports.coverage.selectors import cells_by_coverage

    def count(**selection) -> Callable[[], str]:
        return lambda: f"{cells_by_coverage(root=root, period=period, **selection).count()} cells"

    def first_page() -> str:
        cells = list(cells_by_coverage(root=root, period=period, direct=False)[:50])
        return f"{len(cells)} rows, {sum(cell.is_covered for cell in cells)} covered"

    return [
        ("list: covered, count", count(covered=True)),
        ("list: never visited, count", count(covered=False)),
        ("list: a committee's, count", count(committee=root.children.committees().order_by("pk").first().pk)),
        ("list: page 1 of 50 rows", first_page),
    ]


def explain(shape: Shape) -> None:
    """EXPLAIN ANALYZE of every query coverage() sends for the root's year on the attended basis."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cells.models import Organization
    from reports.coverage.selectors import Period, coverage

    root = Organization.objects.get(code=ROOT_CODE)
    with CaptureQueriesContext(connection) as captured:
        coverage(root=root, period=Period.year(shape.year))
    for number, query in enumerate(captured, 1):
        print(f"\n-- query {number}: {query['sql']}")
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
            for (line,) in cursor.fetchall():
                print(f"   {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=250_000)
    parser.add_argument("--committees", type=int, default=500)
    parser.add_argument("--direct", type=int, default=2_000)
    parser.add_argument("--visits", type=int, default=3_000_000)
    parser.add_argument("--cadres", type=int, default=5_000)
    parser.add_argument("--assignments", type=int, default=100_000)
    parser.add_argument("--other-cells", type=int, default=10_000)
    parser.add_argument("--other-visits", type=int, default=100_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=5, help="warm runs per scenario")
    parser.add_argument("--rebuild", action="store_true", help="build the data again even if present")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the year's queries")
    options = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    shape = Shape(
        options.cells,
        options.committees,
        options.direct,
        options.visits,
        options.cadres,
        options.assignments,
        options.other_cells,
        options.other_visits,
        options.year,
    )
    if shape.direct >= shape.cells:
        parser.error("--direct must be smaller than --cells")

    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit(
            "bench_coverage.py measures PostgreSQL plans and indexes; SQLite is not supported.\n"
            "Run it with DATABASE_URL=postgres://postgres@127.0.0.1:5432/partycell_bench_cov"
        )
    ensure_database()
    if options.rebuild or built_shape() != shape.signature:
        start = time.perf_counter()
        build(shape)
        print(f"built the data in {time.perf_counter() - start:.1f} s")
    else:
        print("reusing the data already built (--rebuild to build again)")
    print(
        f"database {connection.settings_dict['NAME']} (PostgreSQL {connection.pg_version // 10000}); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n"
        f"root {ROOT_CODE}: {shape.cells:,} cells ({shape.direct:,} direct, {shape.cells - shape.direct:,} "
        f"under {shape.committees} committees), {shape.visits:,} attended visits in {shape.year} by "
        f"{shape.cadres:,} cadres, {shape.assignments:,} assignments; another root with "
        f"{shape.other_cells:,} cells and {shape.other_visits:,} visits"
    )
    if options.explain:
        explain(shape)
    results = [timed(label, run, options.runs) for label, run in scenarios(shape)]
    print(
        f"\nload average {os.getloadavg()[0]:.1f}; warm = median of {options.runs} runs; cpu = CPU time of "
        "this process and its PostgreSQL backend in a warm run (what the run costs without the load)"
    )
    print(f"{'coverage()':<26} {'first ms':>9} {'warm ms':>8} {'cpu ms':>7} {'queries':>7}  figures")
    for result in results:
        flag = "  SLOW" if result.warm_ms > TARGET_MS else ""
        cpu = f"{result.cpu_ms:>7.0f}" if result.cpu_ms is not None else f"{'-':>7}"
        print(
            f"{result.label:<26} {result.first_ms:>9.0f} {result.warm_ms:>8.0f} {cpu} {result.queries:>7}  "
            f"{result.summary}{flag}"
        )


if __name__ == "__main__":
    main()
