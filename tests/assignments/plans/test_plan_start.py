"""Building the yearly plan quickly: starting from last year's plan (rechecked against this year's
hierarchy), one plan per issued year, deleting a draft, the header's missing fields, asking before
removing, and the amendment's pair picker. Asserted in Vietnamese, as staff read the pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse

from assignments.models import Assignment, AssignmentPlan, Cadre, PlanAmendment
from assignments.plans import copy as plan_copy
from assignments.plans import services as plans
from cells.hierarchy.services import organization_update
from cells.models import Organization
from tests.assignments.plans.factories import PlanTree, assign, draft_plan, plan_tree
from tests.factories import CadreFactory, CellFactory, cell_type

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page as a reader sees it: tags dropped, whitespace folded."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", body)


@dataclass
class Years:
    t: PlanTree
    last: AssignmentPlan  # 2026, issued
    successor: Organization  # "Chi bộ Ấp 4", what t.hamlet2 was merged into at the end of 2026
    leaver: Cadre  # a cadre of 2026 who moved to another root


@pytest.fixture
def years(tree, staff) -> Years:
    """2026's issued plan: Một → CQ, AP1; Hai → TH, AP2; Ba → AP1. At the end of 2026 AP2 is merged into
    Ấp 4, the school cell is dissolved, and Ba leaves for another district."""
    organization_update(tree.direct_cell, valid_to=date(2020, 12, 31))  # the personas' cell: not in play
    t = plan_tree(root=tree.root)
    leaver = CadreFactory(code="PCAD3", full_name="Phạm Văn Ba", organization=t.root)
    last = draft_plan(t.root, 2026, body="Nội dung", recipients="Như trên")
    assign(last, t.cadre, t.direct, t.hamlet)
    assign(last, t.cadre2, t.school, t.hamlet2)
    assign(last, leaver, t.hamlet)
    plans.plan_issue(plan=last, by=staff, issued_on=date(2026, 1, 5), overrides={"two_cell_types": "Tạm"})
    successor = CellFactory(
        code="P-AP4",
        name="Chi bộ Ấp 4",
        parent=t.committee,
        cell_type=cell_type("AP"),
        valid_from=date(2027, 1, 1),
    )
    organization_update(t.hamlet2, valid_to=date(2026, 12, 31), successor=successor)
    organization_update(t.school, valid_to=date(2026, 6, 30))
    leaver.organization = tree.other_root
    leaver.save(update_fields=["organization"])
    return Years(t=t, last=last, successor=successor, leaver=leaver)


def _start(client, years: Years, year: int = 2027):
    return client.post(reverse("assignments:plan_start"), {"source": years.last.pk, "year": year})


# --- Starting from last year's plan --------------------------------------------------------------------
def test_the_start_page_offers_last_years_issued_plan_for_the_next_year(client_for, staff, years):
    client = client_for(staff)
    plans_page = client.get(reverse("assignments:plan_list"))
    start_url = reverse("assignments:plan_start")
    assert f'href="{start_url}"' in plans_page.content.decode()
    assert "Lập từ thông báo năm trước" in text(plans_page)
    page = client.get(start_url)
    form = page.context["form"]
    assert (form["source"].value(), form["year"].value()) == (years.last.pk, 2027)
    assert f"Số {years.last.document_number} (2026) – Huyện ủy Hóc Môn" in text(page)


def test_starting_copies_the_header_and_the_pairs_that_still_hold(client_for, staff, years):
    t = years.t
    response = _start(client_for(staff), years)
    draft = AssignmentPlan.objects.get(year=2027)
    assert response.status_code == 302
    assert response["Location"] == reverse("assignments:plan_copy_result", args=[draft.pk])
    assert (draft.status, draft.copied_from, draft.created_by) == ("draft", years.last, staff)
    assert (draft.summary, draft.body, draft.signer_name, draft.recipients, draft.issuer_abbreviation) == (
        years.last.summary,
        "Nội dung",
        years.last.signer_name,
        "Như trên",
        "HU",
    )
    assert draft.number is None and draft.issued_on is None
    pairs = set(draft.assignments.values_list("cadre__code", "cell__code"))
    assert pairs == {(t.cadre.code, t.direct.code), (t.cadre.code, t.hamlet.code)}


def test_the_result_page_says_what_was_copied_offered_and_left_out(client_for, staff, years):
    client = client_for(staff)
    page = client.get(_start(client, years)["Location"])
    shown = text(page)
    assert f"Lập từ thông báo số {years.last.document_number} năm 2026" in shown
    assert "Đã chép: 2 cặp" in shown
    assert "Lê Văn Một → Chi bộ ấp 1 – Đảng bộ xã thử" in shown
    # The merged cell is named with its successor, one click away.
    assert "1 cặp cần đồng chí quyết định" in shown
    assert "Trần Thị Hai → Chi bộ ấp 2 – Đảng bộ xã thử" in shown
    assert "Đã sáp nhập vào Chi bộ Ấp 4 – Đảng bộ xã thử ngày 31/12/2026." in shown
    assert "Phân công Chi bộ Ấp 4 – Đảng bộ xã thử thay thế" in shown
    # Left out, each with why.
    assert "Bị bỏ lại: 2 cặp" in shown
    assert "Trần Thị Hai → Chi bộ trường – Đảng bộ xã thử: Đã giải thể ngày 30/06/2026." in shown
    assert "Phạm Văn Ba không còn là cán bộ của cấp ủy." in shown
    # The rules are rechecked for the new year.
    assert 'data-testid="plan-findings"' in page.content.decode()
    draft = AssignmentPlan.objects.get(year=2027)
    assert f'href="{draft.get_absolute_url()}"' in page.content.decode()


def test_one_click_assigns_the_successor_instead(client_for, staff, years):
    client = client_for(staff)
    result_url = _start(client, years)["Location"]
    draft = AssignmentPlan.objects.get(year=2027)
    data = {"cadre": years.t.cadre2.pk, "cell": years.t.hamlet2.pk, "action": "successor"}
    response = client.post(result_url, data)
    assert response.status_code == 302 and response["Location"] == result_url
    assert draft.assignments.filter(cadre=years.t.cadre2, cell=years.successor).exists()
    shown = text(client.get(result_url))
    assert "Thay bằng chi bộ kế thừa: 1 cặp" in shown
    assert "Trần Thị Hai: Chi bộ ấp 2 – Đảng bộ xã thử → Chi bộ Ấp 4 – Đảng bộ xã thử" in shown
    assert "cần đồng chí quyết định" not in shown


def test_skipping_leaves_the_pair_out_on_record(client_for, staff, years):
    client = client_for(staff)
    result_url = _start(client, years)["Location"]
    client.post(result_url, {"cadre": years.t.cadre2.pk, "cell": years.t.hamlet2.pk, "action": "skip"})
    draft = AssignmentPlan.objects.get(year=2027)
    assert draft.copy_skipped == [[years.t.cadre2.pk, years.t.hamlet2.pk]]
    assert not draft.assignments.filter(cadre=years.t.cadre2).exists()
    shown = text(client.get(result_url))
    assert "Bị bỏ lại: 3 cặp" in shown and "Đã chọn bỏ qua." in shown
    assert "cần đồng chí quyết định" not in shown


def test_a_pair_not_in_the_source_plan_cannot_be_decided(client_for, staff, years):
    client = client_for(staff)
    result_url = _start(client, years)["Location"]
    foreign = {"cadre": years.t.cadre.pk, "cell": years.t.hamlet2.pk, "action": "successor"}
    assert client.post(result_url, foreign).status_code == 404
    assert AssignmentPlan.objects.get(year=2027).assignments.count() == 2


def test_the_draft_links_back_to_what_the_copy_did(client_for, staff, years):
    client = client_for(staff)
    result_url = _start(client, years)["Location"]
    detail = client.get(AssignmentPlan.objects.get(year=2027).get_absolute_url())
    assert f'href="{result_url}"' in detail.content.decode()
    assert "Xem các cặp đã chép, đã thay và bị bỏ lại" in text(detail)


def test_a_start_into_the_same_or_an_earlier_year_is_refused(client_for, staff, years):
    response = _start(client_for(staff), years, year=2026)
    assert response.status_code == 200
    assert "Hãy chọn năm sau năm của thông báo được dùng làm gốc." in text(response)
    assert AssignmentPlan.objects.count() == 1


def test_the_copy_service_keeps_only_what_holds_in_the_year(years):
    draft = plan_copy.plan_copy(source=years.last, year=2027)
    outcome = plan_copy.plan_copy_outcome(draft)
    assert [(f.cadre.code, f.cell.code) for f in outcome.copied] == [("PCAD1", "P-AP1"), ("PCAD1", "P-CQ")]
    assert [(f.cell.code, f.successor.code) for f in outcome.pending] == [("P-AP2", "P-AP4")]
    assert sorted(f.cell.code for f in outcome.left_out) == ["P-AP1", "P-TH"]
    assert outcome.replaced == []


# --- One plan per issued year, and deleting a draft ----------------------------------------------------
def test_a_second_plan_for_an_issued_year_is_refused_with_a_link_to_amend(client_for, staff, years):
    client = client_for(staff)
    response = client.post(
        reverse("assignments:plan_create"), {"year": 2026, "issuer_abbreviation": "HU", "max_load": 4}
    )
    assert response.status_code == 200
    amend_url = reverse("assignments:plan_amend", args=[years.last.pk])
    assert f'href="{amend_url}"' in response.content.decode()
    shown = text(response)
    assert "Điều chỉnh thông báo đã ban hành" in shown
    assert AssignmentPlan.objects.filter(year=2026).count() == 1
    assert client.get(amend_url).status_code == 200  # the link leads to the amendment


def test_starting_into_an_issued_year_is_refused_with_the_same_link(client_for, staff, years):
    earlier = draft_plan(years.t.root, 2025)
    response = client_for(staff).post(reverse("assignments:plan_start"), {"source": earlier.pk, "year": 2026})
    amend_url = reverse("assignments:plan_amend", args=[years.last.pk])
    assert f'href="{amend_url}"' in response.content.decode()
    assert AssignmentPlan.objects.filter(year=2026).count() == 1


def test_a_draft_is_deleted_after_a_confirmation_page(client_for, staff, years):
    client = client_for(staff)
    draft = plan_copy.plan_copy(source=years.last, year=2027)
    detail = client.get(draft.get_absolute_url())
    delete_url = reverse("assignments:plan_delete", args=[draft.pk])
    assert f'href="{delete_url}"' in detail.content.decode()
    confirm = client.get(delete_url)
    shown = text(confirm)
    assert "Xóa dự thảo thông báo năm 2027" in shown
    assert "Dự thảo cùng 2 phân công sẽ bị xóa hẳn và không thể khôi phục." in shown
    assert AssignmentPlan.objects.filter(pk=draft.pk).exists()  # asking changed nothing
    response = client.post(delete_url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("assignments:plan_list")
    assert "Đã xóa dự thảo thông báo năm 2027." in text(response)
    assert not AssignmentPlan.objects.filter(pk=draft.pk).exists()
    assert not Assignment.objects.filter(plan_id=draft.pk).exists()


def test_an_issued_plan_cannot_be_deleted(client_for, staff, years):
    client = client_for(staff)
    delete_url = reverse("assignments:plan_delete", args=[years.last.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url).status_code == 403
    assert 'data-testid="plan-delete"' not in client.get(years.last.get_absolute_url()).content.decode()
    assert AssignmentPlan.objects.filter(pk=years.last.pk).exists()


# --- The header on issue -------------------------------------------------------------------------------
def test_issue_names_each_missing_header_field_and_links_to_it(client_for, staff, years):
    draft = plans.plan_create(root=years.t.root, year=2027, issuer_abbreviation="HU", summary="Trích yếu")
    assign(draft, years.t.cadre, years.t.direct, years.t.hamlet)
    client = client_for(staff)
    issue_url = reverse("assignments:plan_issue", args=[draft.pk])
    page = client.get(issue_url)
    edit_url = reverse("assignments:plan_edit", args=[draft.pk])
    body = page.content.decode()
    assert "Phần đầu thông báo chưa đủ. Cần điền:" in text(page)
    assert f'href="{edit_url}#id_signer_name">Người ký</a>' in body
    assert f'href="{edit_url}#id_signer_title">Chức vụ người ký</a>' in body
    response = client.post(issue_url, {"issued_on": "2027-01-05"})
    assert response.status_code == 200  # the form again, on the page's own (GET-able) address
    assert "Còn thiếu “Người ký”: hãy điền ở phần đầu thông báo trước khi ban hành." in text(response)
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.number is None
    assert 'id="id_signer_name"' in client.get(edit_url).content.decode()  # the anchor exists


# --- Removing an assignment asks first -----------------------------------------------------------------
def test_removing_an_assignment_asks_first_without_javascript(client_for, staff, years):
    draft = plan_copy.plan_copy(source=years.last, year=2027)
    assignment = draft.assignments.get(cell=years.t.hamlet)
    client = client_for(staff)
    url = reverse("assignments:plan_unassign", args=[draft.pk, assignment.pk])
    assert f'href="{url}"' in client.get(draft.get_absolute_url()).content.decode()
    confirm = client.get(url)
    assert (
        "Bỏ Chi bộ ấp 1 – Đảng bộ xã thử khỏi các chi bộ của Lê Văn Một trong dự thảo thông báo năm 2027?"
        in text(confirm)
    )
    assert draft.assignments.filter(pk=assignment.pk).exists()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    assert not draft.assignments.filter(pk=assignment.pk).exists()


def test_with_htmx_the_removal_asks_in_a_dialog_and_swaps_the_row(client_for, staff, years):
    draft = plan_copy.plan_copy(source=years.last, year=2027)
    assignment = draft.assignments.get(cell=years.t.hamlet)
    client = client_for(staff)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert 'hx-confirm="Bỏ Chi bộ ấp 1 – Đảng bộ xã thử khỏi các chi bộ của Lê Văn Một?"' in page
    url = reverse("assignments:plan_unassign", args=[draft.pk, assignment.pk])
    response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200 and f'id="cadre-row-{years.t.cadre.pk}"' in response.content.decode()
    assert not draft.assignments.filter(pk=assignment.pk).exists()


# --- Amending with the pair picker ---------------------------------------------------------------------
def test_the_amend_picker_finds_a_cadre_then_a_cell(client_for, staff, years):
    client = client_for(staff)
    url = reverse("assignments:plan_amend", args=[years.last.pk])
    page = client.get(url)
    assert "Hoặc dán danh sách mã (mã cán bộ, mã chi bộ)" in text(page)
    assert '<details class="mt-3" data-testid="amend-paste">' in page.content.decode()  # collapsed
    found = client.get(url, {"pick_q": "Hai"})
    assert "Trần Thị Hai" in text(found) and "Lê Văn Một" not in text(found).split("Bỏ phân công")[0]
    cells = client.get(url, {"pick_cadre": years.t.cadre2.pk, "pick_cell_q": "ấp 1"})
    assert "Chi bộ cho Trần Thị Hai: mã hoặc tên" in text(cells)
    assert f'value="{years.t.cadre2.pk}:{years.t.hamlet.pk}"' in cells.content.decode()


def test_without_javascript_a_picked_pair_is_kept_until_the_amendment_is_recorded(client_for, staff, years):
    t = years.t
    client = client_for(staff)
    url = reverse("assignments:plan_amend", args=[years.last.pk])
    token = f"{t.cadre2.pk}:{t.hamlet.pk}"
    picked = client.post(url, {"reason": "", "add_pick": token, "pick_cadre": t.cadre2.pk})
    assert picked.status_code == 200
    assert "Thêm Trần Thị Hai → Chi bộ ấp 1 – Đảng bộ xã thử" in text(picked)
    assert f'name="add_pair" value="{token}"' in picked.content.decode()
    assert not PlanAmendment.objects.exists()
    removed = years.last.assignments.get(cadre=t.cadre, cell=t.direct)
    response = client.post(url, {"reason": "Điều động", "add_pair": token, "remove": removed.pk})
    assert response.status_code == 302
    amendment = PlanAmendment.objects.get()
    assert [(a["cadre"], a["cell"]) for a in amendment.added] == [(t.cadre2.code, t.hamlet.code)]
    assert [(a["cadre"], a["cell"]) for a in amendment.removed] == [(t.cadre.code, t.direct.code)]
    assert years.last.assignments.filter(cadre=t.cadre2, cell=t.hamlet).exists()


def test_removal_is_ticked_in_the_cadres_row(client_for, staff, years):
    page = client_for(staff).get(reverse("assignments:plan_amend", args=[years.last.pk])).content.decode()
    row = page.split(f'data-cadre="{years.t.cadre.code}"')[1].split("</tr>")[0]
    hamlet = years.last.assignments.get(cadre=years.t.cadre, cell=years.t.hamlet)
    assert f'name="remove" value="{hamlet.pk}"' in row
    assert "Chi bộ ấp 1 – Đảng bộ xã thử" in row


def test_a_tampered_pair_is_refused(client_for, staff, years, tree):
    outside = CellFactory(parent=tree.other_root)
    url = reverse("assignments:plan_amend", args=[years.last.pk])
    response = client_for(staff).post(url, {"reason": "X", "add_pair": f"{years.t.cadre.pk}:{outside.pk}"})
    assert response.status_code == 200
    assert "Cán bộ hoặc chi bộ được chọn không thuộc cấp ủy ban hành thông báo này." in text(response)
    assert not PlanAmendment.objects.exists()


# --- Query counts ----------------------------------------------------------------------------------------
def _grow(years: Years, size: int) -> None:
    """``size`` more cadres with two cells each in 2026's plan, half of the cells merged away."""
    t = years.t
    for _n in range(size):
        cadre = CadreFactory(organization=t.root)
        kept = CellFactory(parent=t.committee, cell_type=cell_type("AP"))
        merged = CellFactory(
            parent=t.committee,
            cell_type=cell_type("TH"),
            valid_to=date(2026, 12, 31),
            successor=years.successor,
        )
        Assignment.objects.bulk_create(
            [
                Assignment(plan=years.last, cadre=cadre, cell=kept),
                Assignment(plan=years.last, cadre=cadre, cell=merged),
            ]
        )


@pytest.mark.parametrize("size", [2, 12])
def test_the_new_pages_take_a_fixed_number_of_queries(
    client_for, staff, years, size, django_assert_max_num_queries
):
    _grow(years, size)
    client = client_for(staff)
    result_url = _start(client, years)["Location"]
    with django_assert_max_num_queries(14):
        assert client.get(result_url).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("assignments:plan_start")).status_code == 200
    amend_url = reverse("assignments:plan_amend", args=[years.last.pk])
    with django_assert_max_num_queries(11):
        assert client.get(amend_url, {"pick_cadre": years.t.cadre.pk, "pick_cell_q": "P"}).status_code == 200
    draft = AssignmentPlan.objects.get(year=2027)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("assignments:plan_delete", args=[draft.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("assignments:plan_issue", args=[draft.pk])).status_code == 200
    assignment = draft.assignments.first()
    with django_assert_max_num_queries(8):
        unassign = reverse("assignments:plan_unassign", args=[draft.pk, assignment.pk])
        assert client.get(unassign).status_code == 200


def test_only_staff_of_the_plans_root_post_the_new_forms(client_for, staff, leader, outsider, years):
    draft = plan_copy.plan_copy(source=years.last, year=2027)
    result_url = reverse("assignments:plan_copy_result", args=[draft.pk])
    decision = {"cadre": years.t.cadre2.pk, "cell": years.t.hamlet2.pk, "action": "successor"}
    delete_url = reverse("assignments:plan_delete", args=[draft.pk])
    start = {"source": years.last.pk, "year": 2028}
    for user, expected in ((leader, 403), (outsider, 404)):
        client = client_for(user)
        assert client.post(result_url, decision).status_code == expected
        assert client.post(delete_url).status_code == expected
    assert client_for(leader).post(reverse("assignments:plan_start"), start).status_code == 403
    assert client_for(outsider).post(reverse("assignments:plan_start"), start).status_code == 200  # not his
    assert AssignmentPlan.objects.filter(pk=draft.pk).exists()
    assert draft.assignments.count() == 2 and not AssignmentPlan.objects.filter(year=2028).exists()
    issued_result = client_for(staff).post(
        reverse("assignments:plan_copy_result", args=[draft.pk]), {**decision, "action": "nonsense"}
    )
    assert issued_result.status_code == 404
