"""``manage.py coverage_report``: the same figures as the selector, as JSON, CSV or a table; bad
arguments end with one line on stderr and a non-zero exit status."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from reports.coverage.selectors import Basis, Period, coverage
from tests.factories import CadreFactory, OrganizationFactory
from tests.reports.coverage.coverage_tree import D, build_district, cell, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    return build_district()


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("coverage_report", *args, stdout=out)
    return out.getvalue()


# --- JSON -----------------------------------------------------------------------------------------------
def test_json_is_the_selectors_figures(district):
    data = json.loads(run("--root", "HU", "--year", "2025", "--format", "json"))
    assert data == coverage(root=district.root, period=Period.year(2025)).as_dict()
    # The figures of test_coverage.py's year, in the shape.
    assert data["direct"]["cells"] == 3 and data["direct"]["percent"] == 66.67
    assert data["subordinate"]["groups"][0] == {
        "code": "AP_KP",
        "name": "Ấp - khu phố",
        "cells": 7,
        "covered": 4,
        "percent": 57.14,
    }
    assert data["total"] == {"cells": 12, "covered": 7, "percent": 58.33}
    assert data["committees"][0]["code"] == "DB01"
    assert data["cadres"] == {"assigned": 4, "attended": 3}


def test_json_keeps_vietnamese_letters_and_the_period(district):
    text = run("--root", "HU", "--from", "2024-12-01", "--to", "2025-01-31", "--format", "json")
    assert "Ấp - khu phố" in text and "\\u" not in text  # ensure_ascii=False
    data = json.loads(text)
    assert (data["root"], data["from"], data["to"], data["basis"]) == (
        "HU",
        "2024-12-01",
        "2025-01-31",
        "attended",
    )
    # 2/12 as worked out in test_coverage.py.
    assert (data["total"]["covered"], data["total"]["cells"], data["total"]["percent"]) == (2, 12, 16.67)


@pytest.mark.parametrize(
    ("args", "period"),
    [
        (["--year", "2025", "--quarter", "3"], Period.quarter(2025, 3)),
        (["--year", "2025", "--month", "11"], Period.month(2025, 11)),
        (["--year", "2024"], Period.year(2024)),
    ],
)
@pytest.mark.parametrize("basis", Basis.VALUES)
def test_every_period_and_basis(district, args, period, basis):
    data = json.loads(run("--root", "HU", *args, "--basis", basis, "--format", "json"))
    assert data == coverage(root=district.root, period=period, basis=basis).as_dict()
    assert data["basis"] == basis


def test_third_quarter_figures(district):
    data = json.loads(run("--root", "HU", "--year", "2025", "--quarter", "3", "--format", "json"))
    # Worked out in test_coverage.py: N1 only, 1/8 subordinate cells = 12.5, 1/11 in all = 9.09.
    assert data["subordinate"] | {"groups": None} == {
        "cells": 8,
        "covered": 1,
        "percent": 12.5,
        "groups": None,
    }
    assert data["total"] == {"cells": 11, "covered": 1, "percent": 9.09}


# --- CSV ------------------------------------------------------------------------------------------------
def test_csv_has_a_bom_and_one_line_per_row(district):
    text = run("--root", "HU", "--year", "2025", "--format", "csv")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["level", "code", "name", "cells", "covered", "percent"]
    # 2 tiers + 3 groups each + 2 committees + the total = 11 lines.
    assert [row[0] for row in rows[1:]] == [
        "direct",
        "direct_group",
        "direct_group",
        "direct_group",
        "subordinate",
        "subordinate_group",
        "subordinate_group",
        "subordinate_group",
        "committee",
        "committee",
        "total",
    ]
    assert rows[1] == ["direct", "", "", "3", "2", "66.67"]
    assert rows[6] == ["subordinate_group", "AP_KP", "Ấp - khu phố", "7", "4", "57.14"]
    assert rows[9] == ["committee", "DB01", "Đảng bộ xã Bà Điểm", "5", "3", "60.00"]
    assert rows[11] == ["total", "", "", "12", "7", "58.33"]


# --- Table ----------------------------------------------------------------------------------------------
def test_table_in_vietnamese(district):
    with translation.override("vi"):
        text = run("--root", "HU", "--year", "2025")  # the table is the default format
    lines = text.splitlines()
    assert lines[0] == "Độ phủ của HU Huyện ủy Hóc Môn, 01/01/2025 – 31/12/2025, cách tính: đã dự"
    assert "2/3 = 66,67%" in text
    assert "4/7 = 57,14%" in text
    assert "7/12 = 58,33%" in text
    assert lines[-1] == "Cán bộ được phân công: 4; cán bộ đã dự: 3"
    # Aligned: every figure's "=" sits in the same column.
    figures = [line for line in lines if " = " in line]
    assert len({line.index(" = ") for line in figures}) == 1
    assert len(figures) == 9 + 2  # tiers, groups and total; two committees


def test_table_in_english(district, english):
    text = run("--root", "HU", "--year", "2025", "--quarter", "3", "--format", "table")
    lines = text.splitlines()
    assert lines[0] == "Coverage of HU Huyện ủy Hóc Môn, 01/07/2025 – 30/09/2025, basis: attended"
    assert [line.split()[-4:] for line in lines if line.startswith("Subordinate cells")] == [
        ["committees", "1/8", "=", "12.5%"]
    ]
    total = next(line for line in lines if line.startswith("Total"))
    assert total.endswith("1/11 =  9.09%")  # right-aligned under "100%"
    assert "  DB02 Đảng bộ xã Tân Hiệp" in text
    assert lines[-1] == "Cadres assigned: 4; cadres who attended: 1"


# --- The root -------------------------------------------------------------------------------------------
def test_root_may_be_left_out_when_there_is_one(db):
    root = OrganizationFactory(code="HU", name="Huyện ủy")
    cadre_cell = cell("C1", root)
    cell("C2", root)
    visit(CadreFactory(organization=root), cadre_cell, D(2025, 5, 5))
    data = json.loads(run("--year", "2025", "--format", "json"))
    assert (data["root"], data["total"]) == ("HU", {"cells": 2, "covered": 1, "percent": 50.0})


def test_several_roots_need_one_named(district, english):
    with pytest.raises(CommandError, match=r"several root committees \(HU, HU2\): choose one with --root"):
        run("--year", "2025")


def test_no_root_at_all(db, english):
    with pytest.raises(CommandError, match="There is no root committee yet"):
        run("--year", "2025")


def test_a_committee_below_the_root_may_be_named(district):
    data = json.loads(run("--root", "DB02", "--year", "2025", "--format", "json"))
    assert data["root"] == "DB02"
    assert data == coverage(root=district.committees["DB02"], period=Period.year(2025)).as_dict()


# --- Bad arguments --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--root", "NOPE", "--year", "2025"], "Unknown root committee: “NOPE”."),
        (["--root", "A1", "--year", "2025"], "“A1” is a cell, not a committee."),
        (["--root", "HU", "--quarter", "1"], "--quarter and --month need --year."),
        (["--root", "HU", "--month", "3"], "--quarter and --month need --year."),
        (
            ["--root", "HU", "--year", "2025", "--quarter", "1", "--month", "3"],
            "Give --quarter or --month, not both.",
        ),
        (
            ["--root", "HU", "--year", "2025", "--quarter", "5"],
            "--quarter must be a number from 1 to 4, not “5”.",
        ),
        (
            ["--root", "HU", "--year", "2025", "--month", "0"],
            "--month must be a number from 1 to 12, not “0”.",
        ),
        (["--root", "HU", "--year", "twenty"], "--year must be a number from 1 to 9999, not “twenty”."),
        (["--root", "HU", "--from", "2025-03-01", "--to", "2025-02-01"], "The period starts after it ends."),
        (
            ["--root", "HU", "--from", "2025-02-30", "--to", "2025-03-01"],
            "--from must be a date written YYYY-MM-DD",
        ),
        (
            ["--root", "HU", "--from", "01/02/2025", "--to", "2025-03-01"],
            "--from must be a date written YYYY-MM-DD",
        ),
        (["--root", "HU", "--from", "2025-01-01"], "--from and --to go together: give both."),
        (["--root", "HU", "--to", "2025-01-01"], "--from and --to go together: give both."),
        (["--root", "HU", "--year", "2025", "--from", "2025-01-01", "--to", "2025-02-01"], "not both"),
        (["--root", "HU"], "Give --year"),
        (
            ["--root", "HU", "--year", "2025", "--basis", "planned"],
            "--basis must be one of attended, assigned",
        ),
        (["--root", "HU", "--year", "2025", "--format", "xml"], "--format must be one of json, csv, table"),
    ],
)
def test_bad_arguments(district, english, args, message):
    with pytest.raises(CommandError) as raised:
        run(*args)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


# --- From the shell: exit status and one line on stderr -------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ["--quarter", "2"],
        ["--year", "2025", "--quarter", "1", "--month", "2"],
        ["--from", "2025-06-01", "--to", "2025-01-01"],
        ["--from", "2025-13-01", "--to", "2025-12-31"],
        ["--from", "2025-01-01"],
        ["--year", "2025", "--basis", "wrong"],
    ],
)
def test_bad_arguments_from_the_shell_exit_non_zero_with_one_line(args):
    """Arguments are checked before the database is touched, so no database is needed here."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run(
        [sys.executable, "manage.py", "coverage_report", *args],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("CommandError: ")
