"""The yearly plan: drafting, issuing under gap-free numbers, overrides, amendments, and the plan pages."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assignment, AssignmentPlan, DocumentSeries, PlanAmendment, RuleOverride
from assignments.plans import services as plans
from assignments.plans.rules import Rule
from cells.hierarchy.services import organization_update
from tests.assignments.plans.factories import HEADER, assign, draft_plan, passing_plan, plan_tree
from tests.factories import CadreFactory, CellFactory, MemberFactory, OrganizationFactory, cell_type


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in English (the Vietnamese catalogue arrives later)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def t(tree):
    """Cells of several types under the personas' root HU (prefix "P"). The personas' own direct cell
    HU-CQ closed in 2020, so that ``passing_plan`` follows every rule."""
    organization_update(tree.direct_cell, valid_to=date(2020, 12, 31))
    return plan_tree(root=tree.root)


def _issue(plan, by, **kwargs) -> AssignmentPlan:
    return plans.plan_issue(plan=plan, by=by, issued_on=date(2026, 1, 5), **kwargs)


# === Services ===================================================================================================
# --- Drafting ---------------------------------------------------------------------------------------------------
def test_a_new_draft_takes_the_abbreviation_of_the_roots_last_plan(tree):
    first = plans.plan_create(root=tree.root, year=2025, issuer_abbreviation="HUHM")
    second = plans.plan_create(root=tree.root, year=2026)
    assert second.issuer_abbreviation == "HUHM"
    assert (second.status, second.number, first.status) == (AssignmentPlan.Status.DRAFT, None, "draft")
    assert plans.plan_create(root=tree.other_root, year=2026).issuer_abbreviation == "HU2"


@pytest.mark.parametrize("year", [1999, 2101])
def test_a_plan_year_must_be_plausible(tree, year):
    with pytest.raises(ValidationError) as error:
        plans.plan_create(root=tree.root, year=year)
    assert "year" in error.value.message_dict
    assert not AssignmentPlan.objects.exists()


def test_a_cell_is_not_a_plan_issuer(tree):
    with pytest.raises(ValidationError):
        plans.plan_create(root=tree.cell, year=2026)


def test_assignments_are_checked_before_they_are_added(t, tree):
    plan = draft_plan(t.root)
    foreign_cadre = CadreFactory(organization=tree.other_root)
    closed = CellFactory(parent=t.committee, valid_to=date(2025, 12, 31))
    cases = [
        (t.cadre, t.committee, "is a committee, not a cell"),
        (t.cadre, tree.other_cell, "is not under this plan's committee"),
        (t.cadre, closed, "does not exist in 2026"),
        (foreign_cadre, t.hamlet, "is not a cadre of this plan's committee"),
    ]
    for cadre, cell, message in cases:
        with pytest.raises(ValidationError, match=message):
            plans.assignment_add(plan=plan, cadre=cadre, cell=cell)
    plans.assignment_add(plan=plan, cadre=t.cadre, cell=t.hamlet)
    with pytest.raises(ValidationError, match="already assigned"):
        plans.assignment_add(plan=plan, cadre=t.cadre, cell=t.hamlet)
    assert list(plan.assignments.values_list("cell__code", flat=True)) == [t.hamlet.code]


def test_an_issued_plan_is_not_edited_directly(t, staff):
    plan = passing_plan(t)
    stale = AssignmentPlan.objects.get(pk=plan.pk)  # a page opened before the plan was issued
    _issue(plan, staff)
    assert plan.is_issued
    assignment = plan.assignments.first()
    for write in (
        lambda: plans.plan_update(plan=plan, summary="Khác"),
        lambda: plans.plan_update(plan=stale, summary="Khác"),
        lambda: plans.assignment_add(plan=stale, cadre=t.cadre, cell=t.school),
        lambda: plans.assignment_remove(assignment=assignment),
    ):
        with pytest.raises(ValidationError, match="only through an amendment"):
            write()
    assert plan.assignments.count() == 4


# --- Issuing ------------------------------------------------------------------------------------------------------
def test_issuing_allocates_the_next_number_of_the_roots_series(t, staff):
    plan = _issue(passing_plan(t), staff)
    plan.refresh_from_db()
    assert (plan.status, plan.number, plan.issued_on) == ("issued", 1, date(2026, 1, 5))
    assert plan.document_number == "1-TB/HU"
    second = _issue(passing_plan(t, year=2027), staff)
    assert second.number == 2  # same issuer, same type, issued in the same year
    series = DocumentSeries.objects.get()
    assert (series.issuer, series.doc_type, series.year, series.last_number) == (t.root, "TB", 2026, 2)


def test_each_calendar_year_of_issue_starts_a_new_series(t, staff):
    late = plans.plan_issue(plan=passing_plan(t, 2026), by=staff, issued_on=date(2025, 12, 28))
    early = plans.plan_issue(plan=passing_plan(t, 2027), by=staff, issued_on=date(2026, 1, 2))
    assert (late.number, early.number) == (1, 1)
    assert DocumentSeries.objects.count() == 2


def test_issue_is_refused_without_an_override_and_uses_no_number(t, staff):
    plan = draft_plan(t.root)
    assign(plan, t.cadre, t.direct, t.school)
    assign(plan, t.cadre2, t.hamlet)  # only one cell type
    with pytest.raises(ValidationError) as error:
        _issue(plan, staff)
    assert list(error.value.message_dict) == ["override_two_cell_types"]
    plan.refresh_from_db()
    assert (plan.status, plan.number) == ("draft", None)
    assert not RuleOverride.objects.exists()
    # The refused attempt gave its number back: the next issue still gets 1.
    assert _issue(passing_plan(t, 2027), staff).number == 1


def test_a_blank_reason_is_no_override(t, staff):
    plan = draft_plan(t.root)
    assign(plan, t.cadre, t.school, t.hamlet)  # the direct cell P-CQ has nobody
    with pytest.raises(ValidationError, match="give a reason"):
        _issue(plan, staff, overrides={Rule.DIRECT_CELLS: "   "})


def test_an_override_with_a_reason_issues_the_plan_and_is_recorded(t, staff):
    plan = draft_plan(t.root)
    assign(plan, t.cadre, t.direct, t.school)
    assign(plan, t.cadre2, t.hamlet)
    reason = "Đồng chí Hai mới được phân công, bổ sung ở quý II."
    issued = _issue(plan, staff, overrides={Rule.TWO_CELL_TYPES: reason, Rule.MAX_LOAD: "not failing"})
    assert issued.is_issued
    override = RuleOverride.objects.get()
    assert (override.plan, override.rule, override.reason, override.created_by) == (
        plan,
        Rule.TWO_CELL_TYPES,
        reason,
        staff,
    )


def test_a_notice_needs_its_header_before_it_is_issued(t, staff):
    plan = passing_plan(t)
    plans.plan_update(plan=plan, signer_name="", summary="")
    with pytest.raises(ValidationError) as error:
        _issue(plan, staff)
    assert set(error.value.message_dict) == {"signer_name", "summary"}


def test_one_issued_plan_per_root_and_year(t, staff):
    rival = passing_plan(t)  # a second draft of the year, made before the first one was issued
    first = _issue(passing_plan(t), staff)
    with pytest.raises(
        ValidationError, match=r"already issued as No\. 1-TB/HU; change it through an amendment"
    ):
        _issue(rival, staff)
    rival.refresh_from_db()
    assert rival.status == "draft"
    assert _issue(passing_plan(t, 2027), staff).number == first.number + 1  # no number was lost
    with pytest.raises(ValidationError, match="only through an amendment"):
        _issue(first, staff)  # issuing twice


def test_the_number_comes_only_inside_a_transaction(transactional_db, django_db_serialized_rollback):
    root = OrganizationFactory(code="HU")
    with pytest.raises(RuntimeError):
        plans.document_number_next(issuer=root, doc_type="TB", year=2026)
    with transaction.atomic():
        assert plans.document_number_next(issuer=root, doc_type="TB", year=2026) == 1


# --- Under concurrency (PostgreSQL) -------------------------------------------------------------------------
def _in_threads(*jobs) -> list:
    """Run each job in its own thread (its own database connection), all released at once."""
    start = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index: int, job) -> None:
        try:
            start.wait()
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - the test inspects it
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.postgres
def test_two_concurrent_issues_get_two_consecutive_numbers(
    transactional_db, django_db_serialized_rollback, postgres_required
):
    cell_type("AP")
    t = plan_tree()
    staff = None
    drafts = [passing_plan(t, 2026), passing_plan(t, 2027)]
    results = _in_threads(*[lambda plan=plan: plans.plan_issue(plan=plan, by=staff) for plan in drafts])
    assert all(isinstance(result, AssignmentPlan) for result in results), results
    numbers = sorted(AssignmentPlan.objects.values_list("number", flat=True))
    assert numbers == [1, 2]
    assert DocumentSeries.objects.get().last_number == 2


@pytest.mark.postgres
def test_concurrent_numbers_never_repeat_or_skip(
    transactional_db, django_db_serialized_rollback, postgres_required
):
    root = OrganizationFactory(code="HU")

    def take() -> int:
        with transaction.atomic():
            number = plans.document_number_next(issuer=root, doc_type="TB", year=2026)
            threading.Event().wait(0.05)  # hold the lock a moment so the others queue behind it
            return number

    results = _in_threads(*[take] * 6)
    assert sorted(results) == [1, 2, 3, 4, 5, 6]


@pytest.mark.postgres
def test_concurrent_issues_of_the_same_year_issue_one_plan(
    transactional_db, django_db_serialized_rollback, postgres_required
):
    cell_type("AP")
    t = plan_tree()
    drafts = [passing_plan(t, 2026), passing_plan(t, 2026)]
    results = _in_threads(*[lambda plan=plan: plans.plan_issue(plan=plan, by=None) for plan in drafts])
    issued = [result for result in results if isinstance(result, AssignmentPlan)]
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert (len(issued), len(refused)) == (1, 1), results
    assert DocumentSeries.objects.get().last_number == 1  # the refused one gave its number back


# --- Amending -------------------------------------------------------------------------------------------------
def test_an_amendment_changes_the_issued_plan_and_records_its_history(t, staff):
    plan = _issue(passing_plan(t), staff)
    removed = plan.assignments.get(cadre=t.cadre2, cell=t.hamlet2)
    amendment = plans.plan_amend(
        plan=plan, by=staff, reason="Điều chỉnh theo đề nghị", add=[(t.cadre2, t.direct)], remove=[removed]
    )
    assert (amendment.sequence, amendment.created_by, amendment.reason) == (
        1,
        staff,
        "Điều chỉnh theo đề nghị",
    )
    assert amendment.added == [
        {
            "cadre": t.cadre2.code,
            "cadre_name": t.cadre2.full_name,
            "cell": t.direct.code,
            "cell_name": t.direct.name,
        }
    ]
    assert [item["cell"] for item in amendment.removed] == [t.hamlet2.code]
    plan.refresh_from_db()
    assert plan.amendment_count == 1
    assert set(plan.assignments.filter(cadre=t.cadre2).values_list("cell__code", flat=True)) == {
        t.school.code,
        t.direct.code,
    }
    second = plans.plan_amend(plan=plan, by=staff, reason="Bổ sung", add=[(t.cadre, t.school)])
    assert second.sequence == 2
    assert list(PlanAmendment.objects.values_list("sequence", flat=True)) == [1, 2]
    assert plan.status == "issued" and plan.number == 1  # the number stays


def test_an_amendment_needs_a_reason_and_a_change(t, staff):
    plan = _issue(passing_plan(t), staff)
    with pytest.raises(ValidationError) as error:
        plans.plan_amend(plan=plan, by=staff, reason=" ", add=[])
    assert set(error.value.message_dict) == {"reason", "__all__"}
    with pytest.raises(ValidationError, match="already assigned"):
        plans.plan_amend(plan=plan, by=staff, reason="x", add=[(t.cadre, t.direct)])
    with pytest.raises(ValidationError, match="listed twice"):
        plans.plan_amend(plan=plan, by=staff, reason="x", add=[(t.cadre, t.school), (t.cadre, t.school)])
    assert not PlanAmendment.objects.exists()
    assert plan.assignments.count() == 4


def test_a_draft_is_not_amended(t, staff):
    with pytest.raises(ValidationError, match="edit the draft instead"):
        plans.plan_amend(plan=passing_plan(t), by=staff, reason="x", add=[(t.cadre, t.school)])


# === Pages ======================================================================================================
def _detail(plan) -> str:
    return reverse("assignments:plan_detail", args=[plan.pk])


def _htmx(client, url: str, data: dict):
    return client.post(url, data, HTTP_HX_REQUEST="true")


def test_staff_create_a_draft_for_their_root(client_for, staff, tree):
    response = client_for(staff).post(
        reverse("assignments:plan_create"),
        {
            "year": 2027,
            "issuer_abbreviation": "HU",
            "max_load": 4,
            "signer_authority": "T/M BAN THƯỜNG VỤ",
            **HEADER,
        },
    )
    plan = AssignmentPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(plan)
    assert (plan.root, plan.year, plan.status, plan.created_by) == (tree.root, 2027, "draft", staff)


def test_the_create_form_rejects_an_impossible_year(client_for, staff, tree):
    response = client_for(staff).post(reverse("assignments:plan_create"), {"year": 1990, "max_load": 4})
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert not AssignmentPlan.objects.exists()


def test_the_editor_lists_every_cadre_of_the_root_with_search_boxes(client_for, staff, t, cadre_user):
    plan = draft_plan(t.root)
    assign(plan, t.cadre, t.hamlet)
    response = client_for(staff).get(_detail(plan))
    assert response.status_code == 200
    html = response.content.decode()
    codes = [cadre.code for cadre in response.context["rows"]]
    assert set(codes) == {t.cadre.code, t.cadre2.code, "CAD1"}
    assert html.count('data-testid="cell-search"') == 3
    assert 'data-cell="P-AP1"' in html
    assert 'data-flag="two_cell_types"' in html  # t.cadre has only a hamlet
    assert 'data-rule="direct_cells"' in html and 'data-testid="plan-issue"' in html


def test_leadership_read_the_plan_without_editing(client_for, leader, t):
    plan = draft_plan(t.root)
    assign(plan, t.cadre, t.hamlet)
    html = client_for(leader).get(_detail(plan)).content.decode()
    assert 'data-cell="P-AP1"' in html and t.cadre2.full_name not in html  # only cadres with cells
    for control in ('data-testid="cell-search"', 'data-testid="plan-issue"', "data-unassign", "plan-edit"):
        assert control not in html


def test_cell_search_finds_assignable_cells_by_code_or_name(client_for, staff, t, tree):
    plan = draft_plan(t.root)
    assign(plan, t.cadre, t.hamlet)
    client = client_for(staff)
    url = reverse("assignments:plan_cell_search", args=[plan.pk])
    found = client.get(url, {"q": "ấp", "cadre": t.cadre.pk}).context["cells"]
    # Not P-AP1, which the cadre has already; HU-CQ closed in 2020.
    assert {cell.code for cell in found} == {t.hamlet2.code, tree.cell.code, tree.sibling_cell.code}
    by_code = client.get(url, {"q": "p-th", "cadre": t.cadre2.pk})
    assert [cell.code for cell in by_code.context["cells"]] == [t.school.code]
    assert f'data-assign="{t.school.code}"' in by_code.content.decode()
    assert list(client.get(url, {"q": "HU2", "cadre": t.cadre.pk}).context["cells"]) == []  # another root
    assert list(client.get(url, {"q": "PXA", "cadre": t.cadre.pk}).context["cells"]) == []  # a committee
    assert (
        client.get(url, {"q": "ấp", "cadre": CadreFactory(organization=tree.other_root).pk}).status_code
        == 404
    )


def test_assigning_through_htmx_returns_the_row_and_tells_the_checks_to_reload(client_for, staff, t):
    plan = draft_plan(t.root)
    client = client_for(staff)
    response = _htmx(
        client, reverse("assignments:plan_assign", args=[plan.pk]), {"cadre": t.cadre.pk, "cell": t.school.pk}
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "planChanged"
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="cadre-row-{t.cadre.pk}"')
    assert 'data-cell="P-TH"' in html and 'data-flag="two_cell_types"' in html
    assert list(plan.assignments.values_list("cadre", "cell")) == [(t.cadre.pk, t.school.pk)]
    again = _htmx(
        client, reverse("assignments:plan_assign", args=[plan.pk]), {"cadre": t.cadre.pk, "cell": t.school.pk}
    )
    assert "already assigned" in again.content.decode() and "HX-Trigger" not in again
    assert plan.assignments.count() == 1


def test_assigning_without_htmx_goes_back_to_the_editor(client_for, staff, t):
    plan = draft_plan(t.root)
    response = client_for(staff).post(
        reverse("assignments:plan_assign", args=[plan.pk]), {"cadre": t.cadre.pk, "cell": t.direct.pk}
    )
    assert response.status_code == 302 and response["Location"] == _detail(plan)
    assert plan.assignments.get().cell == t.direct


def test_a_cell_of_another_root_cannot_be_posted(client_for, staff, t, tree):
    plan = draft_plan(t.root)
    response = _htmx(
        client_for(staff),
        reverse("assignments:plan_assign", args=[plan.pk]),
        {"cadre": t.cadre.pk, "cell": tree.other_cell.pk},
    )
    assert "Select a valid choice" in response.content.decode()
    assert not plan.assignments.exists()


def test_unassigning_removes_the_cell(client_for, staff, t):
    plan = draft_plan(t.root)
    assign(plan, t.cadre, t.hamlet, t.school)
    assignment = plan.assignments.get(cell=t.hamlet)
    response = _htmx(
        client_for(staff), reverse("assignments:plan_unassign", args=[plan.pk, assignment.pk]), {}
    )
    assert response["HX-Trigger"] == "planChanged"
    assert 'data-cell="P-AP1"' not in response.content.decode()
    assert list(plan.assignments.values_list("cell", flat=True)) == [t.school.pk]


def test_the_checks_panel_shows_coverage_and_findings(client_for, leader, t):
    plan = draft_plan(t.root)
    assign(plan, t.cadre, t.direct, t.hamlet)
    response = client_for(leader).get(reverse("assignments:plan_checks", args=[plan.pk]))
    html = response.content.decode()
    assert 'data-rule="priority_types"' in html and 'data-code="TH"' in html
    assert 'hx-trigger="planChanged from:body"' in html
    tiers = {line.key: (line.assigned, line.total) for line in response.context["coverage"].tiers}
    assert tiers["direct"] == (1, 1)


def test_staff_edit_the_header_of_a_draft_only(client_for, staff, t):
    plan = passing_plan(t)
    client = client_for(staff)
    data = {
        "year": 2026,
        "issuer_abbreviation": "HU",
        "summary": "Phân công năm 2026",
        "signer_name": "Nguyễn Văn Mới",
        "signer_title": "Bí thư",
        "signer_authority": "T/M BAN THƯỜNG VỤ",
        "recipients": "Ban Thường vụ\nCác đảng bộ cơ sở",
        "max_load": 5,
        "body": "",
    }
    response = client.post(reverse("assignments:plan_edit", args=[plan.pk]), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.signer_name, plan.max_load, plan.recipients) == (
        "Nguyễn Văn Mới",
        5,
        "Ban Thường vụ\nCác đảng bộ cơ sở",
    )
    _issue(plan, staff)
    assert client.get(reverse("assignments:plan_edit", args=[plan.pk])).status_code == 403
    assert client.post(reverse("assignments:plan_assign", args=[plan.pk]), {}).status_code == 403


def test_issue_page_asks_a_reason_for_each_failing_rule(client_for, staff, t):
    plan = draft_plan(t.root)
    assign(plan, t.cadre, t.direct, t.school)
    assign(plan, t.cadre2, t.hamlet)
    client = client_for(staff)
    url = reverse("assignments:plan_issue", args=[plan.pk])
    form = client.get(url).context["form"]
    assert [name for name in form.fields if name.startswith("override_")] == ["override_two_cell_types"]
    refused = client.post(url, {"issued_on": "2026-01-05"})
    assert refused.status_code == 200
    assert "give a reason" in str(refused.context["form"].errors["override_two_cell_types"])
    plan.refresh_from_db()
    assert plan.status == "draft"
    issued = client.post(url, {"issued_on": "2026-01-05", "override_two_cell_types": "Cán bộ mới"})
    assert issued.status_code == 302
    detail = client.get(_detail(plan))
    html = detail.content.decode()
    assert "1-TB/HU" in html and "05/01/2026" in html and "Cán bộ mới" in html
    assert reverse("assignments:plan_notice_pdf", args=[plan.pk]) in html
    assert client.get(url).status_code == 403  # issued already


def test_issue_page_says_when_the_year_is_already_issued(client_for, staff, t):
    rival = passing_plan(t)  # drafted before the other one was issued
    _issue(passing_plan(t), staff)
    response = client_for(staff).post(
        reverse("assignments:plan_issue", args=[rival.pk]), {"issued_on": "2026-02-01"}
    )
    assert "already issued as No. 1-TB/HU" in response.content.decode()
    rival.refresh_from_db()
    assert rival.status == "draft"


def test_amend_page_records_the_amendment_and_the_detail_shows_the_history(client_for, staff, t):
    plan = _issue(passing_plan(t), staff)
    removed = plan.assignments.get(cell=t.hamlet2)
    client = client_for(staff)
    response = client.post(
        reverse("assignments:plan_amend", args=[plan.pk]),
        {"reason": "Điều chỉnh quý II", "remove": [removed.pk], "add": f"{t.cadre.code}, {t.school.code}\n"},
    )
    assert response.status_code == 302
    assert not Assignment.objects.filter(pk=removed.pk).exists()
    assert plan.assignments.filter(cadre=t.cadre, cell=t.school).exists()
    html = client.get(_detail(plan)).content.decode()
    assert 'data-sequence="1"' in html and "Điều chỉnh quý II" in html
    bad = client.post(
        reverse("assignments:plan_amend", args=[plan.pk]), {"reason": "x", "add": "NOPE, P-TH\nP-TH"}
    )
    errors = bad.context["form"].errors["add"]
    assert (
        "Line 1: unknown cadre NOPE." in errors
        and "Line 2: write the cadre's code and the cell's code." in errors
    )
    assert PlanAmendment.objects.count() == 1


def test_plan_list_shows_the_roots_plans_with_their_counts(client_for, staff, outsider, t):
    issued = _issue(passing_plan(t), staff)
    draft_plan(t.root, 2027)
    response = client_for(staff).get(reverse("assignments:plan_list"))
    rows = [row.record for row in response.context["table"].page.object_list]
    assert [(plan.year, plan.cadre_count, plan.cell_count) for plan in rows] == [(2027, 0, 0), (2026, 2, 4)]
    assert "1-TB/HU" in response.content.decode()
    csv_text = (
        client_for(staff).get(reverse("assignments:plan_list"), {"export": "csv"}).content.decode("utf-8-sig")
    )
    assert "1-TB/HU" in csv_text
    outsider_rows = (
        client_for(outsider).get(reverse("assignments:plan_list")).context["table"].page.object_list
    )
    assert list(outsider_rows) == [] and issued.pk


def test_grassroots_see_the_published_cadres_of_their_cells_only(
    client_for, grassroots, staff, tree, cadre_user
):
    year = timezone.localdate().year
    cad1 = cadre_user.cadre
    cad1.position = cad1.Position.STANDING_COMMITTEE
    cad1.save()
    plan = draft_plan(tree.root, year)
    assign(plan, cad1, tree.cell, tree.sibling_cell, tree.direct_cell)
    client = client_for(grassroots)
    before = client.get(reverse("assignments:assigned_cadres"))
    assert 'data-testid="no-notice"' in before.content.decode()
    assert cad1.full_name not in before.content.decode()  # a draft is not published
    plans.plan_issue(plan=plan, by=staff, overrides=dict.fromkeys(Rule, "x"))
    response = client.get(reverse("assignments:assigned_cadres"))
    rows = {row.record.code: row for row in response.context["table"].page.object_list}
    assert set(rows) == {tree.cell.code, tree.cell2.code}  # XA's cells, not XB's nor the root's
    html = response.content.decode()
    assert "Lê Văn Cán" in html and "Standing-committee member" in html and "1-TB/HU" in html
    exported = client.get(reverse("assignments:assigned_cadres"), {"export": "csv"}).content.decode(
        "utf-8-sig"
    )
    assert "Lê Văn Cán (Standing-committee member)" in exported
    assert tree.sibling_cell.code not in exported


# --- Query counts -----------------------------------------------------------------------------------------------
def _grow(t, plan, size: int) -> None:
    for _ in range(size):
        cadre = CadreFactory(organization=t.root, member=MemberFactory(cell=t.hamlet))
        assign(plan, cadre, CellFactory(parent=t.committee, cell_type=cell_type("TH")), t.hamlet2)


@pytest.mark.parametrize("size", [1, 15])
def test_plan_list_query_count_does_not_grow(client_for, staff, t, size, django_assert_max_num_queries):
    for year in range(2000, 2000 + size):
        assign(draft_plan(t.root, year), t.cadre, t.hamlet)
    client = client_for(staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("assignments:plan_list"))
    assert len(response.context["table"].page.object_list) == size


@pytest.mark.parametrize("size", [1, 15])
def test_editor_query_count_does_not_grow(client_for, staff, t, size, django_assert_max_num_queries):
    plan = passing_plan(t)
    _grow(t, plan, size)
    client = client_for(staff)
    with django_assert_max_num_queries(16):  # + the audit trail: plan history, assignment history
        response = client.get(_detail(plan))
    assert len(response.context["rows"]) == size + 2  # every cadre of the root, the plan tree's two too


@pytest.mark.parametrize("size", [1, 15])
def test_issued_plan_detail_query_count_does_not_grow(
    client_for, leader, staff, t, size, django_assert_max_num_queries
):
    plan = passing_plan(t)
    _grow(t, plan, size)
    _issue(plan, staff, overrides=dict.fromkeys(Rule, "x"))
    for index in range(size):
        plans.plan_amend(
            plan=plan, by=staff, reason=f"Lần {index}", add=[(CadreFactory(organization=t.root), t.direct)]
        )
    client = client_for(leader)
    with django_assert_max_num_queries(16):
        response = client.get(_detail(plan))
    assert len(response.context["rows"]) == 2 + 2 * size


@pytest.mark.parametrize("size", [1, 15])
def test_assigned_cadres_query_count_does_not_grow(
    client_for, grassroots, staff, tree, size, django_assert_max_num_queries
):
    plan = draft_plan(tree.root, timezone.localdate().year)
    for _ in range(size):
        assign(plan, CadreFactory(organization=tree.root), CellFactory(parent=tree.committee), tree.cell)
    plans.plan_issue(plan=plan, by=staff, overrides=dict.fromkeys(Rule, "x"))
    client = client_for(grassroots)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("assignments:assigned_cadres"))
    assert len(response.context["table"].page.object_list) == size + 2


def test_wrong_methods_are_405(client_for, staff, t):
    plan = draft_plan(t.root)
    assign(plan, t.cadre, t.hamlet)
    client = client_for(staff)
    assert client.delete(_detail(plan)).status_code == 405
    assert client.get(reverse("assignments:plan_assign", args=[plan.pk])).status_code == 405
    unassign = reverse("assignments:plan_unassign", args=[plan.pk, plan.assignments.get().pk])
    assert client.put(unassign).status_code == 405  # GET asks first, POST removes
    assert client.put(reverse("assignments:plan_issue", args=[plan.pk])).status_code == 405
    assert client.post(reverse("assignments:plan_checks", args=[plan.pk])).status_code == 405
    assert plan.assignments.count() == 1


def test_another_roots_plan_is_404_even_for_writes(client_for, outsider, t):
    plan = draft_plan(t.root)
    assign(plan, t.cadre, t.hamlet)
    client = client_for(outsider)
    assign_url = reverse("assignments:plan_assign", args=[plan.pk])
    assert client.post(assign_url, {"cadre": t.cadre.pk, "cell": t.school.pk}).status_code == 404
    unassign = reverse("assignments:plan_unassign", args=[plan.pk, plan.assignments.get().pk])
    assert client.post(unassign).status_code == 404
    assert (
        client.post(
            reverse("assignments:plan_issue", args=[plan.pk]), {"issued_on": "2026-01-05"}
        ).status_code
        == 404
    )
    assert plan.assignments.count() == 1
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_only_staff_change_a_plan(client_for, leader, grassroots, cadre_user, t):
    plan = draft_plan(t.root)
    for user in (leader, grassroots, cadre_user):
        response = client_for(user).post(
            reverse("assignments:plan_assign", args=[plan.pk]), {"cadre": t.cadre.pk, "cell": t.school.pk}
        )
        assert response.status_code == 403
    assert not plan.assignments.exists()
