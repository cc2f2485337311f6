"""Writes of the commendation list: staff move a cadre onto or off the list, with a reason.

A cadre of the year's plan is proposed *by the criteria* when they attended a cell meeting in every
required month (exempt months do not count against them) and handed in every note due on time: the rule
of ``compliance.commendation_candidates`` (``CadreSheet.is_commendable``), read here from the same
evaluation sheet so each cadre's figures come with it. Staff may add a cadre the criteria leave out, or
take one off, always with a written reason (CommendationAdjustment, one per root, year and cadre); an
adjustment outweighs the criteria until it is removed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assignments.models import Cadre
from cells.access.roles import is_staff
from cells.access.scope import organizations_visible_to
from cells.models import Organization
from reports.compliance.selectors import plan_cadres
from reports.models import CommendationAdjustment


# --- Writes ---------------------------------------------------------------------------------------------
def _require_staff_of(by, root: Organization) -> None:
    if not is_staff(by) or not organizations_visible_to(by).filter(pk=root.pk).exists():
        raise PermissionDenied


@transaction.atomic
def commendation_adjust(
    *, root: Organization, year: int, cadre: Cadre, proposed: bool, reason: str, by
) -> CommendationAdjustment:
    """Put ``cadre`` on the year's list (``proposed``) or take them off it, for a stated reason. A second
    adjustment of the same cadre replaces the first."""
    _require_staff_of(by, root)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for changing the commendation list.")})
    if not plan_cadres(root, year).filter(pk=cadre.pk).exists():
        raise ValidationError(
            {
                "cadre": _("%(cadre)s is not assigned in the %(year)s plan of %(root)s.")
                % {"cadre": cadre.full_name, "year": year, "root": root.name}
            }
        )
    adjustment = (
        CommendationAdjustment.objects.select_for_update().filter(root=root, year=year, cadre=cadre).first()
    ) or CommendationAdjustment(root=root, year=year, cadre=cadre)
    adjustment.proposed, adjustment.reason, adjustment.created_by = proposed, reason, by
    adjustment.full_clean()
    adjustment._history_user = by
    adjustment.save()
    return adjustment


@transaction.atomic
def commendation_adjustment_remove(*, adjustment: CommendationAdjustment, by) -> None:
    """Drop an adjustment: the cadre is on the list again exactly when the criteria say so."""
    _require_staff_of(by, adjustment.root)
    adjustment._history_user = by
    adjustment.delete()
