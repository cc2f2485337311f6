"""Report services: drafts and versions, building (task and progress), finalizing and the frozen snapshot."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from assignments.models import AttendanceNote, DocumentSeries, Visit
from reports.models import Report
from reports.periodic import services, tasks
from reports.periodic.building import BUILDERS
from tests.factories import CellFactory
from tests.reports.periodic.report_data import QUARTER, YEAR, build_quarter, day, note, visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The refusals are read in English (Vietnamese is the default language)."""
    with translation.override("en"):
        yield


SIGNATURE = {"signer_name": "Nguyễn Văn Ký", "signer_title": "Phó Bí thư"}


def draft(tree, staff, **fields) -> Report:
    report = services.report_create(
        root=tree.root, kind=Report.Kind.QUARTERLY, year=YEAR, quarter=QUARTER, by=staff
    )
    return services.report_update(report=report, by=staff, **{**SIGNATURE, **fields})


def total(report: Report) -> tuple[int, int]:
    row = report.snapshot["coverage"]["attended"]["total"]
    return row["cells"], row["covered"]


# --- Drafts and versions --------------------------------------------------------------------------------
def test_a_first_draft_is_version_1_with_the_roots_abbreviation(tree, staff):
    report = services.report_create(root=tree.root, kind="quarterly", year=2026, quarter=4, by=staff)
    assert (report.version, report.status, report.number) == (1, Report.Status.DRAFT, None)
    assert report.issuer_abbreviation == "HU" and report.created_by == staff
    assert report.signer_authority == "T/M BAN THƯỜNG VỤ"


def test_a_second_draft_of_the_same_report_is_refused(tree, staff):
    draft(tree, staff)
    with pytest.raises(ValidationError, match="still a draft"):
        services.report_create(root=tree.root, kind="quarterly", year=YEAR, quarter=QUARTER, by=staff)
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "year", "quarter", "field"),
    [
        ("quarterly", 2026, None, "quarter"),
        ("quarterly", 2026, 5, "quarter"),
        ("annual", 2026, 2, "quarter"),
        ("quarterly", 1999, 1, "year"),
        ("monthly", 2026, 1, "kind"),
    ],
)
def test_bad_requests_are_refused_field_by_field(tree, staff, kind, year, quarter, field):
    with pytest.raises(ValidationError) as refused:
        services.report_create(root=tree.root, kind=kind, year=year, quarter=quarter, by=staff)
    assert field in refused.value.error_dict


def test_a_report_is_made_by_a_committee(tree, staff):
    with pytest.raises(ValidationError) as refused:
        services.report_create(root=tree.cell, kind="quarterly", year=2026, quarter=1, by=staff)
    assert "root" in refused.value.error_dict


def test_a_first_version_takes_the_signature_of_the_roots_latest_report(tree, staff, leader):
    earlier = services.report_create(root=tree.root, kind="quarterly", year=2025, quarter=3, by=staff)
    services.report_update(report=earlier, by=staff, recipients="Thành ủy", narrative="Quý III", **SIGNATURE)
    report = services.report_create(root=tree.root, kind="quarterly", year=2025, quarter=4, by=staff)
    assert (report.signer_name, report.recipients) == ("Nguyễn Văn Ký", "Thành ủy")
    assert report.narrative == ""  # the text of another period is not carried over


# --- Editing --------------------------------------------------------------------------------------------
def test_staff_edit_a_draft(tree, staff):
    report = draft(tree, staff, narrative="Các chi bộ sinh hoạt nền nếp.", proposals="Tăng cường kiểm tra.")
    report.refresh_from_db()
    assert report.narrative == "Các chi bộ sinh hoạt nền nếp." and report.proposals == "Tăng cường kiểm tra."


def test_only_the_text_is_editable(tree, staff):
    with pytest.raises(ValueError, match="number"):
        services.report_update(report=draft(tree, staff), by=staff, number=7)


# --- Building -------------------------------------------------------------------------------------------
def test_a_build_fills_the_snapshot_and_the_progress(tree, staff):
    build_quarter(tree)
    report = services.report_build(report=draft(tree, staff))
    report.refresh_from_db()
    assert (report.build_status, report.build_progress) == (Report.Build.DONE, 100)
    assert report.built_at is not None and report.build_error == ""
    assert total(report) == (6, 4)


def test_the_build_is_enqueued_on_commit_and_runs_as_a_task(tree, staff, django_capture_on_commit_callbacks):
    build_quarter(tree)
    report = draft(tree, staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.report_build_enqueue(report=report)
    report.refresh_from_db()
    assert (report.build_status, report.build_progress) == (Report.Build.PENDING, 0)
    assert len(callbacks) == 1  # nothing ran before the commit
    callbacks[0]()  # the commit: the task runs (eagerly in tests)
    report.refresh_from_db()
    assert (report.build_status, report.build_progress, total(report)) == (Report.Build.DONE, 100, (6, 4))


def test_the_task_is_idempotent(tree, staff):
    build_quarter(tree)
    report = draft(tree, staff)
    assert tasks.build_report(report.pk) == "built"
    first = Report.objects.get(pk=report.pk).snapshot
    assert tasks.build_report(report.pk) == "built"
    assert Report.objects.get(pk=report.pk).snapshot == first
    assert tasks.build_report(987654) == "skipped"


def test_a_failed_build_is_recorded_on_the_report(tree, staff, monkeypatch):
    def broken(report, progress):
        progress(50)
        raise RuntimeError("disk full")

    monkeypatch.setitem(BUILDERS, Report.Kind.QUARTERLY, broken)
    report = draft(tree, staff)
    assert tasks.build_report(report.pk) == "failed"
    report.refresh_from_db()
    assert report.build_status == Report.Build.FAILED and report.build_error == "disk full"
    assert report.snapshot == {}


# --- Finalizing -----------------------------------------------------------------------------------------
def test_leadership_finalizes_taking_the_next_number(tree, staff, leader):
    build_quarter(tree)
    report = services.report_finalize(
        report=draft(tree, staff), by=leader, issued_on=datetime.date(2026, 1, 5)
    )
    report.refresh_from_db()
    assert (report.status, report.number, report.document_number) == (Report.Status.FINAL, 1, "1-BC/HU")
    assert report.issued_on == datetime.date(2026, 1, 5) and report.finalized_by == leader
    assert total(report) == (6, 4) and report.build_status == Report.Build.DONE


def test_numbers_are_consecutive_in_the_year_of_issue(tree, staff, leader):
    numbers = []
    for quarter in (1, 2, 3):
        report = services.report_create(
            root=tree.root, kind="quarterly", year=2026, quarter=quarter, by=staff
        )
        services.report_update(report=report, by=staff, **SIGNATURE)
        numbers.append(services.report_finalize(report=report, by=leader).document_number)
    assert numbers == ["1-BC/HU", "2-BC/HU", "3-BC/HU"]


def test_staff_cannot_finalize(tree, staff):
    report = draft(tree, staff)
    with pytest.raises(PermissionDenied):
        services.report_finalize(report=report, by=staff)
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT and report.number is None


def test_a_report_without_a_signer_is_not_finalized_and_uses_no_number(tree, staff, leader):
    report = services.report_create(root=tree.root, kind="quarterly", year=2026, quarter=1, by=staff)
    with pytest.raises(ValidationError) as refused:
        services.report_finalize(report=report, by=leader)
    assert set(refused.value.error_dict) == {"signer_name", "signer_title"}
    assert not DocumentSeries.objects.exists()
    services.report_update(report=report, by=staff, **SIGNATURE)
    assert services.report_finalize(report=report, by=leader).number == 1


def test_a_final_report_refuses_edits_builds_and_a_second_finalize(tree, staff, leader):
    report = services.report_finalize(report=draft(tree, staff), by=leader)
    with pytest.raises(ValidationError, match="finalized"):
        services.report_update(report=report, by=staff, narrative="sửa")
    with pytest.raises(ValidationError, match="finalized"):
        services.report_build(report=report)
    with pytest.raises(ValidationError, match="finalized"):
        services.report_build_enqueue(report=report)
    with pytest.raises(ValidationError, match="finalized"):
        services.report_finalize(report=report, by=leader)
    assert tasks.build_report(report.pk) == "skipped"


def add_attended_visit_and_note(tree, quarter) -> None:
    """New data after finalizing: XA-TH attended in the quarter, with an accepted note."""
    late = visit(quarter.cadres["C"], tree.cell2, day(12, 3), Visit.Status.ATTENDED)
    note(late, AttendanceNote.Status.ACCEPTED, overall_rating="good", good_practices="Mới ghi nhận sau")
    CellFactory(parent=tree.committee)


def test_a_final_report_keeps_its_snapshot_and_a_new_version_picks_up_new_data(tree, staff, leader):
    quarter = build_quarter(tree)
    report = services.report_finalize(
        report=draft(tree, staff, narrative="Đánh giá quý IV", recipients="Thành ủy"), by=leader
    )
    frozen = Report.objects.get(pk=report.pk).snapshot
    add_attended_visit_and_note(tree, quarter)
    tasks.build_report(report.pk)  # a stray build of the final report does nothing
    assert Report.objects.get(pk=report.pk).snapshot == frozen
    assert total(report) == (6, 4)

    version = services.report_new_version(report=report, by=staff)
    assert (version.version, version.status, version.number) == (2, Report.Status.DRAFT, None)
    assert (version.narrative, version.recipients, version.signer_name) == (
        "Đánh giá quý IV",
        "Thành ủy",
        "Nguyễn Văn Ký",
    )
    services.report_build(report=version)
    assert total(version) == (7, 5)  # the new cell, and XA-TH now attended
    assert version.snapshot["ratings"]["good"] == 2


def test_a_new_version_of_a_draft_is_refused(tree, staff):
    with pytest.raises(ValidationError, match="draft"):
        services.report_new_version(report=draft(tree, staff), by=staff)
