#!/usr/bin/env python
"""Time the hierarchy's subtree queries on a 250,000-node tree on PostgreSQL.

Builds a throwaway PostgreSQL database (``bench_subtree_<pid>``, dropped afterwards), migrates it and
fills it with SQL: one root committee, 60 province-level committees, 700 grassroots committees, 1,400
partial committees under them and cells up to 250,000 nodes in all (a third of the cells under a partial
committee, depth 4; the rest straight under a grassroots committee, depth 3), plus 500,000 members
spread over the cells. After ANALYZE it times (median of several runs, in ms, ORM included) the reads
the pages make, for a login scoped to one province-level committee and one scoped to the root, and
prints the scans PostgreSQL chose (EXPLAIN ANALYZE) so the use of organization_path_idx is visible.

PostgreSQL only: the point is the planner and the varchar_pattern_ops index, which SQLite has not.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/partycell .venv/bin/python scripts/bench_subtree.py
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

SLOW_MS = 200.0
SEARCH_TEXT = "ấp 123"


@dataclass(frozen=True)
class Shape:
    """The ids of each level are consecutive: root 1, then committees, grassroots, partials, cells."""

    nodes: int
    provinces: int
    grassroots: int
    partials: int

    @property
    def first_province(self) -> int:
        return 2

    @property
    def first_grassroots(self) -> int:
        return self.first_province + self.provinces

    @property
    def first_partial(self) -> int:
        return self.first_grassroots + self.grassroots

    @property
    def first_cell(self) -> int:
        return self.first_partial + self.partials

    @property
    def cells(self) -> int:
        return self.nodes - self.first_cell + 1


@dataclass
class Result:
    label: str
    median_ms: float  # the server's own settings (JIT as configured)
    runs: list[float]
    no_jit_ms: float  # the same with ``SET jit = off`` on the connection
    queries: int
    rows: str
    sql: list[str]
    plans: list[list[str]]  # EXPLAIN ANALYZE summary lines per statement

    @property
    def path_indexes(self) -> str:
        """Which index on ``path`` the plans read, e.g. "organization_path_idx" (or "-")."""
        names = {
            word
            for plan in self.plans
            for line in plan
            if "Index" in line
            for word in line.split()
            if word.startswith("organization_path")
        }
        return ", ".join(sorted(names)) or "-"

    @property
    def slow(self) -> bool:
        return self.median_ms > SLOW_MS


# --- Building the tree --------------------------------------------------------------------------------
def build_tree(shape: Shape, members: int) -> None:
    """Insert every level with one INSERT … SELECT each; a path is the parent's path plus the new id."""
    from django.db import connection, transaction

    from cells.models import CellType

    type_ids = list(CellType.objects.order_by("pk").values_list("pk", flat=True))
    s = shape
    levels = [
        # (first id, count, kind, code prefix, name prefix, parent id expression over i = 0…count-1)
        (s.first_province, s.provinces, "committee", "T", "Đảng bộ tỉnh ", "1"),
        (
            s.first_grassroots,
            s.grassroots,
            "committee",
            "X",
            "Đảng bộ xã ",
            f"{s.first_province} + mod(i, {s.provinces})",
        ),
        (
            s.first_partial,
            s.partials,
            "committee",
            "B",
            "Đảng bộ bộ phận ",
            f"{s.first_grassroots} + mod(i, {s.grassroots})",
        ),
        (
            s.first_cell,
            s.cells,
            "cell",
            "C",
            "Chi bộ ấp ",
            f"CASE WHEN mod(i, 3) = 0 THEN {s.first_partial} + mod(i / 3, {s.partials}) "
            f"ELSE {s.first_grassroots} + mod(i, {s.grassroots}) END",
        ),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cells_organization (id, code, name, kind, path, depth, place_name) "
            "VALUES (1, 'BENCH', 'Đảng bộ thử', 'committee', '/1/', 0, 'Thử')"
        )
        for first, count, kind, code, name, parent in levels:
            cell_type = f"(%s::bigint[])[1 + mod(i, {len(type_ids)})]" if kind == "cell" else "NULL"
            # About 2% of the cells were dissolved: the list's "active" column has both values.
            valid_to = "CASE WHEN mod(i, 50) = 7 THEN DATE '2020-12-31' END" if kind == "cell" else "NULL"
            cursor.execute(
                f"""
                INSERT INTO cells_organization
                    (id, code, name, kind, parent_id, path, depth, cell_type_id, place_name, valid_to)
                SELECT g.id, '{code}' || lpad(g.id::text, 6, '0'), '{name}' || g.i, '{kind}', p.id,
                       p.path || g.id || '/', p.depth + 1, {cell_type}, 'Thử', {valid_to}
                FROM (SELECT i, {first} + i AS id, {parent} AS parent_id
                      FROM generate_series(0, {count - 1}) AS i) AS g
                JOIN cells_organization AS p ON p.id = g.parent_id
                """,  # noqa: S608 -- every piece is a number or a literal of this script
                [type_ids] if kind == "cell" else [],
            )
        # Members spread pseudo-randomly (a multiplicative hash) so cells hold 0 to ~8 of them.
        cursor.execute(
            f"""
            INSERT INTO cells_member (card_number, full_name, cell_id, status, joined_on)
            SELECT '79.' || lpad(n::text, 7, '0'), 'Nguyễn Văn ' || n,
                   {s.first_cell} + mod(n::bigint * 2654435761, {s.cells}),
                   CASE WHEN mod(n, 10) = 0 THEN 'probationary' ELSE 'official' END,
                   DATE '1980-01-01' + mod(n, 15000)
            FROM generate_series(1, %s) AS n
            """,  # noqa: S608 -- numbers only
            [members],
        )
        cursor.execute("SELECT setval(pg_get_serial_sequence('cells_organization', 'id'), %s)", [s.nodes])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # what autovacuum leaves: statistics and the visibility map


# --- Timing ---------------------------------------------------------------------------------------------
def timed(label: str, run: Callable[[], object], runs: int) -> Result:
    """Median wall-clock time of ``run`` after one warm-up, with JIT as configured and then off."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        shown = run()
    times = _median_runs(run, runs)
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    try:
        no_jit = _median_runs(run, runs)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET jit")
    sql = [query["sql"] for query in captured]
    plans = [plan_summary(statement) for statement in sql]
    return Result(
        label, statistics.median(times), times, statistics.median(no_jit), len(sql), str(shown), sql, plans
    )


def _median_runs(run: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _run in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return times


def plan_summary(sql: str) -> list[str]:
    """The scan, subplan and timing lines of EXPLAIN ANALYZE for one captured statement."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS OFF) {sql}")
        lines = [row[0] for row in cursor.fetchall()]
    keep = ("Scan", "SubPlan", "Join", "Aggregate", "Limit", "Execution Time", "JIT:", "Timing:")
    return [line.rstrip() for line in lines if any(word in line for word in keep)]


def print_result(result: Result) -> None:
    flag = "  <-- SLOW" if result.slow else ""
    runs = ", ".join(f"{ms:.1f}" for ms in result.runs)
    print(f"\n## {result.label}: median {result.median_ms:.1f} ms ({runs}){flag}")
    print(f"   JIT off: median {result.no_jit_ms:.1f} ms; {result.queries} queries; result: {result.rows}")
    for number, (sql, plan) in enumerate(zip(result.sql, result.plans, strict=True), 1):
        print(f"   query {number}: {sql[:200]}{'…' if len(sql) > 200 else ''}")
        for line in plan:
            print(f"      {line}")


# --- What the pages run ---------------------------------------------------------------------------------
def cell_list_page(user) -> Callable[[], str]:
    """cells.hierarchy.views.cell_list without the template: filter, table, first page of 50 rows."""
    import django_tables2 as tables
    from django.test import RequestFactory

    from cells.hierarchy import selectors as hierarchy_selectors
    from cells.hierarchy.filters import CellFilter
    from cells.hierarchy.tables import CellTable
    from core.listing import PAGE_SIZE

    def run() -> str:
        request = RequestFactory().get("/cells/")
        request.user = user
        filterset = CellFilter(
            request.GET or None, queryset=hierarchy_selectors.cells_for_list(user), request=request
        )
        table = CellTable(filterset.qs, request=request)
        tables.RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
        cells = [[str(value) for value in row] for row in table.paginated_rows]
        return f"{len(cells)} rows of {table.paginator.count}, first {cells[0][0]}"

    return run


def tree_roots(user) -> Callable[[], str]:
    from cells.hierarchy import selectors as hierarchy_selectors

    def run() -> str:
        root = list(hierarchy_selectors.tree_roots_for(user))[0]
        return (
            f"{root.code}: {root.cell_count} cells, {root.member_count} members, {root.child_count} children"
        )

    return run


def tree_children(user, parent) -> Callable[[], str]:
    from cells.hierarchy import selectors as hierarchy_selectors

    def run() -> str:
        children = list(hierarchy_selectors.tree_children_for(user, [parent]))
        first = children[0]
        return (
            f"{len(children)} children; {first.code}: {first.cell_count} cells, "
            f"{first.member_count} members, {first.child_count} children"
        )

    return run


def scenarios(shape: Shape, province_user, root_user) -> list[tuple[str, Callable[[], object]]]:
    from cells.hierarchy import selectors as hierarchy_selectors
    from cells.models import Organization
    from cells.people import selectors as people_selectors

    grassroots = Organization.objects.get(pk=shape.first_grassroots)
    province = Organization.objects.get(pk=shape.first_province)
    root = Organization.objects.get(pk=1)
    return [
        (
            f"cells in a grassroots subtree ({grassroots.code})",
            lambda: Organization.objects.subtree(grassroots).cells().count(),
        ),
        (
            f"cells in a province-level subtree ({province.code})",
            lambda: Organization.objects.subtree(province).cells().count(),
        ),
        ("cells in the whole tree (root)", lambda: Organization.objects.subtree(root).cells().count()),
        ("cell list page 1 + count, province user", cell_list_page(province_user)),
        ("cell list page 1 + count, root user", cell_list_page(root_user)),
        (f"tree_children_for {province.code} + counts", tree_children(province_user, province)),
        ("tree_roots_for(root user) + counts", tree_roots(root_user)),
        ("tree_children_for root + counts", tree_children(root_user, root)),
        (
            "members_visible_to(province user).count()",
            lambda: people_selectors.members_visible_to(province_user).count(),
        ),
        (
            "members_visible_to(root user).count()",
            lambda: people_selectors.members_visible_to(root_user).count(),
        ),
        (
            f"organizations_matching '{SEARCH_TEXT}', province user",
            lambda: len(list(hierarchy_selectors.organizations_matching(province_user, SEARCH_TEXT))),
        ),
        (
            f"organizations_matching '{SEARCH_TEXT}', root user",
            lambda: len(list(hierarchy_selectors.organizations_matching(root_user, SEARCH_TEXT))),
        ),
    ]


def make_users(shape: Shape):
    from cells.access.roles import Role
    from cells.logins.services import user_create
    from cells.models import Organization

    password = "bench-only-password"  # noqa: S105 -- a throwaway database
    province = Organization.objects.get(pk=shape.first_province)
    root = Organization.objects.get(pk=1)
    province_user = user_create(
        username="bench-province", password=password, role=Role.GRASSROOTS_STAFF, scope=province
    )
    root_user = user_create(
        username="bench-root", password=password, role=Role.ORGANIZATION_STAFF, scope=root
    )
    return province_user, root_user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=250_000)
    parser.add_argument("--members", type=int, default=500_000)
    parser.add_argument("--provinces", type=int, default=60)
    parser.add_argument("--grassroots", type=int, default=700)
    parser.add_argument("--partials", type=int, default=1_400)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query and JIT setting")
    parser.add_argument("--only", default="", help="time only the queries whose label contains this text")
    options = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # figures appear as each query is done
    shape = Shape(options.nodes, options.provinces, options.grassroots, options.partials)
    if shape.cells < 1:
        parser.error("--nodes is too small for the committees asked for")

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit(
            "bench_subtree.py measures PostgreSQL plans and indexes; SQLite is not supported.\n"
            "Run it with DATABASE_URL=postgres://postgres@127.0.0.1:5432/partycell"
        )
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"bench_subtree_{os.getpid()}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        start = time.perf_counter()
        build_tree(shape, options.members)
        province_user, root_user = make_users(shape)
        print(
            f"database: {connection.settings_dict['NAME']} ({connection.vendor} "
            f"{connection.pg_version // 10000}); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
        print(
            f"built {shape.nodes:,} organizations ({shape.cells:,} cells, 1 root, {shape.provinces} province-level, "
            f"{shape.grassroots} grassroots, {shape.partials} partial committees) and {options.members:,} "
            f"members in {time.perf_counter() - start:.1f} s"
        )
        results = []
        for label, run in scenarios(shape, province_user, root_user):
            if options.only.lower() in label.lower():
                results.append(timed(label, run, options.runs))
                print_result(results[-1])
        print(f"\n{'query':<50} {'median ms':>9} {'JIT off':>8} {'queries':>7}  path index in the plan")
        for result in results:
            flag = "  SLOW" if result.slow else ""
            print(
                f"{result.label:<50} {result.median_ms:>9.1f} {result.no_jit_ms:>8.1f} {result.queries:>7}  "
                f"{result.path_indexes}{flag}"
            )
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
