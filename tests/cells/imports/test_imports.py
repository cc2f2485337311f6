"""Importing cell types, organizations, members and cadres: the command and the upload page."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from assignments.models import Cadre
from cells.models import CellType, CellTypeGroup, Member, Organization
from tests.factories import CadreFactory, MemberFactory, OrganizationFactory, cell_type

UPLOAD_URL = reverse("cells:import_upload")


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in English (the Vietnamese catalogue arrives later)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")


# --- helpers -------------------------------------------------------------------------------------------
def csv_file(tmp_path: Path, text: str, *, name: str = "data.csv", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(kind: str, path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("import_data", kind, str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def rejected(kind: str, path: Path, *args: str) -> list[str]:
    """Run a file that must be rejected; returns the problem lines the command printed."""
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_data", kind, str(path), *args, stdout=io.StringIO(), stderr=err)
    return err.getvalue().strip().splitlines()


def snapshot() -> dict[str, int]:
    """Row counts of everything an import may write, history included."""
    return {
        "groups": CellTypeGroup.objects.count(),
        "types": CellType.objects.count(),
        "organizations": Organization.objects.count(),
        "organization_history": Organization.history.count(),
        "members": Member.objects.count(),
        "member_history": Member.history.count(),
        "cadres": Cadre.objects.count(),
        "cadre_history": Cadre.history.count(),
    }


def counts_line(created: int, updated: int, unchanged: int) -> str:
    return f"{created} created, {updated} updated, {unchanged} unchanged"


ORG_HEADER = "code,name,kind,parent_code,cell_type_code\n"
MEMBER_HEADER = "card_number,full_name,cell_code,status,joined_on\n"
CADRE_HEADER = "code,full_name,position,email\n"
TYPE_HEADER = "code,name,group_code,group_name\n"


# --- cell types -------------------------------------------------------------------------------------
def test_cell_types_import_creates_updates_and_is_idempotent(tmp_path, db):
    cell_type("AP")  # the default types and groups exist
    path = csv_file(
        tmp_path,
        TYPE_HEADER
        + "AP,Chi bộ ấp (sửa),AP_KP,Ấp - khu phố\nBV,Chi bộ bệnh viện,YT,Y tế\nTYT,Chi bộ trạm y tế,YT,Y tế\n",
    )
    assert counts_line(2, 1, 0) in run("cell_types", path)
    assert CellType.objects.get(code="AP").name == "Chi bộ ấp (sửa)"
    assert CellType.objects.get(code="BV").group == CellTypeGroup.objects.get(code="YT", name="Y tế")
    assert counts_line(0, 0, 3) in run("cell_types", path)


def test_cell_types_group_named_two_ways_is_rejected(tmp_path, db):
    before = snapshot()
    path = csv_file(tmp_path, TYPE_HEADER + "BV,Chi bộ bệnh viện,YT,Y tế\nTYT,Chi bộ trạm,YT,Ngành y tế\n")
    assert rejected("cell_types", path) == [
        "row 3, column group_name: Group YT is named differently on row 2."
    ]
    assert snapshot() == before


# --- organizations ----------------------------------------------------------------------------------
def test_organizations_import_children_before_parents_builds_paths_and_history(tmp_path, tree, staff):
    path = csv_file(
        tmp_path,
        ORG_HEADER
        + "XC-AP1,Chi bộ ấp 1 Xuân Thới Thượng,cell,XC,AP\n"
        + "XC,Đảng bộ xã Xuân Thới Thượng,committee,HU,\n"
        + "HU-TH,Chi bộ trường THPT,cell,HU,TH\n",
    )
    assert counts_line(3, 0, 0) in run("organizations", path)

    committee = Organization.objects.get(code="XC")
    cell = Organization.objects.get(code="XC-AP1")
    assert committee.parent == tree.root and committee.is_committee
    assert cell.parent == committee and cell.cell_type.code == "AP"
    assert cell.path == f"{tree.root.path}{committee.pk}/{cell.pk}/" and cell.depth == 2
    assert set(Organization.objects.subtree(tree.root).values_list("code", flat=True)) >= {
        "XC",
        "XC-AP1",
        "HU-TH",
    }
    assert Organization.history.filter(code="XC-AP1", history_type="+", parent_id=committee.pk).count() == 1


def test_organizations_reimport_is_unchanged_and_changed_rows_update_and_move(tmp_path, tree):
    text = ORG_HEADER + "XC,Đảng bộ xã mới,committee,HU,\nXC-AP1,Chi bộ ấp 1,cell,XC,AP\n"
    run("organizations", csv_file(tmp_path, text))
    assert counts_line(0, 0, 2) in run("organizations", csv_file(tmp_path, text))

    # Move the existing committee XA (with its cells) under XC, and rename a cell.
    moved = text.replace("Chi bộ ấp 1,", "Chi bộ ấp Một,") + "XA,Đảng bộ xã Xuân Thới Sơn,committee,XC,\n"
    history_before = Organization.history.count()
    assert counts_line(0, 2, 1) in run("organizations", csv_file(tmp_path, moved))

    xc, xa = Organization.objects.get(code="XC"), Organization.objects.get(code="XA")
    cell = Organization.objects.get(code="XA-AP1")
    assert xa.parent == xc and xa.path == f"{xc.path}{xa.pk}/" and xa.depth == 2
    assert cell.path == f"{xa.path}{cell.pk}/" and cell.depth == 3  # the subtree moved along
    assert Organization.objects.get(code="XC-AP1").name == "Chi bộ ấp Một"
    assert Organization.history.count() == history_before + 2


GOOD = "OK-1,Chi bộ tốt,cell,HU,AP\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "code,name,kind,parent_code\nXC,X,committee,HU\n",
            ["row 1, column cell_type_code: Missing column."],
            id="missing-column",
        ),
        pytest.param(
            "code,name,kind,parent_code,cell_type_code,note\nXC,X,committee,HU,,a\n",
            ["row 1, column note: Unexpected column."],
            id="extra-column",
        ),
        pytest.param(
            ORG_HEADER + GOOD + "XC,,committee,HU,\n",
            ["row 3, column name: A value is required."],
            id="missing-value",
        ),
        pytest.param(
            ORG_HEADER + GOOD + "XC,X,committee,HU,\nXD,Y,committee,HU,\nXC,Z,committee,HU,\n",
            ["row 5, column code: Duplicate value, already on row 3."],
            id="duplicate-code",
        ),
        pytest.param(
            ORG_HEADER + GOOD + "XC,X,committee,NOPE,\n",
            ["row 3, column parent_code: Unknown parent NOPE."],
            id="unknown-parent",
        ),
        pytest.param(
            ORG_HEADER + GOOD + "XC,X,committee,XD,\nXD,Y,committee,XC,\n",
            [
                "row 3, column parent_code: Cycle: XC → XD → XC.",
                "row 4, column parent_code: Cycle: XD → XC → XD.",
            ],
            id="cycle-in-file",
        ),
        pytest.param(
            ORG_HEADER + GOOD + "HU,Huyện ủy Hóc Môn,committee,XA,\n",
            ["row 3, column parent_code: Cycle: HU → XA → HU."],
            id="cycle-through-database",
        ),
        pytest.param(
            ORG_HEADER + GOOD + "XC,X,committee,XA-AP1,\nXD-1,Y,cell,XD,AP\nXD,Z,cell,HU,AP\n",
            [
                "row 3, column parent_code: XA-AP1 is a cell: a cell cannot have organizations under it.",
                "row 4, column parent_code: XD is a cell: a cell cannot have organizations under it.",
            ],
            id="cell-with-children",
        ),
        pytest.param(
            ORG_HEADER + GOOD + "XC,X,cell,HU,ZZ\n",
            ["row 3, column cell_type_code: Unknown cell type ZZ."],
            id="unknown-type",
        ),
        pytest.param(
            ORG_HEADER + GOOD + "XC,X,committee,HU,AP\nXD,Y,cell,HU,\n",
            [
                "row 3, column cell_type_code: A committee has no cell type; leave this empty.",
                "row 4, column cell_type_code: A cell needs a cell type.",
            ],
            id="committee-with-type-cell-without",
        ),
        pytest.param(
            ORG_HEADER + GOOD + "XC,X,branch,HU,\n",
            ["row 3, column kind: Kind must be committee or cell."],
            id="bad-kind",
        ),
        pytest.param(
            ORG_HEADER + GOOD + "XA,Đảng bộ xã,cell,HU,AP\n",
            ["row 3, column kind: Organizations are under it: it cannot become a cell."],
            id="committee-with-children-to-cell",
        ),
    ],
)
def test_bad_organization_file_is_rejected_whole(tmp_path, tree, body, expected):
    """Each file also holds a good row (GOOD, row 2): it must not be written either."""
    before = snapshot()
    assert rejected("organizations", csv_file(tmp_path, body)) == expected
    assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("data.txt", b"code,name\n", "file: The file must be a CSV or an XLSX file."),
        (
            "data.csv",
            "code,name\nHM,Hóc Môn\n".encode("latin-1"),
            'file: The CSV file is not UTF-8 text. In Excel, save it as "CSV UTF-8".',
        ),
        ("data.xlsx", b"not a zip at all", "file: The file is not a valid XLSX workbook."),
        ("data.csv", b"", "file: The file is empty."),
    ],
    ids=["not-csv-or-xlsx", "not-utf8", "broken-xlsx", "empty"],
)
def test_unreadable_file_is_rejected(tmp_path, tree, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    before = snapshot()
    assert rejected("organizations", path) == [message]
    assert snapshot() == before


def test_dry_run_counts_and_writes_nothing(tmp_path, tree):
    before = snapshot()
    output = run("organizations", csv_file(tmp_path, ORG_HEADER + "XC,X,committee,HU,\n"), "--dry-run")
    assert counts_line(1, 0, 0) in output and "nothing was written" in output
    assert snapshot() == before


# --- members ----------------------------------------------------------------------------------------
def test_members_import_bom_csv_dates_statuses_and_history(tmp_path, tree):
    path = csv_file(
        tmp_path,
        MEMBER_HEADER
        + "79.000001,Nguyễn Văn An,XA-AP1,official,2019-04-01\n"
        + "79.000002,Trần Thị Bình,XA-TH,Dự bị,01/04/2019\n"
        + "79.000003,Lê Văn Cường,HU-CQ,probationary,\n",
        bom=True,
    )
    assert counts_line(3, 0, 0) in run("members", path)
    first, second, third = Member.objects.order_by("card_number")
    assert (first.cell, first.status, first.joined_on) == (tree.cell, "official", date(2019, 4, 1))
    assert (second.cell, second.status, second.joined_on) == (tree.cell2, "probationary", date(2019, 4, 1))
    assert third.joined_on is None
    assert Member.history.filter(history_type="+").count() == 3


def test_members_reimport_unchanged_then_changed_row_updates(tmp_path, tree):
    text = MEMBER_HEADER + "79.000001,Nguyễn Văn An,XA-AP1,probationary,2019-04-01\n"
    run("members", csv_file(tmp_path, text))
    assert counts_line(0, 0, 1) in run("members", csv_file(tmp_path, text))
    changed = text.replace("XA-AP1,probationary", "XA-TH,official")
    assert counts_line(0, 1, 0) in run("members", csv_file(tmp_path, changed))
    member = Member.objects.get(card_number="79.000001")
    assert (member.cell, member.status) == (tree.cell2, "official")
    assert member.history.first().history_type == "~"


def test_members_xlsx_with_number_and_date_cells(tmp_path, tree):
    path = tmp_path / "members.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                ["status", "card_number", "full_name", "cell_code", "joined_on"],  # any column order
                ["official", 79000123, "Phạm Văn Dũng", "XA-AP1", datetime(2020, 2, 3)],
                [None, None, None, None, None],  # an empty row Excel leaves behind
                ["dự bị", "79000124", "Võ Thị Em", "XB-AP1", "03/02/2020"],
            ]
        )
    )
    assert counts_line(2, 0, 0) in run("members", path)
    assert Member.objects.get(card_number="79000123").joined_on == date(2020, 2, 3)
    assert Member.objects.get(card_number="79000124").status == "probationary"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "79.1,An,XA-AP1,official,31/02/2019",
            "row 3, column joined_on: Not a date: write 2019-04-01 or 01/04/2019.",
        ),
        ("79.1,An,XA-AP1,retired,", "row 3, column status: Status must be official or probationary."),
        ("79.1,An,NOPE,official,", "row 3, column cell_code: Unknown cell NOPE."),
        ("79.1,An,XA,official,", "row 3, column cell_code: XA is a committee, not a cell."),
        ("79.1,,XA-AP1,official,", "row 3, column full_name: A value is required."),
        ("79.0,Trùng,XA-AP1,official,", "row 3, column card_number: Duplicate value, already on row 2."),
    ],
    ids=["bad-date", "bad-status", "unknown-cell", "committee-code", "missing-value", "duplicate-card"],
)
def test_bad_member_row_rejects_whole_file(tmp_path, tree, row, expected):
    before = snapshot()
    body = MEMBER_HEADER + "79.0,Hợp lệ,XA-AP1,official,2019-04-01\n" + row + "\n"
    assert rejected("members", csv_file(tmp_path, body)) == [expected]
    assert snapshot() == before


# --- cadres -----------------------------------------------------------------------------------------
CADRES = (
    CADRE_HEADER
    + "CB01,Nguyễn Thị Hoa,Ủy viên Ban Thường vụ,hoa@example.org\n"
    + "CB02,Trần Văn Hùng,HUYỆN ỦY VIÊN,\n"
    + "CB03,Lê Thị Lan,uỷ viên ban chấp hành,lan@example.org\n"
    + "CB04,Phạm Văn Minh,Cán bộ, chuyên viên,minh@example.org\n".replace(
        "Cán bộ, chuyên viên", '"Cán bộ, chuyên viên"'
    )
    + "CB05,Võ Văn Nam,specialist,nam@example.org\n"
)


def test_cadres_import_with_root_and_vietnamese_positions(tmp_path, tree):
    assert counts_line(5, 0, 0) in run("cadres", csv_file(tmp_path, CADRES), "--root", "HU")
    positions = dict(Cadre.objects.values_list("code", "position"))
    assert positions == {
        "CB01": "standing_committee",
        "CB02": "committee",
        "CB03": "committee",
        "CB04": "specialist",
        "CB05": "specialist",
    }
    assert set(Cadre.objects.values_list("organization__code", flat=True)) == {"HU"}
    assert counts_line(0, 0, 5) in run("cadres", csv_file(tmp_path, CADRES), "--root", "HU")
    changed = CADRES.replace("hoa@example.org", "hoa.nguyen@example.org")
    assert counts_line(0, 1, 4) in run("cadres", csv_file(tmp_path, changed), "--root", "HU")
    assert Cadre.objects.get(code="CB01").email == "hoa.nguyen@example.org"


def test_cadres_go_to_the_single_root_without_root_option(tmp_path, db):
    root = OrganizationFactory(code="TU", name="Tỉnh ủy")
    run("cadres", csv_file(tmp_path, CADRES))
    assert Cadre.objects.filter(organization=root).count() == 5


def test_cadres_need_root_option_when_there_are_several_roots(tmp_path, tree):
    with pytest.raises(CommandError, match="--root"):
        run("cadres", csv_file(tmp_path, CADRES))
    assert not Cadre.objects.exists()


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("CB09,An,Bí thư,", "row 3, column position:"),
        ("CB09,An,specialist,not-an-email", "row 3, column email: Not a valid e-mail address."),
        ("CB09,,specialist,", "row 3, column full_name: A value is required."),
    ],
    ids=["bad-position", "bad-email", "missing-value"],
)
def test_bad_cadre_row_rejects_whole_file(tmp_path, tree, row, expected):
    before = snapshot()
    body = CADRE_HEADER + "CB08,Hợp lệ,committee,ok@example.org\n" + row + "\n"
    problems = rejected("cadres", csv_file(tmp_path, body), "--root", "HU")
    assert len(problems) == 1 and problems[0].startswith(expected)
    assert snapshot() == before


# --- the upload page --------------------------------------------------------------------------------
def upload(client, kind: str, content: bytes, name: str = "data.csv"):
    return client.post(UPLOAD_URL, {"kind": kind, "file": SimpleUploadedFile(name, content)})


def preview_url(response) -> str:
    assert response.status_code == 302, getattr(response, "context", {}) and response.context.get("errors")
    assert response.url.startswith("/import/")
    return response.url


def confirm(client, url: str):
    return client.post(url, follow=True)


@pytest.mark.parametrize(
    ("kind", "content", "check"),
    [
        (
            "cell_types",
            TYPE_HEADER + "BV,Chi bộ bệnh viện,YT,Y tế\n",
            lambda: CellType.objects.filter(code="BV").exists(),
        ),
        (
            "organizations",
            ORG_HEADER + "XC-AP1,Chi bộ ấp 1,cell,XC,AP\nXC,Đảng bộ xã mới,committee,HU,\n",
            lambda: Organization.objects.get(code="XC-AP1").parent.code == "XC",
        ),
        (
            "members",
            MEMBER_HEADER + "79.000009,Nguyễn Văn An,XA-AP1,official,01/04/2019\n",
            lambda: Member.objects.filter(card_number="79.000009", cell__code="XA-AP1").exists(),
        ),
        ("cadres", CADRES, lambda: Cadre.objects.filter(organization__code="HU").count() == 5),
    ],
    ids=["cell_types", "organizations", "members", "cadres"],
)
def test_upload_preview_confirm_happy_path(client_for, staff, kind, content, check):
    client = client_for(staff)
    cell_type("AP")
    before = snapshot()
    url = preview_url(upload(client, kind, content.encode("utf-8")))
    assert snapshot() == before  # uploading writes nothing

    page = client.get(url)
    rows = content.count("\n") - 1
    assert page.status_code == 200
    assert page.context["counts"] == {"created": rows, "updated": 0, "unchanged": 0}
    assert f"{rows} to create" in page.content.decode()
    assert snapshot() == before  # previewing writes nothing

    response = confirm(client, url)
    assert response.redirect_chain[-1][0] == UPLOAD_URL
    assert f"Imported: {rows} created, 0 updated, 0 unchanged." in response.content.decode()
    assert check()
    assert client.get(url).status_code == 404  # the stored file is gone once imported


def test_upload_preview_lists_updated_and_unchanged_rows(client_for, staff, tree):
    MemberFactory(card_number="79.1", full_name="An", cell=tree.cell, joined_on=date(2019, 4, 1))
    MemberFactory(card_number="79.2", full_name="Bình", cell=tree.cell, joined_on=date(2019, 4, 1))
    client = client_for(staff)
    body = MEMBER_HEADER + "79.1,An,XA-AP1,official,2019-04-01\n79.2,Bình,XA-TH,official,2019-04-01\n"
    page = client.get(preview_url(upload(client, "members", body.encode())))
    assert page.context["counts"] == {"created": 0, "updated": 1, "unchanged": 1}
    html = page.content.decode()
    assert "XA-AP1 → XA-TH" in html


def test_upload_xlsx_with_bom_free_header_in_any_order(client_for, staff, tree):
    client = client_for(staff)
    content = xlsx_bytes(
        [
            ["parent_code", "code", "name", "kind", "cell_type_code"],
            ["XA", "XA-KP9", "Chi bộ khu phố 9", "cell", "AP"],
        ]
    )
    url = preview_url(upload(client, "organizations", content, name="org.xlsx"))
    confirm(client, url)
    assert Organization.objects.get(code="XA-KP9").parent == tree.committee


def test_upload_shows_every_problem_and_writes_nothing(client_for, staff, tree):
    client = client_for(staff)
    before = snapshot()
    body = ORG_HEADER + "XC,X,committee,NOPE,\nXD,,cell,HU,ZZ\n"
    response = upload(client, "organizations", body.encode())
    assert response.status_code == 200
    assert [str(error) for error in response.context["errors"]] == [
        "row 2, column parent_code: Unknown parent NOPE.",
        "row 3, column name: A value is required.",
        "row 3, column cell_type_code: Unknown cell type ZZ.",
    ]
    assert "Nothing was imported" in response.content.decode()
    assert snapshot() == before


def test_upload_rejects_other_extensions_in_the_form(client_for, staff):
    response = upload(client_for(staff), "members", b"x", name="members.txt")
    assert response.status_code == 200
    assert "file" in response.context["form"].errors


def test_confirm_validates_again_and_writes_nothing_when_the_file_became_wrong(client_for, staff, tree):
    client = client_for(staff)
    extra = OrganizationFactory(
        code="XA-NEW", name="Chi bộ tạm", kind="cell", parent=tree.committee, cell_type=cell_type("AP")
    )
    url = preview_url(upload(client, "members", (MEMBER_HEADER + "79.5,An,XA-NEW,official,\n").encode()))
    extra.delete()  # the cell disappears between the preview and the confirmation
    before = snapshot()
    response = client.post(url)
    assert response.status_code == 200
    assert [str(error) for error in response.context["plan"].errors] == [
        "row 2, column cell_code: Unknown cell XA-NEW."
    ]
    assert snapshot() == before


def test_staff_of_another_root_cannot_attach_to_this_tree(client_for, outsider, tree):
    client = client_for(outsider)
    before = snapshot()
    body = ORG_HEADER + "HU2-X,Đảng bộ mới,committee,HU,\nHU2-Y,Đảng bộ mới 2,committee,NOPE,\n"
    response = upload(client, "organizations", body.encode())
    # An existing code outside the subtree reads exactly like a code that does not exist.
    assert [str(error) for error in response.context["errors"]] == [
        "row 2, column parent_code: Unknown parent HU.",
        "row 3, column parent_code: Unknown parent NOPE.",
    ]
    response = upload(client, "members", (MEMBER_HEADER + "79.7,An,XA-AP1,official,\n").encode())
    assert [str(error) for error in response.context["errors"]] == [
        "row 2, column cell_code: Unknown cell XA-AP1."
    ]
    assert snapshot() == before


def test_staff_cannot_take_over_codes_outside_their_tree(client_for, outsider, tree):
    MemberFactory(card_number="79.8", cell=tree.cell)
    client = client_for(outsider)
    before = snapshot()
    response = upload(client, "organizations", (ORG_HEADER + "XA,Chiếm,committee,HU2,\n").encode())
    assert [str(error) for error in response.context["errors"]] == [
        "row 2, column code: This code cannot be used here."
    ]
    response = upload(client, "members", (MEMBER_HEADER + "79.8,Chiếm,HU2-AP,official,\n").encode())
    assert [str(error) for error in response.context["errors"]] == [
        "row 2, column card_number: This card number cannot be used here."
    ]
    assert snapshot() == before


def test_staff_cannot_update_cadres_of_another_root(client_for, outsider, tree):
    CadreFactory(code="CB01", full_name="Nguyễn Thị Hoa", organization=tree.root)
    response = upload(client_for(outsider), "cadres", CADRES.encode())
    assert [str(error) for error in response.context["errors"]] == [
        "row 2, column code: This code cannot be used here."
    ]
    assert Cadre.objects.get(code="CB01").organization == tree.root


def test_staff_cannot_add_a_new_root(client_for, staff):
    response = upload(client_for(staff), "organizations", (ORG_HEADER + "TU,Tỉnh ủy,committee,,\n").encode())
    assert [str(error) for error in response.context["errors"]] == [
        "row 2, column parent_code: A parent is required: a new root cannot be imported here."
    ]


def test_cadres_uploaded_by_staff_belong_to_their_root(client_for, outsider, tree):
    client = client_for(outsider)
    confirm(client, preview_url(upload(client, "cadres", CADRES.encode())))
    assert set(Cadre.objects.values_list("organization__code", flat=True)) == {"HU2"}


def test_import_history_names_the_importing_user(client_for, staff, tree):
    client = client_for(staff)
    confirm(
        client,
        preview_url(upload(client, "members", (MEMBER_HEADER + "79.9,An,XA-AP1,official,\n").encode())),
    )
    assert Member.objects.get(card_number="79.9").history.get().history_user == staff


def test_another_users_token_is_404(client, staff, outsider, tree):
    client.force_login(staff)
    url = preview_url(upload(client, "members", (MEMBER_HEADER + "79.9,An,XA-AP1,official,\n").encode()))
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not Member.objects.exists()
    client.force_login(staff)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("token", ["..", "x" * 43, "short", "x" * 42 + "~"])
def test_unknown_or_malformed_token_is_404(client_for, staff, token):
    assert client_for(staff).get(reverse("cells:import_preview", args=[token])).status_code == 404


def test_non_staff_get_403(client_for, leader, grassroots, cadre_user):
    for user in (leader, grassroots, cadre_user):
        client = client_for(user)
        assert client.get(UPLOAD_URL).status_code == 403
        assert upload(client, "members", MEMBER_HEADER.encode()).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(UPLOAD_URL)
    assert response.status_code == 302 and reverse("login") in response.url


def test_wrong_method_is_405(client_for, staff):
    client = client_for(staff)
    assert client.put(UPLOAD_URL).status_code == 405
    assert client.delete(reverse("cells:import_preview", args=["x" * 43])).status_code == 405


def test_upload_page_lists_the_columns_of_every_kind(client_for, staff):
    html = client_for(staff).get(UPLOAD_URL).content.decode()
    for columns in (TYPE_HEADER, ORG_HEADER, MEMBER_HEADER, CADRE_HEADER):
        assert columns.strip() in html


@pytest.mark.parametrize("size", [5, 60])
def test_preview_query_count_does_not_grow_with_the_file(
    client_for, staff, tree, django_assert_max_num_queries, size
):
    for number in range(size):
        MemberFactory(card_number=f"80.{number}", cell=tree.cell)
    body = MEMBER_HEADER + "".join(f"80.{n},Tên {n},XA-TH,official,2019-04-01\n" for n in range(size * 2))
    client = client_for(staff)
    url = preview_url(upload(client, "members", body.encode()))
    with django_assert_max_num_queries(8):
        page = client.get(url)
    assert page.context["counts"] == {"created": size, "updated": size, "unchanged": 0}
