"""Importing a plan's assignments (year,cadre_code,cell_code): the command and the upload page."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from assignments.models import Assignment, AssignmentPlan
from assignments.plans import services as plans
from assignments.plans.rules import Rule
from tests.assignments.plans.factories import assign, draft_plan
from tests.factories import CadreFactory, CellFactory, OrganizationFactory

HEADER = "year,cadre_code,cell_code\n"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")


@pytest.fixture
def cadres(tree):
    """Two cadres of HU and one of the other root HU2."""
    return {
        "C1": CadreFactory(code="C1", organization=tree.root),
        "C2": CadreFactory(code="C2", organization=tree.committee),  # a cadre of a committee under HU
        "C9": CadreFactory(code="C9", organization=tree.other_root),
    }


def csv_file(tmp_path: Path, text: str, *, bom: bool = True) -> Path:
    path = tmp_path / "phan-cong.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def run(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("import_data", "assignments", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def rejected(path: Path, *args: str) -> list[str]:
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_data", "assignments", str(path), *args, stdout=io.StringIO(), stderr=err)
    return err.getvalue().strip().splitlines()


def snapshot() -> tuple[int, int, int]:
    return AssignmentPlan.objects.count(), Assignment.objects.count(), Assignment.history.count()


# --- The command ---------------------------------------------------------------------------------------------
def test_each_year_of_the_file_fills_a_draft_plan(tmp_path, tree, cadres):
    existing = draft_plan(tree.root, 2026, issuer_abbreviation="HUHM")
    assign(existing, cadres["C1"], tree.cell)
    body = HEADER + "2026,C1,XA-AP1\n2026,C1,HU-CQ\n2026,C2,XB-AP1\n2027,C1,XA-TH\n"
    out = run(csv_file(tmp_path, body), "--root", "HU")
    assert "3 created, 0 updated, 1 unchanged" in out
    assert AssignmentPlan.objects.count() == 2
    assert set(existing.assignments.values_list("cadre__code", "cell__code")) == {
        ("C1", "XA-AP1"),
        ("C1", "HU-CQ"),
        ("C2", "XB-AP1"),
    }
    new = AssignmentPlan.objects.get(year=2027)
    assert (new.root, new.status, new.issuer_abbreviation) == (tree.root, "draft", "HUHM")
    assert list(new.assignments.values_list("cadre__code", "cell__code")) == [("C1", "XA-TH")]
    assert Assignment.history.filter(history_type="+").count() == 4  # the import is in the history too
    assert "0 created, 0 updated, 4 unchanged" in run(csv_file(tmp_path, body), "--root", "HU")


def test_root_may_be_left_out_when_there_is_one_root(tmp_path, db):
    root = OrganizationFactory(code="HU")
    CadreFactory(code="C1", organization=root)
    CellFactory(code="AP1", parent=root)
    run(csv_file(tmp_path, HEADER + "2026,C1,AP1\n"))
    assert AssignmentPlan.objects.get().root == root


def test_root_is_needed_when_there_are_several(tmp_path, tree, cadres):
    with pytest.raises(CommandError, match="--root"):
        run(csv_file(tmp_path, HEADER + "2026,C1,XA-AP1\n"))
    assert snapshot() == (0, 0, 0)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("2026,NOPE,XA-AP1", "row 3, column cadre_code: Unknown cadre NOPE."),
        ("2026,C9,XA-AP1", "row 3, column cadre_code: C9 is not a cadre of HU."),
        ("2026,C1,NOPE", "row 3, column cell_code: Unknown cell NOPE."),
        ("2026,C1,XA", "row 3, column cell_code: XA is a committee, not a cell."),
        ("2026,C1,HU2-AP", "row 3, column cell_code: HU2-AP is not under HU."),
        ("2026,C1,OLD", "row 3, column cell_code: OLD does not exist in 2026."),
        ("26,C1,XA-AP1", "row 3, column year: Not a year: write it with four digits, from 2000 to 2100."),
        ("năm,C1,XA-AP1", "row 3, column year: Not a year: write it with four digits, from 2000 to 2100."),
        (",C1,XA-AP1", "row 3, column year: A value is required."),
        ("2026,C2,XB-AP1", "row 3, column cell_code: Duplicate row, already on row 2."),
    ],
    ids=[
        "unknown-cadre",
        "cadre-of-another-root",
        "unknown-cell",
        "committee",
        "cell-outside-root",
        "closed-cell",
        "short-year",
        "not-a-year",
        "no-year",
        "duplicate",
    ],
)
def test_a_bad_row_rejects_the_whole_file(tmp_path, tree, cadres, row, expected):
    CellFactory(code="OLD", parent=tree.committee, valid_to=date(2024, 12, 31))
    body = HEADER + f"2026,C2,XB-AP1\n{row}\n2027,C1,XA-AP1\n"
    assert rejected(csv_file(tmp_path, body), "--root", "HU") == [expected]
    assert snapshot() == (0, 0, 0)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "year,cadre,cell_code\n",
            ["row 1, column cadre: Unexpected column.", "row 1, column cadre_code: Missing column."],
        ),
        ("year,cell_code\n", ["row 1, column cadre_code: Missing column."]),
    ],
)
def test_a_wrong_header_rejects_the_file(tmp_path, tree, cadres, header, expected):
    assert rejected(csv_file(tmp_path, header + "2026,C1,XA-AP1\n"), "--root", "HU") == expected
    assert snapshot() == (0, 0, 0)


def test_a_year_already_issued_is_changed_by_amendment_only(tmp_path, tree, cadres, staff):
    issued = draft_plan(tree.root, 2026)
    assign(issued, cadres["C1"], tree.cell)
    plans.plan_issue(plan=issued, by=staff, overrides=dict.fromkeys(Rule, "x"), issued_on=date(2026, 1, 5))
    before = snapshot()
    problems = rejected(csv_file(tmp_path, HEADER + "2026,C2,XA-TH\n"), "--root", "HU")
    assert problems == [
        "row 2, column year: The plan for 2026 is already issued as No. 1-TB/HU; change it through an amendment."
    ]
    assert snapshot() == before


# --- The upload page ------------------------------------------------------------------------------------------
def _upload(client, content: bytes, name: str = "phan-cong.csv"):
    return client.post(
        reverse("cells:import_upload"), {"kind": "assignments", "file": SimpleUploadedFile(name, content)}
    )


def test_staff_upload_fills_the_draft_of_their_root(client_for, staff, tree, cadres):
    client = client_for(staff)
    response = _upload(client, ("\ufeff" + HEADER + "2026,C1,XA-AP1\n2026,C2,HU-CQ\n").encode())
    assert response.status_code == 302
    assert snapshot() == (0, 0, 0)  # the preview writes nothing
    preview = client.get(response.url)
    assert preview.context["counts"] == {"created": 2, "updated": 0, "unchanged": 0}
    confirmed = client.post(response.url, follow=True)
    assert "Imported: 2 created" in confirmed.content.decode()
    plan = AssignmentPlan.objects.get()
    assert (plan.root, plan.year, plan.status, plan.created_by) == (tree.root, 2026, "draft", staff)
    assert plan.assignments.count() == 2
    assert set(Assignment.history.values_list("history_user__username", flat=True)) == {"staff"}


def test_staff_of_another_root_see_our_codes_as_unknown(client_for, outsider, tree, cadres):
    response = _upload(client_for(outsider), (HEADER + "2026,C1,XA-AP1\n").encode())
    assert response.status_code == 200
    assert [str(error) for error in response.context["errors"]] == [
        "row 2, column cadre_code: Unknown cadre C1.",
        "row 2, column cell_code: Unknown cell XA-AP1.",
    ]
    assert snapshot() == (0, 0, 0)
