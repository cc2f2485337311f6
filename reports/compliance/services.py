"""Writes of cadre compliance: staff exempt a cadre's month (leave, illness …) or take the exemption back."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from assignments.cadres.selectors import cadres_visible_to
from assignments.models import Cadre, CadreExemption
from cells.access.roles import is_staff
from reports.compliance.selectors import exemptions_visible_to


def _duplicate(cadre: Cadre, year: int, month: int) -> ValidationError:
    return ValidationError(
        {
            "month": _("%(cadre)s is already exempt for %(month)s/%(year)s.")
            % {"cadre": cadre.full_name, "month": f"{month:02d}", "year": year}
        }
    )


def exemption_create(*, cadre: Cadre, year: int, month: int, reason: str, detail: str, by) -> CadreExemption:
    """Exempt ``cadre``'s month; a second exemption of the same month is refused with a clear error."""
    if not is_staff(by) or not cadres_visible_to(by).filter(pk=cadre.pk).exists():
        raise PermissionDenied
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("The month must be 1 to 12.")})
    exemption = CadreExemption(
        cadre=cadre, year=year, month=month, reason=reason, detail=detail.strip(), created_by=by
    )
    if CadreExemption.objects.filter(cadre=cadre, year=year, month=month).exists():
        raise _duplicate(cadre, year, month)
    exemption.full_clean()
    try:
        with transaction.atomic():
            exemption._history_user = by
            exemption.save()
    except IntegrityError as error:  # another staff member exempted the same month a moment ago
        raise _duplicate(cadre, year, month) from error
    return exemption


@transaction.atomic
def exemption_delete(*, exemption: CadreExemption, by) -> None:
    """Take an exemption back: the month counts again."""
    if not is_staff(by) or not exemptions_visible_to(by).filter(pk=exemption.pk).exists():
        raise PermissionDenied
    exemption._history_user = by
    exemption.delete()
