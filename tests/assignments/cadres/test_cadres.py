"""The cadre pages: list with filters and exports, detail, create and edit."""

from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from assignments.models import Cadre
from cells.access.roles import Role
from cells.logins.services import user_create
from tests.factories import CadreFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    """The tests read English msgids; Vietnamese is the default language of the pages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def cadres(tree):
    return {
        "standing": CadreFactory(
            code="UV01",
            full_name="Nguyễn Thị Thường Vụ",
            position=Cadre.Position.STANDING_COMMITTEE,
            email="tv@hocmon.vn",
            organization=tree.root,
            member=MemberFactory(cell=tree.direct_cell, card_number="79.100001"),
        ),
        "specialist": CadreFactory(
            code="CV02",
            full_name="Trần Văn Chuyên",
            position=Cadre.Position.SPECIALIST,
            organization=tree.committee,
        ),
        "foreign": CadreFactory(code="CC01", full_name="Cán bộ Củ Chi", organization=tree.other_root),
    }


def rows_of(response) -> set[str]:
    return {row.record.code for row in response.context["table"].rows}


# --- List -------------------------------------------------------------------------------------------
def test_cadre_list_shows_the_cadres_of_the_users_tree(cadres, staff, leader, client_for):
    assert rows_of(client_for(staff).get(reverse("assignments:cadre_list"))) == {"UV01", "CV02"}
    assert rows_of(client_for(leader).get(reverse("assignments:cadre_list"))) == {"UV01", "CV02"}


def test_cadre_list_of_an_outsider_holds_none_of_this_tree(cadres, outsider, client_for):
    client = client_for(outsider)
    assert rows_of(client.get(reverse("assignments:cadre_list"))) == {"CC01"}
    export = client.get(reverse("assignments:cadre_list"), {"export": "csv"}).content.decode("utf-8-sig")
    assert "UV01" not in export and "CV02" not in export


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"position": "specialist"}, {"CV02"}),
        ({"position": "standing_committee"}, {"UV01"}),
        ({"q": "chuyên"}, {"CV02"}),
        ({"q": "uv0"}, {"UV01"}),
        ({"q": "hocmon.vn"}, {"UV01"}),
    ],
)
def test_cadre_list_filters(cadres, staff, client_for, params, expected):
    assert rows_of(client_for(staff).get(reverse("assignments:cadre_list"), params)) == expected


def test_cadre_list_exports_csv_and_xlsx(cadres, staff, client_for):
    client = client_for(staff)

    text = client.get(reverse("assignments:cadre_list"), {"export": "csv", "q": "UV"}).content.decode("utf-8")
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("assignments:cadre_list"), {"export": "xlsx"}).content)
    )

    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == ["Code", "Full name", "Position", "E-mail", "Committee", "Login", "Card number"]
    assert rows[1:] == [
        [
            "UV01",
            "Nguyễn Thị Thường Vụ",
            "Standing-committee member",
            "tv@hocmon.vn",
            "Huyện ủy Hóc Môn",
            "",
            "79.100001",
        ]
    ]
    sheet = list(workbook.active.iter_rows(values_only=True))
    assert list(sheet[0]) == rows[0]
    assert {row[0] for row in sheet[1:]} == {"UV01", "CV02"}


def test_cadre_list_is_forbidden_to_grassroots_staff_and_cadres(cadres, grassroots, cadre_user, client_for):
    assert client_for(grassroots).get(reverse("assignments:cadre_list")).status_code == 403
    assert client_for(cadre_user).get(reverse("assignments:cadre_list")).status_code == 403


def test_cadre_list_refuses_post(cadres, staff, client_for):
    assert client_for(staff).post(reverse("assignments:cadre_list")).status_code == 405


# --- Detail -----------------------------------------------------------------------------------------
def test_cadre_detail_shows_the_record(cadres, leader, client_for):
    html = client_for(leader).get(reverse("assignments:cadre_detail", args=["UV01"])).content.decode()

    assert "Nguyễn Thị Thường Vụ" in html
    assert "Standing-committee member" in html
    assert "79.100001" in html
    assert reverse("cells:organization_detail", args=["HU-CQ"]) in html  # their own cell
    assert reverse("assignments:cadre_edit", args=["UV01"]) not in html  # leadership reads only


def test_cadre_detail_of_another_tree_is_404(cadres, staff, outsider, client_for):
    assert client_for(staff).get(reverse("assignments:cadre_detail", args=["CC01"])).status_code == 404
    assert client_for(outsider).get(reverse("assignments:cadre_detail", args=["UV01"])).status_code == 404


# --- Create / edit ----------------------------------------------------------------------------------
def _post(**changes) -> dict:
    data = {
        "code": "",
        "full_name": "",
        "position": Cadre.Position.SPECIALIST,
        "email": "",
        "organization": "",
        "user": "",
        "member": "",
    }
    data.update(changes)
    return data


def test_create_cadre_with_login_and_own_member_record(tree, staff, client_for):
    login = user_create(username="canbo2", password="x-9!long-pass", role=Role.CADRE, scope=tree.root)
    member = MemberFactory(cell=tree.cell, card_number="79.424242")
    data = _post(
        code="CB99",
        full_name="Đỗ Văn Mới",
        email="moi@hocmon.vn",
        organization=tree.committee.pk,
        user=login.pk,
        member="79.424242",
    )

    response = client_for(staff).post(reverse("assignments:cadre_create"), data)

    cadre = Cadre.objects.get(code="CB99")
    assert response["Location"] == cadre.get_absolute_url()
    assert (cadre.full_name, cadre.organization, cadre.user, cadre.member) == (
        "Đỗ Văn Mới",
        tree.committee,
        login,
        member,
    )


def test_create_refuses_a_member_of_another_tree_and_keeps_what_was_typed(tree, staff, client_for):
    MemberFactory(cell=tree.other_cell, card_number="80.999999")
    data = _post(code="CB98", full_name="Người Gõ Sai", organization=tree.committee.pk, member="80.999999")

    response = client_for(staff).post(reverse("assignments:cadre_create"), data)

    assert not Cadre.objects.filter(code="CB98").exists()
    assert "member" in response.context["form"].errors
    html = response.content.decode()
    assert 'value="Người Gõ Sai"' in html
    assert 'value="80.999999"' in html


def test_create_refuses_a_committee_or_login_of_another_tree(tree, staff, outsider, client_for):
    data = _post(code="CB97", full_name="X", organization=tree.other_root.pk, user=outsider.pk)

    response = client_for(staff).post(reverse("assignments:cadre_create"), data)

    errors = response.context["form"].errors
    assert "organization" in errors and "user" in errors
    assert not Cadre.objects.filter(code="CB97").exists()


def test_create_refuses_a_cell_as_committee(tree, staff, client_for):
    data = _post(code="CB96", full_name="X", organization=tree.cell.pk)

    response = client_for(staff).post(reverse("assignments:cadre_create"), data)

    assert "organization" in response.context["form"].errors


def test_member_record_belongs_to_one_cadre_only(cadres, tree, staff, client_for):
    data = _post(code="CB95", full_name="Trùng", organization=tree.root.pk, member="79.100001")

    response = client_for(staff).post(reverse("assignments:cadre_create"), data)

    assert "member" in response.context["form"].errors
    assert not Cadre.objects.filter(code="CB95").exists()


def test_edit_form_shows_the_card_number_and_saves_changes(cadres, tree, staff, client_for):
    client = client_for(staff)
    url = reverse("assignments:cadre_edit", args=["UV01"])
    assert 'value="79.100001"' in client.get(url).content.decode()

    data = _post(
        code="UV01",
        full_name="Nguyễn Thị Thường Vụ",
        position=Cadre.Position.COMMITTEE,
        organization=tree.committee.pk,
        member="",
    )
    response = client.post(url, data)

    assert response.status_code == 302
    cadre = Cadre.objects.get(code="UV01")
    assert (cadre.position, cadre.organization, cadre.member, cadre.email) == (
        Cadre.Position.COMMITTEE,
        tree.committee,
        None,
        "",
    )


def test_edit_is_for_staff_of_the_tree_only(cadres, tree, leader, outsider, client_for):
    data = _post(code="UV01", full_name="Đổi tên", organization=tree.root.pk)
    url = reverse("assignments:cadre_edit", args=["UV01"])

    assert client_for(leader).post(url, data).status_code == 403
    assert client_for(outsider).post(url, data).status_code == 404
    assert Cadre.objects.get(code="UV01").full_name == "Nguyễn Thị Thường Vụ"


def test_create_is_forbidden_to_leadership(tree, leader, client_for):
    data = _post(code="CB94", full_name="X", organization=tree.root.pk)
    assert client_for(leader).post(reverse("assignments:cadre_create"), data).status_code == 403
    assert not Cadre.objects.filter(code="CB94").exists()


# --- Query counts -----------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize(
    ("url_name", "params", "bound"),
    [
        ("assignments:cadre_list", {}, 8),
        ("assignments:cadre_list", {"export": "csv"}, 7),
        ("assignments:cadre_list", {"position": "committee"}, 8),
    ],
)
def test_cadre_list_query_count_does_not_grow(
    tree, staff, client_for, django_assert_max_num_queries, size, url_name, params, bound
):
    for n in range(size):
        login = user_create(username=f"cb{n}", password="x-9!long-pass", role=Role.CADRE, scope=tree.root)
        CadreFactory(organization=tree.committee, user=login, member=MemberFactory(cell=tree.cell))
    client = client_for(staff)

    with django_assert_max_num_queries(bound):
        response = client.get(reverse(url_name), params)

    assert response.status_code == 200
