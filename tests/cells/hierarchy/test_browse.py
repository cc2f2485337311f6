"""The hierarchy pages: tree, cell list, organization detail and forms, member list and forms."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from cells.hierarchy import services as hierarchy_services
from cells.meetings import services as meetings_services
from cells.models import Meeting, Member, Organization
from tests.factories import CellFactory, MeetingFactory, MemberFactory, OrganizationFactory, cell_type

pytestmark = pytest.mark.django_db

BOM = "\ufeff"


@pytest.fixture(autouse=True)
def english(client):
    """The tests read English msgids; Vietnamese is the default language of the pages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith(BOM), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(response.content))
    return list(workbook.active.iter_rows(values_only=True))


def codes_in(rows: list, column: int = 0) -> set[str]:
    return {row[column] for row in rows[1:]}


# --- Tree -------------------------------------------------------------------------------------------
def test_tree_shows_the_scope_and_its_first_level_with_counts(tree, staff, client_for):
    MemberFactory.create_batch(2, cell=tree.cell)
    MemberFactory(cell=tree.sibling_cell)

    html = client_for(staff).get(reverse("cells:tree")).content.decode()

    for code in ("HU", "XA", "XB", "HU-CQ"):
        assert f'data-code="{code}"' in html
    assert "HU2" not in html
    # HU: 4 cells, 3 members in its subtree; XA: 2 cells, 2 members.
    assert "4 cells · 3 members" in html
    assert "2 cells · 2 members" in html
    # XA's cells are not loaded until XA is expanded.
    assert "XA-AP1" not in html
    assert reverse("cells:tree_children", args=["XA"]) in html


def test_tree_of_grassroots_staff_starts_at_their_committee(tree, grassroots, client_for):
    html = client_for(grassroots).get(reverse("cells:tree")).content.decode()

    assert 'data-code="XA"' in html
    assert 'data-code="XA-AP1"' in html
    assert 'data-code="XA-TH"' in html
    assert 'data-code="HU"' not in html
    assert "XB" not in html


def test_tree_children_returns_the_direct_children_as_a_partial(tree, staff, client_for):
    MemberFactory(cell=tree.cell)

    response = client_for(staff).get(reverse("cells:tree_children", args=["XA"]), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "<html" not in html
    assert 'data-code="XA-AP1"' in html
    assert 'data-code="XA-TH"' in html
    assert 'data-code="XB-AP1"' not in html
    assert "1 member" in html


def test_tree_children_of_a_committee_has_expand_buttons_for_nodes_with_children(tree, staff, client_for):
    html = client_for(staff).get(reverse("cells:tree_children", args=["HU"])).content.decode()

    assert f'hx-get="{reverse("cells:tree_children", args=["XA"])}"' in html
    assert reverse("cells:tree_children", args=["HU-CQ"]) not in html  # a cell has nothing to expand


def test_tree_children_of_another_subtree_is_404(tree, grassroots, outsider, client_for):
    assert client_for(grassroots).get(reverse("cells:tree_children", args=["XB"])).status_code == 404
    assert client_for(outsider).get(reverse("cells:tree_children", args=["XA"])).status_code == 404


def test_tree_search_lists_matches_with_their_ancestors(tree, staff, client_for):
    html = client_for(staff).get(reverse("cells:tree"), {"q": "ap1"}).content.decode()

    assert f'href="{reverse("cells:organization_detail", args=["XA-AP1"])}"' in html
    assert "Chi bộ ấp 1 – Đảng bộ xã Xuân Thới Sơn" in html
    assert "Chi bộ ấp Bà Điểm – Đảng bộ xã Bà Điểm" in html
    assert ">Huyện ủy Hóc Môn</a>" in html  # breadcrumb
    assert ">Đảng bộ xã Xuân Thới Sơn</a>" in html
    assert "HU2" not in html


def test_tree_search_by_name_finds_only_visible_organizations(tree, grassroots, outsider, client_for):
    html = client_for(grassroots).get(reverse("cells:tree"), {"q": "Chi bộ ấp"}).content.decode()
    assert "XA-AP1" in html
    assert "XB-AP1" not in html
    assert "HU – " not in html  # the root is above the grassroots scope: no breadcrumb to it

    html = client_for(outsider).get(reverse("cells:tree"), {"q": "AP1"}).content.decode()
    assert "XA-AP1" not in html
    assert "No organization matches." in html


def test_tree_is_forbidden_to_cadres(tree, cadre_user, client_for):
    assert client_for(cadre_user).get(reverse("cells:tree")).status_code == 403


@pytest.mark.parametrize("url_name", ["cells:tree", "cells:cell_list", "cells:member_list"])
def test_lists_refuse_post(tree, staff, client_for, url_name):
    assert client_for(staff).post(reverse(url_name)).status_code == 405


@pytest.mark.parametrize(
    ("url_name", "args"),
    [
        ("cells:organization_create", []),
        ("cells:organization_edit", ["XA-AP1"]),
        ("cells:member_create", []),
        ("cells:organization_detail", ["XA-AP1"]),
        ("cells:tree_children", ["XA"]),
    ],
)
def test_pages_refuse_other_methods(tree, staff, client_for, url_name, args):
    assert client_for(staff).delete(reverse(url_name, args=args)).status_code == 405


# --- Cell list --------------------------------------------------------------------------------------
def test_cell_list_shows_visible_cells_with_their_columns(tree, staff, client_for):
    MemberFactory.create_batch(3, cell=tree.cell)

    response = client_for(staff).get(reverse("cells:cell_list"))

    rows = {row.record.code: row for row in response.context["table"].rows}
    assert set(rows) == {"XA-AP1", "XA-TH", "XB-AP1", "HU-CQ"}
    ap1 = rows["XA-AP1"]
    shown = {
        name: str(ap1.get_cell_value(name)) for name in ("members_count", "parent", "cell_type", "group")
    }
    assert shown == {
        "members_count": "3",
        "parent": str(tree.committee),
        "cell_type": "Chi bộ ấp",
        "group": "Ấp - khu phố",
    }
    assert ap1.get_cell_value("is_active") == "Yes"


def test_cell_list_of_grassroots_staff_holds_only_their_cells(tree, grassroots, client_for):
    client = client_for(grassroots)

    page = client.get(reverse("cells:cell_list"))
    export = client.get(reverse("cells:cell_list"), {"export": "csv"})

    assert {row.record.code for row in page.context["table"].rows} == {"XA-AP1", "XA-TH"}
    assert codes_in(csv_rows(export)) == {"XA-AP1", "XA-TH"}


def test_cell_list_of_an_outsider_holds_none_of_this_tree(tree, outsider, client_for):
    rows = csv_rows(client_for(outsider).get(reverse("cells:cell_list"), {"export": "csv"}))
    assert codes_in(rows) == {"HU2-AP"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "xa-"}, {"XA-AP1", "XA-TH"}),
        ({"q": "trường"}, {"XA-TH"}),
        ({"parent": "XA"}, {"XA-AP1", "XA-TH"}),
        ({"cell_type": "TH"}, {"XA-TH"}),
        ({"group": "NG_CQ"}, {"XA-TH", "HU-CQ"}),
        ({"active": "false"}, {"XB-AP1"}),
        ({"active": "true"}, {"XA-AP1", "XA-TH", "HU-CQ"}),
    ],
)
def test_cell_list_filters(tree, staff, client_for, params, expected):
    hierarchy_services.organization_update(tree.cell2, cell_type=cell_type("TH"))
    hierarchy_services.organization_update(tree.direct_cell, cell_type=cell_type("CQ"))
    hierarchy_services.organization_update(tree.sibling_cell, valid_to=datetime.date(2020, 1, 1))
    query = dict(params)
    if "parent" in query:
        query["parent"] = Organization.objects.get(code=query["parent"]).pk
    if "cell_type" in query:
        query["cell_type"] = cell_type(query["cell_type"]).pk
    if "group" in query:
        query["group"] = cell_type("TH").group.pk

    response = client_for(staff).get(reverse("cells:cell_list"), query)

    assert {row.record.code for row in response.context["table"].rows} == expected


def test_cell_list_parent_filter_refuses_a_committee_of_another_tree(tree, staff, client_for):
    response = client_for(staff).get(reverse("cells:cell_list"), {"parent": tree.other_root.pk})

    assert response.context["filter"].errors
    assert "HU2-AP" not in response.content.decode()


def test_cell_list_exports_the_filtered_rows(tree, staff, client_for):
    client = client_for(staff)

    rows = csv_rows(client.get(reverse("cells:cell_list"), {"export": "csv", "q": "XA-"}))
    sheet = xlsx_rows(client.get(reverse("cells:cell_list"), {"export": "xlsx", "q": "XA-"}))

    assert rows[0] == ["Code", "Name", "Cell type", "Group", "Parent", "Members", "Active"]
    assert codes_in(rows) == {"XA-AP1", "XA-TH"}
    assert list(sheet[0]) == rows[0]
    assert codes_in(sheet) == {"XA-AP1", "XA-TH"}


def test_cell_list_sorts(tree, staff, client_for):
    response = client_for(staff).get(reverse("cells:cell_list"), {"sort": "-code"})
    codes = [row.record.code for row in response.context["table"].rows]
    assert codes == sorted(codes, reverse=True)


# --- Organization detail ----------------------------------------------------------------------------
@pytest.fixture
def today(monkeypatch):
    day = datetime.date(2026, 11, 27)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)
    return day


def test_cell_detail_shows_members_schedule_and_next_meetings(tree, leader, client_for, today):
    MemberFactory(cell=tree.cell, full_name="Phạm Thị Hoa", card_number="79.123456")
    MemberFactory(cell=tree.cell2, full_name="Người Khác")
    meetings_services.schedule_set(
        cell=tree.cell, day=5, start_time=datetime.time(19, 30), place="Nhà văn hóa ấp 1"
    )
    MeetingFactory(cell=tree.cell, date=today - datetime.timedelta(days=1), place="Quá khứ")
    MeetingFactory(cell=tree.cell, date=today, place="Cancelled", status=Meeting.Status.CANCELLED)
    for month in range(1, 8):
        MeetingFactory(cell=tree.cell, date=datetime.date(2027, month, 5), place=f"Tháng {month}")

    response = client_for(leader).get(reverse("cells:organization_detail", args=["XA-AP1"]))

    html = response.content.decode()
    assert "Chi bộ ấp 1 – Đảng bộ xã Xuân Thới Sơn" in html
    assert "Phạm Thị Hoa" in html and "79.123456" in html
    assert "Người Khác" not in html
    assert "day 5 of each month" in html
    assert "Nhà văn hóa ấp 1" in html
    upcoming = [meeting.place for meeting in response.context["upcoming"]]
    assert upcoming == ["Tháng 1", "Tháng 2", "Tháng 3", "Tháng 4", "Tháng 5"]


def test_committee_detail_lists_its_children_with_counts(tree, staff, client_for):
    MemberFactory.create_batch(2, cell=tree.cell)

    response = client_for(staff).get(reverse("cells:organization_detail", args=["XA"]))

    children = {child.code: child for child in response.context["children"]}
    assert set(children) == {"XA-AP1", "XA-TH"}
    assert children["XA-AP1"].member_count == 2
    assert (
        f'href="{reverse("cells:organization_create")}?parent={tree.committee.pk}"'
        in response.content.decode()
    )


def test_detail_history_shows_who_changed_what_to_staff_only(tree, staff, leader, client_for):
    client = client_for(staff)
    client.post(
        reverse("cells:organization_edit", args=["XA-AP1"]),
        _organization_post(tree.cell, name="Chi bộ ấp Một"),
    )

    html = client.get(reverse("cells:organization_detail", args=["XA-AP1"])).content.decode()
    assert 'data-testid="history"' in html
    assert "Chi bộ ấp 1 → Chi bộ ấp Một" in html
    assert "Staff" in html  # who: the persona's full name

    html = client_for(leader).get(reverse("cells:organization_detail", args=["XA-AP1"])).content.decode()
    assert 'data-testid="history"' not in html


def test_detail_links_follow_the_role(tree, staff, leader, grassroots, client_for):
    url = reverse("cells:organization_detail", args=["XA-AP1"])
    edit = reverse("cells:organization_edit", args=["XA-AP1"])
    schedule = reverse("cells:schedule_edit", args=["XA-AP1"])
    new_meeting = reverse("cells:meeting_create", args=["XA-AP1"])

    staff_html = client_for(staff).get(url).content.decode()
    leader_html = client_for(leader).get(url).content.decode()
    grassroots_html = client_for(grassroots).get(url).content.decode()

    assert edit in staff_html and schedule in staff_html and new_meeting in staff_html
    assert edit not in leader_html and schedule not in leader_html and new_meeting not in leader_html
    assert edit not in grassroots_html and schedule in grassroots_html and new_meeting in grassroots_html


def test_detail_of_another_subtree_is_404(tree, grassroots, outsider, client_for):
    assert (
        client_for(grassroots).get(reverse("cells:organization_detail", args=["XB-AP1"])).status_code == 404
    )
    assert client_for(outsider).get(reverse("cells:organization_detail", args=["XA-AP1"])).status_code == 404


# --- Organization create / edit ---------------------------------------------------------------------
def _organization_post(organization: Organization | None = None, **changes) -> dict:
    data = {
        "code": "",
        "name": "",
        "kind": Organization.Kind.CELL,
        "parent": "",
        "cell_type": "",
        "place_name": "",
        "valid_from": "",
        "valid_to": "",
        "successor": "",
    }
    if organization is not None:
        data.update(
            code=organization.code,
            name=organization.name,
            kind=organization.kind,
            parent=organization.parent_id or "",
            cell_type=organization.cell_type_id or "",
        )
    data.update(changes)
    return data


def test_create_cell_under_a_committee(tree, staff, client_for):
    data = _organization_post(
        code="XA-KP2", name="Chi bộ khu phố 2", parent=tree.committee.pk, cell_type=cell_type("KP").pk
    )

    response = client_for(staff).post(reverse("cells:organization_create"), data)

    cell = Organization.objects.get(code="XA-KP2")
    assert response.status_code == 302
    assert response["Location"] == cell.get_absolute_url()
    assert cell.kind == Organization.Kind.CELL
    assert cell.parent == tree.committee
    assert cell.path == f"{tree.committee.path}{cell.pk}/"
    assert cell.depth == 2


def test_create_invalid_keeps_what_was_typed(tree, staff, client_for):
    data = _organization_post(code="XA-NEW", name="Chi bộ chưa có loại hình", parent=tree.committee.pk)

    response = client_for(staff).post(reverse("cells:organization_create"), data)

    assert response.status_code == 200
    assert not Organization.objects.filter(code="XA-NEW").exists()
    form = response.context["form"]
    assert "cell_type" in form.errors
    html = response.content.decode()
    assert 'value="XA-NEW"' in html
    assert 'value="Chi bộ chưa có loại hình"' in html


def test_create_refuses_a_parent_of_another_tree(tree, staff, client_for):
    data = _organization_post(code="X", name="X", parent=tree.other_root.pk, cell_type=cell_type().pk)

    response = client_for(staff).post(reverse("cells:organization_create"), data)

    assert "parent" in response.context["form"].errors
    assert not Organization.objects.filter(code="X").exists()


def test_create_needs_a_parent_for_staff(tree, staff, client_for):
    data = _organization_post(code="ROOT2", name="Root", kind=Organization.Kind.COMMITTEE)

    response = client_for(staff).post(reverse("cells:organization_create"), data)

    assert "parent" in response.context["form"].errors
    assert not Organization.objects.filter(code="ROOT2").exists()


def test_moving_a_committee_rewrites_its_subtree(tree, staff, client_for):
    data = _organization_post(tree.committee, parent=tree.sibling_committee.pk)

    response = client_for(staff).post(reverse("cells:organization_edit", args=["XA"]), data)

    assert response.status_code == 302
    tree.sibling_committee.refresh_from_db()
    moved = Organization.objects.get(code="XA")
    cell = Organization.objects.get(code="XA-AP1")
    assert moved.path == f"{tree.sibling_committee.path}{moved.pk}/"
    assert cell.path.startswith(moved.path)
    assert cell.depth == 3
    history = client_for(staff).get(reverse("cells:organization_detail", args=["XA"])).content.decode()
    assert "Parent: HU → XB" in history


def test_edit_cannot_move_a_committee_under_its_own_cell_or_itself(tree, staff, client_for):
    data = _organization_post(tree.committee, parent=tree.committee.pk)

    response = client_for(staff).post(reverse("cells:organization_edit", args=["XA"]), data)

    assert "parent" in response.context["form"].errors
    assert Organization.objects.get(code="XA").parent == tree.root


def test_edit_of_the_scope_root_keeps_it_a_root(tree, staff, client_for):
    data = _organization_post(tree.root, name="Huyện ủy mới", kind=Organization.Kind.COMMITTEE)

    response = client_for(staff).post(reverse("cells:organization_edit", args=["HU"]), data)

    assert response.status_code == 302
    root = Organization.objects.get(code="HU")
    assert root.name == "Huyện ủy mới"
    assert root.parent is None


def test_edit_invalid_keeps_typed_values_and_the_database(tree, staff, client_for):
    data = _organization_post(tree.cell, name="Tên mới", code="XA-TH")  # code of another cell

    response = client_for(staff).post(reverse("cells:organization_edit", args=["XA-AP1"]), data)

    assert "code" in response.context["form"].errors
    assert 'value="Tên mới"' in response.content.decode()
    tree.cell.refresh_from_db()
    assert (tree.cell.code, tree.cell.name) == ("XA-AP1", "Chi bộ ấp 1")


def test_organization_forms_are_for_staff_only(tree, leader, grassroots, outsider, client_for):
    data = _organization_post(tree.cell, name="Hacked")
    assert (
        client_for(leader).post(reverse("cells:organization_edit", args=["XA-AP1"]), data).status_code == 403
    )
    assert client_for(grassroots).post(reverse("cells:organization_create"), data).status_code == 403
    assert (
        client_for(outsider).post(reverse("cells:organization_edit", args=["XA-AP1"]), data).status_code
        == 404
    )
    tree.cell.refresh_from_db()
    assert tree.cell.name == "Chi bộ ấp 1"


def test_organization_form_parent_choices_are_visible_committees(tree, staff, client_for):
    form = client_for(staff).get(reverse("cells:organization_create")).context["form"]
    assert {org.code for org in form.fields["parent"].queryset} == {"HU", "XA", "XB"}


# --- Members ----------------------------------------------------------------------------------------
def test_member_list_filters_by_committee_subtree_and_exports(tree, staff, client_for):
    MemberFactory(cell=tree.cell, card_number="79.000001", full_name="A")
    MemberFactory(cell=tree.cell2, card_number="79.000002", full_name="B", status=Member.Status.PROBATIONARY)
    MemberFactory(cell=tree.sibling_cell, card_number="79.000003", full_name="C")
    MemberFactory(cell=tree.other_cell, card_number="80.000004", full_name="D")
    client = client_for(staff)

    everyone = client.get(reverse("cells:member_list"))
    in_xa = client.get(reverse("cells:member_list"), {"committee": tree.committee.pk})
    probationary = client.get(reverse("cells:member_list"), {"status": "probationary", "export": "csv"})
    sheet = xlsx_rows(
        client.get(reverse("cells:member_list"), {"committee": tree.committee.pk, "export": "xlsx"})
    )

    assert {row.record.card_number for row in everyone.context["table"].rows} == {
        "79.000001",
        "79.000002",
        "79.000003",
    }
    assert {row.record.card_number for row in in_xa.context["table"].rows} == {"79.000001", "79.000002"}
    rows = csv_rows(probationary)
    assert rows[0] == ["Card number", "Full name", "Cell", "Status", "Joined on"]
    assert rows[1:] == [["79.000002", "B", str(tree.cell2), "Probationary", "19/05/2015"]]
    assert codes_in(sheet) == {"79.000001", "79.000002"}


def test_member_list_search_and_cell_filter(tree, leader, client_for):
    MemberFactory(cell=tree.cell, card_number="79.111111", full_name="Trần Văn Một")
    MemberFactory(cell=tree.cell2, card_number="79.222222", full_name="Lê Thị Hai")
    client = client_for(leader)

    by_card = client.get(reverse("cells:member_list"), {"q": "111"})
    by_cell = client.get(reverse("cells:member_list"), {"cell": tree.cell2.pk})

    assert [row.record.full_name for row in by_card.context["table"].rows] == ["Trần Văn Một"]
    assert [row.record.full_name for row in by_cell.context["table"].rows] == ["Lê Thị Hai"]
    assert "/edit/" not in by_cell.content.decode()  # leadership reads, never edits


def test_member_list_of_an_outsider_holds_none_of_this_tree(tree, outsider, client_for):
    MemberFactory(cell=tree.cell, card_number="79.000001")
    rows = csv_rows(client_for(outsider).get(reverse("cells:member_list"), {"export": "csv"}))
    assert rows[1:] == []


def test_member_list_is_forbidden_to_grassroots_staff(tree, grassroots, client_for):
    assert client_for(grassroots).get(reverse("cells:member_list")).status_code == 403


def _member_post(**changes) -> dict:
    data = {"card_number": "", "full_name": "", "cell": "", "status": Member.Status.OFFICIAL, "joined_on": ""}
    data.update(changes)
    return data


def test_member_create_adds_a_member_to_a_visible_cell(tree, staff, client_for):
    data = _member_post(
        card_number="79.555555", full_name="Võ Thị Năm", cell=tree.cell.pk, joined_on="2020-02-03"
    )

    response = client_for(staff).post(reverse("cells:member_create"), data)

    member = Member.objects.get(card_number="79.555555")
    assert response["Location"] == tree.cell.get_absolute_url()
    assert (member.full_name, member.cell, member.joined_on) == (
        "Võ Thị Năm",
        tree.cell,
        datetime.date(2020, 2, 3),
    )


def test_member_create_refuses_a_cell_of_another_tree_and_keeps_the_values(tree, staff, client_for):
    data = _member_post(card_number="79.666666", full_name="Người Ngoài", cell=tree.other_cell.pk)

    response = client_for(staff).post(reverse("cells:member_create"), data)

    assert "cell" in response.context["form"].errors
    assert not Member.objects.filter(card_number="79.666666").exists()
    assert 'value="Người Ngoài"' in response.content.decode()


def test_member_create_refuses_a_committee_as_cell(tree, staff, client_for):
    data = _member_post(card_number="79.777777", full_name="X", cell=tree.committee.pk)

    response = client_for(staff).post(reverse("cells:member_create"), data)

    assert "cell" in response.context["form"].errors
    assert not Member.objects.filter(card_number="79.777777").exists()


def test_member_edit_moves_a_member(tree, staff, client_for):
    member = MemberFactory(cell=tree.cell, card_number="79.888888", full_name="Cũ")
    data = _member_post(card_number="79.888888", full_name="Mới", cell=tree.cell2.pk, status="probationary")

    response = client_for(staff).post(reverse("cells:member_edit", args=[member.pk]), data)

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.full_name, member.cell, member.status) == ("Mới", tree.cell2, Member.Status.PROBATIONARY)


def test_member_edit_of_another_tree_is_404_and_wrong_role_403(tree, outsider, leader, client_for):
    member = MemberFactory(cell=tree.cell, full_name="Giữ nguyên")
    data = _member_post(card_number=member.card_number, full_name="Đổi", cell=tree.cell.pk)

    assert client_for(outsider).post(reverse("cells:member_edit", args=[member.pk]), data).status_code == 404
    assert client_for(leader).post(reverse("cells:member_edit", args=[member.pk]), data).status_code == 403
    member.refresh_from_db()
    assert member.full_name == "Giữ nguyên"


# --- Query counts -----------------------------------------------------------------------------------
def grow(tree, size: int) -> None:
    """``size`` more committees, cells and members (with meetings) under XA and at the root."""
    for n in range(size):
        committee = OrganizationFactory(parent=tree.root, code=f"GC{n:03d}")
        cell = CellFactory(parent=tree.committee if n % 2 else committee, code=f"GX{n:03d}")
        MemberFactory(cell=cell)
        MemberFactory(cell=tree.cell)
        MeetingFactory(cell=tree.cell, date=datetime.date(2099, 1, 1) + datetime.timedelta(days=n))
        hierarchy_services.organization_update(tree.cell, name=f"Chi bộ ấp 1 ({n})")


SIZES = [3, 30]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("url_name", "args", "params", "bound"),
    [
        ("cells:tree", [], {}, 8),
        ("cells:tree", [], {"q": "G"}, 8),
        ("cells:tree_children", ["HU"], {}, 7),
        ("cells:cell_list", [], {}, 11),
        ("cells:cell_list", [], {"export": "csv"}, 7),
        # Searches (diacritics ignored) and name order read the stored columns: no more queries.
        ("cells:cell_list", [], {"q": "chi bo xa xuan"}, 11),
        ("cells:cell_list", [], {"q": "chi bo", "sort": "name"}, 11),
        ("cells:member_list", [], {"q": "nguyen van"}, 10),
        ("cells:meeting_list", [], {"q": "chi bo ap"}, 12),
        ("cells:member_list", [], {}, 10),
        ("cells:member_list", [], {"export": "xlsx"}, 7),
        ("cells:organization_detail", ["XA-AP1"], {}, 13),
        ("cells:organization_detail", ["HU"], {}, 9),
    ],
)
def test_query_count_does_not_grow(
    tree, staff, client_for, django_assert_max_num_queries, size, url_name, args, params, bound
):
    grow(tree, size)
    client = client_for(staff)

    with django_assert_max_num_queries(bound):
        response = client.get(reverse(url_name, args=args), params)

    assert response.status_code == 200


# --- The member and meeting lists never list every cell to choose from -------------------------------------
def test_member_list_offers_no_list_of_cells_and_finds_cells_by_name_without_diacritics(
    tree, staff, client_for
):
    tan_xuan = OrganizationFactory(code="TX", name="Đảng bộ xã Tân Xuân", parent=tree.root)
    ap4 = CellFactory(code="TX-AP4", name="Chi bộ Ấp 4", parent=tan_xuan)
    MemberFactory(cell=ap4, full_name="Nguyễn Văn Tư", card_number="TX-1")
    MemberFactory(cell=tree.cell, full_name="Lê Thị Ba", card_number="XA-1")
    client = client_for(staff)
    page = client.get(reverse("cells:member_list"), {"cell_q": "ap 4 tan xuan"})
    html = page.content.decode()
    assert 'name="cell"' in html and '<select name="cell"' not in html  # a hidden field, no option per cell
    assert "Nguyễn Văn Tư" in html and "Lê Thị Ba" not in html
    chosen = client.get(reverse("cells:member_list"), {"cell": ap4.pk})
    text = chosen.content.decode()
    assert "Only Chi bộ Ấp 4 – Đảng bộ xã Tân Xuân" in text and "Show every cell" in text
    assert "Nguyễn Văn Tư" in text and "Lê Thị Ba" not in text


def test_meeting_list_names_the_chosen_cell_without_a_list_of_cells(tree, staff, client_for):
    """The page is in English here (the module's fixture); the Vietnamese words are in the catalogue."""
    MeetingFactory(cell=tree.cell, place="Hội trường ấp 1")
    MeetingFactory(cell=tree.cell2, place="Phòng họp trường")
    page = client_for(staff).get(reverse("cells:meeting_list"), {"cell": tree.cell.pk, "all": "1"})
    html = page.content.decode()
    assert '<select name="cell"' not in html
    assert "Only Chi bộ ấp 1 – Đảng bộ xã Xuân Thới Sơn" in html
    assert "Hội trường ấp 1" in html and "Phòng họp trường" not in html
