#!/usr/bin/env python
"""Time the import of a district-sized file through the import_data command.

Builds a throwaway database on the configured backend (SQLite in a temporary file by default,
PostgreSQL when DATABASE_URL points at it), imports a root committee, 18 grassroots committees and
300 cells, then 5,976 members from temporary CSV files, then the same members again (all unchanged),
then with a tenth of them changed, and prints the seconds each import took. The goal: members in under 5 s on both databases.

    .venv/bin/python scripts/bench_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/partycell .venv/bin/python scripts/bench_import.py
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def organizations_csv(path: Path, cells: int, committees: int) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "kind", "parent_code", "cell_type_code"])
        # Children first on purpose: the importer must order parents itself.
        for number in range(cells):
            parent = f"BENCH-X{number % committees:02d}" if number % 13 else "BENCH"
            writer.writerow(
                [f"BENCH-C{number:03d}", f"Chi bộ {number}", "cell", parent, ("AP", "KP", "TH")[number % 3]]
            )
        for number in range(committees):
            writer.writerow([f"BENCH-X{number:02d}", f"Đảng bộ xã {number}", "committee", "BENCH", ""])
        writer.writerow(["BENCH", "Huyện ủy thử", "committee", "", ""])


def members_csv(path: Path, members: int, cells: int, *, promoted: bool = False) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(["card_number", "full_name", "cell_code", "status", "joined_on"])
        for number in range(members):
            status = "official" if number % 10 or promoted else "probationary"
            joined = f"{1 + number % 28:02d}/{1 + number % 12:02d}/{1980 + number % 40}"
            writer.writerow(
                [f"79.{number:06d}", f"Nguyễn Văn {number}", f"BENCH-C{number % cells:03d}", status, joined]
            )


def timed_import(kind: str, path: Path) -> tuple[float, float, str]:
    """Wall-clock seconds, this process's CPU seconds (less sensitive to a busy machine), summary."""
    from django.core.management import call_command

    out = io.StringIO()
    start, start_cpu = time.perf_counter(), time.process_time()
    call_command("import_data", kind, str(path), stdout=out)
    return time.perf_counter() - start, time.process_time() - start_cpu, out.getvalue().strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5976)
    parser.add_argument("--cells", type=int, default=300)
    parser.add_argument("--committees", type=int, default=18)
    options = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    test_settings = settings.DATABASES["default"].setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test_settings["NAME"] = str(workdir / "bench.sqlite3")  # a real file, not an in-memory database
    else:
        test_settings["NAME"] = f"bench_import_{os.getpid()}"  # never the test suite's database
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        organizations, members = workdir / "organizations.csv", workdir / "members.csv"
        organizations_csv(organizations, options.cells, options.committees)
        members_csv(members, options.members, options.cells)
        promoted = workdir / "members-promoted.csv"  # every probationary member becomes official
        members_csv(promoted, options.members, options.cells, promoted=True)
        print(
            f"database: {connection.vendor}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
        for label, kind, path in (
            (f"organizations ({options.cells} cells)", "organizations", organizations),
            (f"members ({options.members})", "members", members),
            (f"members again ({options.members}, unchanged)", "members", members),
            (f"members promoted ({options.members // 10 + 1} updated)", "members", promoted),
        ):
            seconds, cpu, summary = timed_import(kind, path)
            print(f"{label}: {seconds:.2f} s (Python CPU {cpu:.2f} s)  [{summary}]")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
