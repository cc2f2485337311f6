"""Writes of reports: create a draft (or the next version), build its snapshot, edit, finalize.

A series is one report of one root, kind, year and quarter; its versions are numbered 1, 2, … and at
most one of them is a draft (a database constraint). A draft's figures are rebuilt on demand; finalizing
(leadership only) rebuilds them one last time, takes the document number and freezes everything: a
final report refuses edits and builds, so later visits and notes never change what it says. A change
after that is a new version, which starts from the latest one's text.

Misuse (a final report edited, a second draft, a bad year) is a ValidationError; a finalize by someone
who is not leadership is a PermissionDenied.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.plans.services import (
    FIRST_YEAR,
    LAST_YEAR,
    default_issuer_abbreviation,
    document_number_next,
)
from cells.access.roles import Role, holds_role
from cells.models import Organization
from reports.models import Report
from reports.periodic.building import Progress, build_snapshot

# What staff write on a draft; a new version starts from the latest version's values.
EDITABLE_FIELDS = (
    "narrative",
    "proposals",
    "signer_name",
    "signer_title",
    "signer_authority",
    "recipients",
    "issuer_abbreviation",
)
# Printed in the signature block of a final report: it cannot be signed without them.
REQUIRED_TO_FINALIZE = ("signer_name", "signer_title", "signer_authority", "issuer_abbreviation")
FINALIZERS = (Role.LEADERSHIP,)


# --- Drafts and versions --------------------------------------------------------------------------------
def report_create(*, root: Organization, kind: str, year: int, quarter: int | None = None, by) -> Report:
    """A draft of the report: version 1, or the next version of a series whose latest one is final."""
    _check_request(root, kind, year, quarter)
    with transaction.atomic():
        # Versions of one root are numbered one at a time: its row is the lock.
        Organization.objects.select_for_update().filter(pk=root.pk).first()
        series = Report.objects.filter(root=root, kind=kind, year=year, quarter=quarter)
        latest = series.order_by("-version").first()
        if latest is not None and not latest.is_final:
            message = _("Version %(version)s of this report is still a draft: edit it instead.")
            raise ValidationError(message % {"version": latest.version}, code="draft_exists")
        report = Report(
            root=root,
            kind=kind,
            year=year,
            quarter=quarter,
            version=latest.version + 1 if latest else 1,
            created_by=by,
            **_starting_text(root, latest),
        )
        report.full_clean()
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:  # a second draft made at the same moment elsewhere
            raise ValidationError(_("A draft of this report already exists."), code="draft_exists") from None
    return report


def report_new_version(*, report: Report, by) -> Report:
    """The next version of a finalized report, a draft starting from the latest version's text."""
    if not report.is_final:
        raise ValidationError(_("This version is still a draft: edit it instead."), code="draft")
    return report_create(root=report.root, kind=report.kind, year=report.year, quarter=report.quarter, by=by)


def _check_request(root: Organization, kind: str, year: int, quarter: int | None) -> None:
    errors = {}
    if not root.is_committee:
        errors["root"] = _("Reports are made by a committee.")
    if kind not in Report.Kind.values:
        errors["kind"] = _("Unknown kind of report.")
    if not FIRST_YEAR <= (year or 0) <= LAST_YEAR:
        errors["year"] = _("The year must be from %(first)s to %(last)s.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
    if kind == Report.Kind.QUARTERLY and quarter not in (1, 2, 3, 4):
        errors["quarter"] = _("Choose the quarter (1 to 4).")
    if kind == Report.Kind.ANNUAL and quarter is not None:
        errors["quarter"] = _("An annual summary covers the whole year: leave the quarter empty.")
    if errors:
        raise ValidationError(errors)


def _starting_text(root: Organization, latest: Report | None) -> dict:
    """The latest version's text; for a first version, the signature and recipients of the root's
    latest report of any kind (the same signer and mailing list, quarter after quarter)."""
    source = latest or Report.objects.filter(root=root).order_by("-created_at", "-pk").first()
    if source is None:
        return {"issuer_abbreviation": default_issuer_abbreviation(root)}
    carried = ("signer_name", "signer_title", "signer_authority", "recipients", "issuer_abbreviation")
    return {name: getattr(source, name) for name in (EDITABLE_FIELDS if latest else carried)}


# --- Editing --------------------------------------------------------------------------------------------
@transaction.atomic
def report_update(*, report: Report, by, **fields) -> Report:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    locked = _locked_draft(report)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save(update_fields=list(fields))
    for name in fields:
        setattr(report, name, getattr(locked, name))
    return locked


def _locked_draft(report: Report) -> Report:
    """The report's row, locked, checked as the database has it to be a draft: an edit from a page
    opened before it was finalized must not slip in (report_finalize holds the same lock)."""
    locked = Report.objects.select_for_update(of=("self",)).select_related("root").get(pk=report.pk)
    if locked.is_final:
        raise ValidationError(_("A finalized report cannot change: make a new version."), code="final")
    return locked


# --- Building -------------------------------------------------------------------------------------------
def report_build_enqueue(*, report: Report) -> Report:
    """Mark the draft as waiting for a build and hand the build to a Celery task once this commits.

    Every build goes through the task, whatever the size: a district's quarter is a second or more of
    queries on a large tree, and one path is simpler to trust than two. Without a broker (the embedded
    default and the tests) the task runs eagerly at commit, so the page finds it done.
    """
    from reports.periodic.tasks import build_report  # the task module imports this one

    with transaction.atomic():
        locked = _locked_draft(report)
        locked.build_status, locked.build_progress, locked.build_error = Report.Build.PENDING, 0, ""
        locked.save(update_fields=["build_status", "build_progress", "build_error"])
        transaction.on_commit(lambda: build_report.delay(locked.pk))
    report.build_status, report.build_progress, report.build_error = locked.build_status, 0, ""
    return locked


def report_build(*, report: Report) -> Report:
    """Compute the draft's snapshot now, recording the progress (0–100) as it goes.

    Runs outside a transaction (the task's own), so each progress step is committed at once and the
    polling page sees it. Every write is conditional on the report still being a draft: a report
    finalized meanwhile keeps the snapshot its finalization froze.
    """
    if not _set_if_draft(report, build_status=Report.Build.RUNNING, build_progress=0, build_error=""):
        raise ValidationError(_("A finalized report cannot change: make a new version."), code="final")
    try:
        snapshot = build_snapshot(report, _recorder(report))
    except Exception as error:
        _set_if_draft(report, build_status=Report.Build.FAILED, build_error=str(error)[:1000])
        raise
    done = {
        "snapshot": snapshot,
        "built_at": timezone.now(),
        "build_status": Report.Build.DONE,
        "build_progress": 100,
        "build_error": "",
    }
    if not _set_if_draft(report, **done):
        raise ValidationError(_("The report was finalized while it was being built."), code="final")
    for name, value in done.items():
        setattr(report, name, value)
    return report


def _set_if_draft(report: Report, **values) -> bool:
    return bool(Report.objects.filter(pk=report.pk, status=Report.Status.DRAFT).update(**values))


def _recorder(report: Report) -> Progress:
    last = {"percent": -1}

    def record(percent: int) -> None:
        if percent != last["percent"]:  # one write per step, not per call
            last["percent"] = percent
            _set_if_draft(report, build_progress=percent)

    return record


# --- Finalizing -----------------------------------------------------------------------------------------
def report_finalize(*, report: Report, by, issued_on: date | None = None) -> Report:
    """Leadership signs the report off: rebuild the figures, take the next "BC" number of the year it
    is issued, and freeze it. All in one transaction, so a refusal leaves no number used."""
    if not holds_role(by, FINALIZERS):
        raise PermissionDenied(_("Only the standing committee finalizes a report."))
    issued_on = issued_on or timezone.localdate()
    with transaction.atomic():
        locked = _locked_draft(report)
        _require_signature(locked)
        locked.snapshot = build_snapshot(locked)
        locked.number = document_number_next(
            issuer=locked.root, doc_type=Report.DOC_TYPE, year=issued_on.year
        )
        locked.status, locked.issued_on = Report.Status.FINAL, issued_on
        locked.finalized_by, locked.finalized_at = by, timezone.now()
        locked.built_at, locked.build_status, locked.build_progress = (
            locked.finalized_at,
            Report.Build.DONE,
            100,
        )
        locked.build_error = ""
        locked.full_clean()
        locked.save()
    return locked


def _require_signature(report: Report) -> None:
    missing = {
        name: _("Fill this in before the report is finalized.")
        for name in REQUIRED_TO_FINALIZE
        if not getattr(report, name).strip()
    }
    if missing:
        raise ValidationError(missing)
