"""Names people recognise, in the order they expect: cell labels, Vietnamese order, diacritic-free search."""

from __future__ import annotations

import io
import random
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from assignments.models import Cadre
from cells.hierarchy.services import organization_update
from cells.models import Member, Organization
from core import names
from tests.factories import CadreFactory, CellFactory, MemberFactory, OrganizationFactory

# Real names in the order of a Vietnamese list: by given name (a < ă < â, d < đ, u < ư; level tone
# before the marked ones), then by family and middle name.
PEOPLE_IN_ORDER = [
    "Nguyễn Văn An",
    "Lê Văn Anh",
    "Trần Thị Ánh",
    "Phạm Thị Ân",
    "Đỗ Văn Bình",
    "Lê Thị Dung",
    "Hoàng Văn Dũng",
    "Nguyễn Văn Đức",
    "Võ Thị Hà",
    "Nguyễn Thị Hạ",
    "Trần Văn Hải",
    "Lê Văn Long",
    "Nguyễn Văn Long",
    "Phan Thị Uyên",
    "Lý Văn Ưng",
]

CELLS_IN_ORDER = [
    "Chi bộ Ấp 2",
    "Chi bộ Ấp 4",
    "Chi bộ Ấp 10",
    "Chi bộ Dinh",
    "Chi bộ Đình",
    "Chi bộ Khu phố 1",
]


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def shuffled(items: list[str]) -> list[str]:
    items = list(items)
    random.Random(7).shuffle(items)
    return items


# --- Sort keys ----------------------------------------------------------------------------------------
def test_tones_follow_the_base_letter_in_dictionary_order():
    words = ["a", "à", "ả", "ã", "á", "ạ", "ă", "ằ", "â", "b", "d", "đ", "e", "ê", "o", "ô", "ơ", "u", "ư"]
    assert sorted(shuffled(words), key=names.collation_key) == words


def test_people_sort_by_given_name_then_family_and_middle_name():
    assert sorted(shuffled(PEOPLE_IN_ORDER), key=names.person_sort_key) == PEOPLE_IN_ORDER


def test_numbers_in_names_and_codes_sort_by_value():
    assert sorted(shuffled(CELLS_IN_ORDER), key=names.name_sort_key) == CELLS_IN_ORDER
    assert sorted(["DB10", "DB2", "CB3", "DB1"], key=names.code_sort_key) == ["CB3", "DB1", "DB2", "DB10"]


def test_search_text_drops_case_and_diacritics_and_reads_d_for_dj():
    assert names.search_text("Chi bộ Ấp 3", "Đảng bộ xã Tân Xuân") == "chi bo ap 3 dang bo xa tan xuan"
    assert names.search_words("  TÂN   xuân ") == ["tan", "xuan"]


def _members_in_database_order(tree) -> list[str]:
    for name in shuffled(PEOPLE_IN_ORDER):
        MemberFactory(full_name=name, cell=tree.cell)
    return list(Member.objects.filter(cell=tree.cell).values_list("full_name", flat=True))


def _cells_in_database_order(tree) -> list[str]:
    for name in shuffled(CELLS_IN_ORDER):
        CellFactory(name=name, parent=tree.committee)
    cells = Organization.objects.filter(parent=tree.committee).exclude(pk__in=[tree.cell.pk, tree.cell2.pk])
    return list(cells.order_by("sort_key", "code").values_list("name", flat=True))


def test_the_database_orders_people_and_cells_the_vietnamese_way(tree):
    assert _members_in_database_order(tree) == PEOPLE_IN_ORDER
    assert _cells_in_database_order(tree) == CELLS_IN_ORDER


def test_postgresql_orders_people_and_cells_the_vietnamese_way(tree, postgres_required):
    """The same order on PostgreSQL: the sort keys compare byte by byte there too ("C" collation)."""
    assert _members_in_database_order(tree) == PEOPLE_IN_ORDER
    assert _cells_in_database_order(tree) == CELLS_IN_ORDER
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%gin_trgm_ops%' ORDER BY indexname"
        )
        indexes = [row[0] for row in cursor.fetchall()]
    assert indexes == [
        "assignments_cadre_search_text_trgm",
        "cells_member_search_text_trgm",
        "cells_organization_search_text_trgm",
    ]


def test_postgresql_searches_ignore_case_and_diacritics(tree, staff, client_for, postgres_required):
    tan_xuan = OrganizationFactory(code="TX", name="Đảng bộ xã Tân Xuân", parent=tree.root)
    CellFactory(code="TX-AP3", name="Chi bộ Ấp 3", parent=tan_xuan)
    text = visible_text(client_for(staff).get(reverse("cells:cell_list"), {"q": "tan xuan"}).content.decode())
    assert "Chi bộ Ấp 3 – Đảng bộ xã Tân Xuân" in text


# --- Labels -------------------------------------------------------------------------------------------
@pytest.fixture
def communes(tree):
    """Two communes that both have a "Chi bộ Ấp 4", as in the demo's eleven."""
    tan_xuan = OrganizationFactory(code="TX", name="Đảng bộ xã Tân Xuân", parent=tree.root)
    tan_hiep = OrganizationFactory(code="TH", name="Đảng bộ xã Tân Hiệp", parent=tree.root)
    return {
        "tan_xuan": tan_xuan,
        "tan_hiep": tan_hiep,
        "tx_ap4": CellFactory(code="TX-AP4", name="Chi bộ Ấp 4", parent=tan_xuan),
        "th_ap4": CellFactory(code="TH-AP4", name="Chi bộ Ấp 4", parent=tan_hiep),
        "tx_ap3": CellFactory(code="TX-AP3", name="Chi bộ Ấp 3", parent=tan_xuan),
    }


def test_a_cell_reads_with_its_committees_name(communes, tree):
    assert str(communes["tx_ap4"]) == "Chi bộ Ấp 4 – Đảng bộ xã Tân Xuân"
    assert str(communes["th_ap4"]) == "Chi bộ Ấp 4 – Đảng bộ xã Tân Hiệp"
    assert str(communes["tan_xuan"]) == "Đảng bộ xã Tân Xuân"  # a committee's name is its own


def test_renaming_a_committee_relabels_its_cells_and_moving_a_cell_relabels_it(communes):
    organization_update(communes["tan_xuan"], name="Đảng bộ phường Tân Xuân")
    communes["tx_ap4"].refresh_from_db()
    assert communes["tx_ap4"].label == "Chi bộ Ấp 4 – Đảng bộ phường Tân Xuân"
    assert "dang bo phuong tan xuan" in communes["tx_ap4"].search_text

    organization_update(communes["tx_ap3"], parent=communes["tan_hiep"])
    communes["tx_ap3"].refresh_from_db()
    assert communes["tx_ap3"].label == "Chi bộ Ấp 3 – Đảng bộ xã Tân Hiệp"


def test_the_cell_list_shows_labels_and_sorts_codes_naturally(communes, tree, staff, client_for):
    for number in (10, 2, 1):
        CellFactory(code=f"DB{number}", name=f"Chi bộ số {number}", parent=tree.committee)
    client = client_for(staff)
    text = visible_text(client.get(reverse("cells:cell_list")).content.decode())
    assert "Chi bộ Ấp 4 – Đảng bộ xã Tân Xuân" in text and "Chi bộ Ấp 4 – Đảng bộ xã Tân Hiệp" in text

    html = client.get(reverse("cells:cell_list"), {"sort": "code", "q": "so"}).content.decode()
    assert re.findall(r">(DB\d+)</a>", html) == ["DB1", "DB2", "DB10"]
    html = client.get(reverse("cells:cell_list"), {"q": "ap"}).content.decode()
    shown = re.findall(r">(Chi bộ Ấp \d – Đảng bộ xã Tân \w+)<", html)
    assert shown == ["Chi bộ Ấp 3 – Đảng bộ xã Tân Xuân", *sorted(shown[1:])]  # Ấp 3 before Ấp 4


def test_the_default_member_list_is_in_vietnamese_order(tree, staff, client_for):
    for name in shuffled(PEOPLE_IN_ORDER):
        MemberFactory(full_name=name, cell=tree.cell)
    html = client_for(staff).get(reverse("cells:member_list")).content.decode()
    shown = [name for name in re.findall(r"<td[^>]*>([^<]+)</td>", html) if name in PEOPLE_IN_ORDER]
    assert shown == PEOPLE_IN_ORDER


# --- Search -------------------------------------------------------------------------------------------
def test_every_search_box_ignores_case_and_diacritics(communes, tree, staff, client_for):
    MemberFactory(full_name="Nguyễn Văn Đức", cell=communes["tx_ap3"])
    CadreFactory(code="CB-X", full_name="Trần Thị Ánh", organization=tree.root)
    client = client_for(staff)

    def text(url_name: str, q: str) -> str:
        return visible_text(client.get(reverse(url_name), {"q": q}).content.decode())

    cells = text("cells:cell_list", "tan xuan")
    assert "Chi bộ Ấp 4 – Đảng bộ xã Tân Xuân" in cells and "Chi bộ Ấp 4 – Đảng bộ xã Tân Hiệp" not in cells
    assert "Chi bộ Ấp 3 – Đảng bộ xã Tân Xuân" in text("cells:cell_list", "ấp 3")
    assert "Chi bộ Ấp 3 – Đảng bộ xã Tân Xuân" in text("cells:cell_list", "AP 3 TAN XUAN")
    assert "Nguyễn Văn Đức" in text("cells:member_list", "nguyen van duc")
    assert "Nguyễn Văn Đức" in text("cells:member_list", "đuc")
    assert "Trần Thị Ánh" in text("assignments:cadre_list", "tran thi anh")
    assert "Chi bộ Ấp 4 – Đảng bộ xã Tân Hiệp" in text("cells:tree", "tan hiep")


def test_a_search_finds_only_rows_with_every_word(communes, tree, staff, client_for):
    html = client_for(staff).get(reverse("cells:cell_list"), {"q": "ap 4 tan hiep"}).content.decode()
    text = visible_text(html)
    assert "Chi bộ Ấp 4 – Đảng bộ xã Tân Hiệp" in text
    assert "Chi bộ Ấp 4 – Đảng bộ xã Tân Xuân" not in text


# --- Imports and existing rows ----------------------------------------------------------------------
def _import(kind: str, path: Path, *args: str) -> None:
    call_command("import_data", kind, str(path), *args, stdout=io.StringIO(), stderr=io.StringIO())


def test_imports_fill_labels_sort_keys_and_search_texts(tmp_path, tree):
    orgs = tmp_path / "orgs.csv"
    orgs.write_text(
        "code,name,kind,parent_code,cell_type_code\n"
        "TX,Đảng bộ xã Tân Xuân,committee,HU,\nTX-AP4,Chi bộ Ấp 4,cell,TX,AP\n",
        encoding="utf-8",
    )
    _import("organizations", orgs)
    cell = Organization.objects.get(code="TX-AP4")
    assert cell.label == "Chi bộ Ấp 4 – Đảng bộ xã Tân Xuân" and "tan xuan" in cell.search_text

    orgs.write_text(
        "code,name,kind,parent_code,cell_type_code\nTX,Đảng bộ phường Tân Xuân,committee,HU,\n",
        encoding="utf-8",
    )
    _import("organizations", orgs)
    cell.refresh_from_db()
    assert cell.label == "Chi bộ Ấp 4 – Đảng bộ phường Tân Xuân"

    members = tmp_path / "members.csv"
    members.write_text(
        "card_number,full_name,cell_code,status,joined_on\n79.1,Nguyễn Văn Đức,TX-AP4,official,\n",
        encoding="utf-8",
    )
    _import("members", members)
    member = Member.objects.get(card_number="79.1")
    assert member.search_text == "nguyen van duc 79.1"
    assert member.sort_key == names.person_sort_key("Nguyễn Văn Đức")
    members.write_text(
        "card_number,full_name,cell_code,status,joined_on\n79.1,Nguyễn Văn Dũng,TX-AP4,official,\n",
        encoding="utf-8",
    )
    _import("members", members)
    member.refresh_from_db()
    assert member.search_text == "nguyen van dung 79.1"

    cadres = tmp_path / "cadres.csv"
    cadres.write_text("code,full_name,position,email\nCB9,Lê Thị Ánh,committee,\n", encoding="utf-8")
    _import("cadres", cadres, "--root", "HU")
    cadre = Cadre.objects.get(code="CB9")
    assert cadre.search_text == "le thi anh cb9" and cadre.sort_key == names.person_sort_key("Lê Thị Ánh")
