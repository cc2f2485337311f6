"""Writes of the yearly plan: drafting, issuing under a gap-free document number, amending.

A draft is edited freely (rules are warnings); issuing enforces the rules unless staff override a
failing rule with a written reason; an issued plan changes only through a recorded amendment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from assignments.models import Assignment, AssignmentPlan, Cadre, DocumentSeries, PlanAmendment, RuleOverride
from assignments.plans.rules import Finding, plan_findings, plan_period
from cells.models import Organization

PLAN_FIELDS = (
    "year",
    "issuer_abbreviation",
    "summary",
    "body",
    "signer_name",
    "signer_title",
    "signer_authority",
    "recipients",
    "max_load",
)
FIRST_YEAR, LAST_YEAR = 2000, 2100
# What a notice cannot be issued without (the draft may leave them empty for a while).
REQUIRED_TO_ISSUE = ("summary", "signer_name", "signer_title")


def override_field(rule: str) -> str:
    """The form field (and error key) carrying the reason to override ``rule``."""
    return f"override_{rule}"


# --- Numbers ------------------------------------------------------------------------------------------
def document_number_next(*, issuer: Organization, doc_type: str, year: int) -> int:
    """The next number of the issuer's series of ``doc_type`` in ``year``.

    Runs inside the caller's transaction: the series row stays locked until the document that uses the
    number is saved, and a rollback gives the number back, so numbers never repeat and never skip.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("document_number_next() must run inside the transaction that uses the number")
    # Create the row if it is missing without failing when another transaction creates it at once.
    DocumentSeries.objects.bulk_create(
        [DocumentSeries(issuer=issuer, doc_type=doc_type, year=year)], ignore_conflicts=True
    )
    series = DocumentSeries.objects.select_for_update().get(issuer=issuer, doc_type=doc_type, year=year)
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return series.last_number


# --- Drafting -----------------------------------------------------------------------------------------
def default_issuer_abbreviation(root: Organization) -> str:
    """The abbreviation of the root's latest plan, else its code ("HU" in 15-TB/HU)."""
    latest = AssignmentPlan.objects.filter(root=root).exclude(issuer_abbreviation="").first()
    return latest.issuer_abbreviation if latest else root.code[:20]


def plan_create(*, root: Organization, year: int, created_by=None, **fields) -> AssignmentPlan:
    if not root.is_committee:
        raise ValidationError(_("Plans are issued by a committee."))
    fields.setdefault("issuer_abbreviation", default_issuer_abbreviation(root))
    plan = AssignmentPlan(root=root, year=year, created_by=created_by, **fields)
    _check_year(plan)
    _refuse_issued_year(plan)
    plan.full_clean()
    plan.save()
    return plan


def _refuse_issued_year(plan: AssignmentPlan) -> None:
    """A year whose plan is issued changes through an amendment, not through a second plan."""
    twin = issued_plan_of(plan.root, plan.year)
    if twin is not None:
        raise ValidationError({"year": _already_issued_message(plan, twin)}, code="already_issued")


def issued_plan_of(root: Organization, year: int) -> AssignmentPlan | None:
    return AssignmentPlan.objects.filter(root=root, year=year, status=AssignmentPlan.Status.ISSUED).first()


@transaction.atomic
def plan_delete(*, plan: AssignmentPlan) -> None:
    """Delete a draft with its assignments; an issued notice is a registered document and stays."""
    _lock_draft(plan)
    plan.delete()


@transaction.atomic
def plan_update(*, plan: AssignmentPlan, **fields) -> AssignmentPlan:
    _lock_draft(plan)
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(plan, name, value)
    _check_year(plan)
    plan.full_clean()
    plan.save(update_fields=list(fields))
    return plan


def _check_year(plan: AssignmentPlan) -> None:
    if not FIRST_YEAR <= (plan.year or 0) <= LAST_YEAR:
        message = _("The year must be from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        raise ValidationError({"year": message})


@transaction.atomic
def assignment_add(*, plan: AssignmentPlan, cadre: Cadre, cell: Organization) -> Assignment:
    _lock_draft(plan)
    _check_assignable(plan, cadre, cell)
    return Assignment.objects.create(plan=plan, cadre=cadre, cell=cell)


@transaction.atomic
def assignment_remove(*, assignment: Assignment) -> None:
    _lock_draft(assignment.plan)
    assignment.delete()


def _lock_draft(plan: AssignmentPlan) -> None:
    """Lock the plan's row and check, as the database has it, that it is still a draft: an edit from
    a page opened before the plan was issued must not slip in (plan_issue holds the same lock)."""
    status = (
        AssignmentPlan.objects.select_for_update().filter(pk=plan.pk).values_list("status", flat=True).first()
    )
    if status != AssignmentPlan.Status.DRAFT:
        raise ValidationError(_("An issued plan changes only through an amendment."), code="issued")


def _require_draft(plan: AssignmentPlan) -> None:
    if plan.is_issued:
        raise ValidationError(_("An issued plan changes only through an amendment."), code="issued")


def _check_assignable(plan: AssignmentPlan, cadre: Cadre, cell: Organization) -> None:
    """The cell is one of the root's cells active in the plan's year, the cadre one of the root's
    cadres, and the pair is not assigned yet."""
    root_path = plan.root.path
    if not cell.is_cell:
        raise ValidationError({"cell": _("%(code)s is a committee, not a cell.") % {"code": cell.code}})
    if not cell.path.startswith(root_path):
        raise ValidationError(
            {"cell": _("%(code)s is not under this plan's committee.") % {"code": cell.code}}
        )
    start, end = plan_period(plan)
    if not cell.is_valid_between(start, end):
        message = _("%(code)s does not exist in %(year)s.") % {"code": cell.code, "year": plan.year}
        raise ValidationError({"cell": message})
    if not cadre.organization.path.startswith(root_path):
        message = _("%(code)s is not a cadre of this plan's committee.") % {"code": cadre.code}
        raise ValidationError({"cadre": message})
    if Assignment.objects.filter(plan=plan, cadre=cadre, cell=cell).exists():
        message = _("%(cadre)s is already assigned to %(cell)s.") % {
            "cadre": cadre.full_name,
            "cell": cell.code,
        }
        raise ValidationError({"cell": message})


# --- Issuing ------------------------------------------------------------------------------------------
def plan_issue(
    *,
    plan: AssignmentPlan,
    by,
    overrides: Mapping[str, str] | None = None,
    issued_on: date | None = None,
) -> AssignmentPlan:
    """Check the rules, record the overrides, take the next number and mark the plan issued.

    ``overrides`` maps a rule code to the written reason for issuing although it fails; every failing
    rule needs one. All of it happens in one transaction, so a refusal leaves no number used.
    """
    issued_on = issued_on or timezone.localdate()
    with transaction.atomic():
        locked = AssignmentPlan.objects.select_for_update(of=("self",)).select_related("root").get(pk=plan.pk)
        _require_draft(locked)
        _require_header(locked)
        _require_no_issued_twin(locked)
        _record_overrides(locked, plan_findings(locked), overrides or {}, by)
        locked.number = document_number_next(
            issuer=locked.root, doc_type=AssignmentPlan.DOC_TYPE, year=issued_on.year
        )
        locked.status, locked.issued_on = AssignmentPlan.Status.ISSUED, issued_on
        try:
            with transaction.atomic():
                locked.save(update_fields=["number", "status", "issued_on"])
        except IntegrityError:
            # Another plan of the same root and year was issued in the meantime.
            raise ValidationError(_already_issued_message(locked, None), code="already_issued") from None
    plan.status, plan.number, plan.issued_on = locked.status, locked.number, locked.issued_on
    return locked


def missing_header(plan: AssignmentPlan) -> list[str]:
    """The header fields the notice cannot be issued without that the draft leaves empty."""
    return [name for name in REQUIRED_TO_ISSUE if not getattr(plan, name)]


def _require_header(plan: AssignmentPlan) -> None:
    missing = {
        name: _("“%(field)s” is missing: fill it in on the header form before issuing the notice.")
        % {"field": capfirst(AssignmentPlan._meta.get_field(name).verbose_name)}
        for name in missing_header(plan)
    }
    if missing:
        raise ValidationError(missing, code="header_missing")


def _require_no_issued_twin(plan: AssignmentPlan) -> None:
    twin = (
        AssignmentPlan.objects.filter(root=plan.root, year=plan.year, status=AssignmentPlan.Status.ISSUED)
        .exclude(pk=plan.pk)
        .first()
    )
    if twin is not None:
        raise ValidationError(_already_issued_message(plan, twin), code="already_issued")


def _already_issued_message(plan: AssignmentPlan, twin: AssignmentPlan | None) -> str:
    if twin is None:
        return _("The plan for %(year)s is already issued; change it through an amendment.") % {
            "year": plan.year
        }
    return _("The plan for %(year)s is already issued as No. %(number)s; change it through an amendment.") % {
        "year": plan.year,
        "number": twin.document_number,
    }


def _record_overrides(
    plan: AssignmentPlan, findings: list[Finding], overrides: Mapping[str, str], by
) -> None:
    """Every failing rule needs a written reason; the reasons are kept with the plan."""
    reasons = {finding.rule: (overrides.get(finding.rule) or "").strip() for finding in findings}
    missing = {
        override_field(rule): _("The rule “%(rule)s” fails: give a reason to issue the plan anyway.")
        % {"rule": rule.label}
        for rule, reason in reasons.items()
        if not reason
    }
    if missing:
        raise ValidationError(missing, code="rule_failed")
    plan.overrides.all().delete()
    RuleOverride.objects.bulk_create(
        RuleOverride(plan=plan, rule=rule, reason=reason, created_by=by) for rule, reason in reasons.items()
    )


# --- Amending -----------------------------------------------------------------------------------------
def plan_amend(
    *,
    plan: AssignmentPlan,
    by,
    reason: str,
    add: Iterable[tuple[Cadre, Organization]] = (),
    remove: Iterable[Assignment] = (),
) -> PlanAmendment:
    """Change an issued plan's assignments; the change and its reason are recorded as the next amendment."""
    add, remove = list(add), list(remove)
    with transaction.atomic():
        locked = AssignmentPlan.objects.select_for_update(of=("self",)).select_related("root").get(pk=plan.pk)
        _check_amendment(locked, reason, add, remove)
        removed = [_describe(assignment) for assignment in remove]
        Assignment.objects.filter(pk__in=[assignment.pk for assignment in remove]).delete()
        created = [Assignment.objects.create(plan=locked, cadre=cadre, cell=cell) for cadre, cell in add]
        locked.amendment_count += 1
        locked.save(update_fields=["amendment_count"])
        amendment = PlanAmendment.objects.create(
            plan=locked,
            sequence=locked.amendment_count,
            reason=reason.strip(),
            added=[_describe(assignment) for assignment in created],
            removed=removed,
            created_by=by,
        )
    plan.amendment_count = locked.amendment_count
    return amendment


def _check_amendment(plan: AssignmentPlan, reason: str, add: list, remove: list[Assignment]) -> None:
    if not plan.is_issued:
        raise ValidationError(_("Only an issued plan is amended; edit the draft instead."), code="draft")
    errors: dict[str, list[str]] = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Say why the plan is amended.")]
    if not add and not remove:
        errors[NON_FIELD_ERRORS] = [_("Add or remove at least one assignment.")]
    if any(assignment.plan_id != plan.pk for assignment in remove):
        raise ValueError("an assignment to remove belongs to another plan")
    seen = set()
    for cadre, cell in add:
        try:
            if (cadre.pk, cell.pk) in seen:
                raise ValidationError(
                    {
                        "add": _("%(cadre)s and %(cell)s are listed twice.")
                        % {"cadre": cadre.code, "cell": cell.code}
                    }
                )
            seen.add((cadre.pk, cell.pk))
            _check_assignable(plan, cadre, cell)
        except ValidationError as error:
            for messages in error.message_dict.values():
                errors.setdefault("add", []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _describe(assignment: Assignment) -> dict[str, str]:
    """What the history keeps of an assignment: codes and names as they were then."""
    return {
        "cadre": assignment.cadre.code,
        "cadre_name": assignment.cadre.full_name,
        "cell": assignment.cell.code,
        "cell_name": assignment.cell.name,
    }
