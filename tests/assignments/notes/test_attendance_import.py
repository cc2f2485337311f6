"""Importing past attendance records (cadre_code,cell_code,date[,meeting_kind,overall_rating,summary]):
the command, the upload page, each bad row, the plan check and re-importing."""

from __future__ import annotations

import io
from datetime import date, time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from assignments.models import AssignmentPlan, AttendanceNote, NoteRound, Visit
from assignments.notes.imports import IMPORT_COMMENT
from cells.imports.base import ImportContext
from cells.imports.services import import_plan
from cells.models import Meeting, MeetingSchedule
from tests.assignments.plans.factories import assign, draft_plan
from tests.factories import CadreFactory, CellFactory, MeetingFactory

HEADER = "cadre_code,cell_code,date,meeting_kind,overall_rating,summary\n"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")


@pytest.fixture
def cadres(tree):
    """C1 and C2 of HU, C9 of the other root HU2."""
    return {
        "C1": CadreFactory(code="C1", organization=tree.root),
        "C2": CadreFactory(code="C2", organization=tree.committee),
        "C9": CadreFactory(code="C9", organization=tree.other_root),
    }


@pytest.fixture
def plan_2025(tree, cadres) -> AssignmentPlan:
    """The 2025 draft: C1 at XA-AP1 and XA-TH, C2 at HU-CQ."""
    plan = draft_plan(tree.root, 2025)
    assign(plan, cadres["C1"], tree.cell, tree.cell2)
    assign(plan, cadres["C2"], tree.direct_cell)
    return plan


def csv_file(tmp_path: Path, text: str, *, bom: bool = True, name: str = "du-sinh-hoat.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def run(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("import_data", "attendance", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def rejected(path: Path, *args: str) -> list[str]:
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_data", "attendance", str(path), *args, stdout=io.StringIO(), stderr=err)
    return err.getvalue().strip().splitlines()


def snapshot() -> tuple[int, ...]:
    return (
        Meeting.objects.count(),
        Visit.objects.count(),
        AttendanceNote.objects.count(),
        NoteRound.objects.count(),
        Meeting.history.count(),
        Visit.history.count(),
        AttendanceNote.history.count(),
    )


# --- The command ---------------------------------------------------------------------------------------------
def test_each_row_becomes_a_held_meeting_an_attended_visit_and_an_accepted_note(tmp_path, tree, plan_2025):
    MeetingSchedule.objects.create(cell=tree.cell2, day=5, start_time=time(7, 30), place="Trường")
    existing = MeetingFactory(cell=tree.direct_cell, date=date(2025, 3, 6), place="Hội trường", topic="")
    body = HEADER + (
        "C1,XA-AP1,05/03/2025,regular,Tốt,Sinh hoạt đúng giờ\n"
        "C1,XA-TH,2025-03-05,Chuyên đề,trung bình,\n"
        "C2,HU-CQ,2025-03-06,,KHÁ,Ổn\n"
    )
    out = run(csv_file(tmp_path, body))

    assert "attendance: 3 created, 0 updated, 0 unchanged" in out
    hamlet = Meeting.objects.get(cell=tree.cell)
    assert (hamlet.date, hamlet.start_time, hamlet.place, hamlet.kind, hamlet.status) == (
        date(2025, 3, 5),
        time(19, 30),
        "—",
        Meeting.Kind.REGULAR,
        Meeting.Status.HELD,
    )
    school = Meeting.objects.get(cell=tree.cell2)
    assert (school.start_time, school.kind) == (time(7, 30), Meeting.Kind.THEMATIC)  # the schedule's time
    assert Meeting.objects.filter(cell=tree.direct_cell).get() == existing  # the day's meeting is reused

    notes = {note.visit.cell.code: note for note in AttendanceNote.objects.select_related("visit__cell")}
    assert {code: (n.overall_rating, n.meeting_kind, n.summary) for code, n in notes.items()} == {
        "XA-AP1": ("good", "regular", "Sinh hoạt đúng giờ"),
        "XA-TH": ("average", "thematic", ""),
        "HU-CQ": ("fair", "regular", "Ổn"),
    }
    note = notes["XA-AP1"]
    assert note.status == AttendanceNote.Status.ACCEPTED
    assert note.author.code == "C1" and note.meeting_date == date(2025, 3, 5)
    assert note.visit.status == Visit.Status.ATTENDED and note.visit.meeting == hamlet
    (round_,) = note.rounds.all()
    assert (round_.number, round_.decision, round_.comment, round_.reviewed_by) == (
        1,
        NoteRound.Decision.ACCEPTED,
        IMPORT_COMMENT,
        None,
    )
    assert round_.snapshot["overall_rating"] == "good"
    # Filed on paper: submitted on the meeting's day (local time), so the history never reads as late.
    assert timezone.localtime(note.submitted_at).date() == date(2025, 3, 5)
    assert round_.submitted_at == note.submitted_at
    assert note.visit.meeting_date == date(2025, 3, 5)
    # Every row written is in the history.
    assert Meeting.history.exclude(id=existing.pk).count() == 2
    assert Visit.history.count() == 3 and AttendanceNote.history.count() == 3


def test_the_optional_columns_may_be_left_out(tmp_path, tree, plan_2025):
    run(csv_file(tmp_path, "cadre_code,cell_code,date\nC1,XA-AP1,2025-04-05\n", bom=False))
    note = AttendanceNote.objects.get()
    assert (note.meeting_kind, note.overall_rating, note.summary) == ("regular", "", "")


def test_another_extra_column_is_an_error(tmp_path, tree, plan_2025):
    errors = rejected(csv_file(tmp_path, "cadre_code,cell_code,date,topic\nC1,XA-AP1,2025-04-05,x\n"))
    assert errors == ["row 1, column topic: Unexpected column."]
    assert snapshot() == (0, 0, 0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("ZZ,XA-AP1,2025-03-05,,,", "row 3, column cadre_code: Unknown cadre ZZ."),
        ("C1,NOPE,2025-03-05,,,", "row 3, column cell_code: Unknown cell NOPE."),
        ("C1,XA,2025-03-05,,,", "row 3, column cell_code: XA is a committee, not a cell."),
        ("C1,XA-TH,31/02/2025,,,", "row 3, column date: Not a date: write it as 2019-04-01 or 01/04/2019."),
        (
            "C1,XA-TH,2099-01-01,,,",
            "row 3, column date: The date is in the future: only past attendances can be imported.",
        ),
        (
            "C1,XA-TH,2025-03-05,weekly,,",
            "row 3, column meeting_kind: The kind must be regular or thematic (or Định kỳ, Chuyên đề).",
        ),
        (
            "C1,XA-TH,2025-03-05,,excellent,",
            "row 3, column overall_rating: The rating must be good, fair, average or weak "
            "(or Tốt, Khá, Trung bình, Yếu).",
        ),
        ("C1,XA-AP1,05/03/2025,,,", "row 3, column date: Duplicate row, already on row 2."),
        (
            "C1,XB-AP1,2025-03-05,,,",
            "row 3, column cell_code: C1 is not assigned to XB-AP1 in the plan for 2025; "
            "allow unassigned attendances to import it.",
        ),
        (
            "C1,XA-TH,2024-03-05,,,",
            "row 3, column cell_code: There is no assignment plan for 2024; "
            "allow unassigned attendances to import it.",
        ),
        (
            "C9,XA-TH,2025-03-05,,,",
            "row 3, column cadre_code: C9 is not a cadre of the committee XA-TH belongs to.",
        ),
    ],
)
def test_a_bad_row_is_reported_and_nothing_is_written(tmp_path, tree, plan_2025, row, message):
    body = HEADER + "C1,XA-AP1,2025-03-05,,,\n" + row + "\n"
    assert rejected(csv_file(tmp_path, body)) == [message]
    assert snapshot() == (0, 0, 0, 0, 0, 0, 0)


def test_a_visit_already_there_is_an_error(tmp_path, tree, cadres, plan_2025):
    meeting = MeetingFactory(cell=tree.cell, date=date(2025, 3, 5))
    Visit.objects.create(cadre=cadres["C1"], cell=tree.cell, meeting=meeting, status=Visit.Status.ATTENDED)
    before = snapshot()
    errors = rejected(csv_file(tmp_path, HEADER + "C2,HU-CQ,2025-03-06,,,\nC1,XA-AP1,2025-03-05,,,\n"))
    assert errors == ["row 3, column date: C1 already has a visit at the meeting of XA-AP1 on 2025-03-05."]
    assert snapshot() == before


def test_the_issued_plan_of_the_year_wins_over_a_later_draft(tmp_path, tree, cadres, plan_2025):
    # A second draft can only exist from before the first plan was issued.
    later_draft = draft_plan(tree.root, 2025)
    assign(later_draft, cadres["C1"], tree.sibling_cell)
    AssignmentPlan.objects.filter(pk=plan_2025.pk).update(
        status="issued", number=15, issued_on=date(2025, 1, 10)
    )
    errors = rejected(csv_file(tmp_path, HEADER + "C1,XB-AP1,2025-03-05,,,\n"))
    assert errors == [
        "row 2, column cell_code: C1 is not assigned to XB-AP1 in the plan for 2025; "
        "allow unassigned attendances to import it."
    ]
    assert "1 created" in run(csv_file(tmp_path, HEADER + "C1,XA-AP1,2025-03-05,,,\n"))


def test_the_latest_draft_counts_when_nothing_is_issued(tmp_path, tree, cadres, plan_2025):
    later_draft = draft_plan(tree.root, 2025)
    assign(later_draft, cadres["C1"], tree.sibling_cell)
    assert "1 created" in run(csv_file(tmp_path, HEADER + "C1,XB-AP1,2025-03-05,,,\n"))
    assert rejected(csv_file(tmp_path, HEADER + "C1,XA-AP1,2025-03-05,,,\n"))


def test_allow_unassigned_imports_cadres_outside_the_plan(tmp_path, tree, plan_2025):
    body = HEADER + "C1,XB-AP1,2025-03-05,,,\nC2,XA-TH,2024-11-05,,,\n"
    assert "2 created" in run(csv_file(tmp_path, body), "--allow-unassigned")
    assert set(Visit.objects.values_list("cadre__code", "cell__code")) == {("C1", "XB-AP1"), ("C2", "XA-TH")}


def test_importing_the_same_file_again_changes_nothing(tmp_path, tree, plan_2025):
    body = HEADER + "C1,XA-AP1,2025-03-05,thematic,Yếu,Chưa tốt\nC1,XA-TH,2025-03-07,,,\n"
    run(csv_file(tmp_path, body))
    before = snapshot()
    assert "0 created, 0 updated, 2 unchanged" in run(csv_file(tmp_path, body))
    assert snapshot() == before
    # A later file repeating an old row and adding a new one creates only the new one.
    out = run(csv_file(tmp_path, body + "C2,HU-CQ,2025-05-02,,,\n"))
    assert "1 created, 0 updated, 2 unchanged" in out
    # The same attendance with other values is refused rather than silently kept or changed.
    errors = rejected(csv_file(tmp_path, HEADER + "C1,XA-TH,2025-03-07,,Tốt,\n"))
    assert errors == ["row 2, column date: C1 at XA-TH on 2025-03-07 was imported before with other values."]


def test_an_xlsx_file_is_imported(tmp_path, tree, plan_2025):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["cadre_code", "cell_code", "date", "overall_rating"])
    sheet.append(["C1", "XA-AP1", date(2025, 3, 5), "Khá"])
    path = tmp_path / "du-sinh-hoat.xlsx"
    workbook.save(path)
    assert "1 created" in run(path)
    note = AttendanceNote.objects.get()
    assert (note.meeting_date, note.overall_rating) == (date(2025, 3, 5), "fair")


def test_checking_a_file_takes_the_same_queries_whatever_its_size(
    tree, cadres, plan_2025, django_assert_max_num_queries
):
    def check(count: int) -> None:
        cells = [CellFactory(parent=tree.committee) for _ in range(count)]
        assign(plan_2025, cadres["C1"], *cells)
        body = HEADER + "".join(
            f"C1,{cell.code},2025-03-{1 + n % 28:02d},,,\n" for n, cell in enumerate(cells)
        )
        with django_assert_max_num_queries(12):
            plan = import_plan(
                kind="attendance", data=body.encode(), filename="a.csv", context=ImportContext()
            )
        assert not plan.errors and plan.counts["created"] == count

    check(3)
    check(30)


# --- The upload page ---------------------------------------------------------------------------------------
def upload(client, text: str, *, allow_unassigned: bool = False):
    data = {
        "kind": "attendance",
        "file": SimpleUploadedFile("du-sinh-hoat.csv", ("\ufeff" + text).encode(), content_type="text/csv"),
    }
    if allow_unassigned:
        data["allow_unassigned"] = "on"
    return client.post(reverse("cells:import_upload"), data)


def test_staff_previews_and_confirms_through_the_upload_page(client_for, staff, tree, plan_2025):
    client = client_for(staff)
    response = upload(client, HEADER + "C1,XA-AP1,2025-03-05,,Tốt,Đạt yêu cầu\n")
    assert response.status_code == 302
    assert snapshot() == (0, 0, 0, 0, 0, 0, 0)  # the preview writes nothing
    preview = client.get(response.url)
    assert "C1" in preview.content.decode()
    assert client.post(response.url).status_code == 302
    round_ = NoteRound.objects.get()
    assert round_.reviewed_by == staff and round_.note.overall_rating == "good"
    assert Visit.history.get().history_user == staff


def test_the_upload_page_carries_allow_unassigned_to_the_confirmation(client_for, staff, tree, plan_2025):
    client = client_for(staff)
    text = HEADER + "C1,XB-AP1,2025-03-05,,,\n"
    refused = upload(client, text)
    assert refused.status_code == 200
    assert "C1 is not assigned to XB-AP1" in refused.content.decode()
    response = upload(client, text, allow_unassigned=True)
    assert response.status_code == 302 and response.url.endswith("?allow_unassigned=1")
    client.post(response.url)
    assert Visit.objects.get().cell == tree.sibling_cell


def test_cells_outside_the_users_subtree_are_unknown(client_for, outsider, tree, plan_2025):
    response = upload(client_for(outsider), HEADER + "C9,XA-AP1,2025-03-05,,,\n")
    assert "row 2, column cell_code: Unknown cell XA-AP1." in response.content.decode()
    assert snapshot() == (0, 0, 0, 0, 0, 0, 0)
