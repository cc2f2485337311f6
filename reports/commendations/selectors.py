"""The cadres proposed for commendation in the annual summary, and staff's adjustments of that list.

A cadre of the year's plan is proposed *by the criteria* when they attended a cell meeting in every
required month (exempt months do not count against them) and handed in every note due on time: the rule
of ``compliance.commendation_candidates`` (``CadreSheet.is_commendable``), read here from the same
evaluation sheet so each cadre's figures come with it. Staff may add a cadre the criteria leave out, or
take one off, always with a written reason (CommendationAdjustment, one per root, year and cadre); an
adjustment outweighs the criteria until it is removed.

Reads are six queries whatever the number of cadres: the evaluation sheet's five and the adjustments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from assignments.models import Cadre
from cells.access.scope import scope_of
from cells.models import Organization
from reports.compliance.selectors import CadreSheet, evaluation_sheet
from reports.models import CommendationAdjustment


class Standing:
    """Why a cadre is on the list, or is not."""

    MEETS = "criteria_met"
    FALLS_SHORT = "criteria_not_met"
    ADDED = "added"
    TAKEN_OFF = "taken_off"
    LABELS = {
        MEETS: gettext_lazy("Meets the criteria"),
        FALLS_SHORT: gettext_lazy("Does not meet the criteria"),
        ADDED: gettext_lazy("Added by staff"),
        TAKEN_OFF: gettext_lazy("Taken off by staff"),
    }


def basis_label(code: str) -> str:
    return str(Standing.LABELS.get(code, code))


@dataclass
class CommendationRow:
    """One plan cadre: their criteria figures, and where they stand on the list."""

    sheet: CadreSheet
    adjustment: CommendationAdjustment | None = None

    @property
    def cadre(self) -> Cadre:
        return self.sheet.cadre

    @property
    def meets_criteria(self) -> bool:
        return self.sheet.is_commendable

    @property
    def proposed(self) -> bool:
        return self.adjustment.proposed if self.adjustment else self.meets_criteria

    @property
    def basis(self) -> str:
        if self.adjustment is not None:
            return Standing.ADDED if self.adjustment.proposed else Standing.TAKEN_OFF
        return Standing.MEETS if self.meets_criteria else Standing.FALLS_SHORT

    @property
    def basis_label(self) -> str:
        return basis_label(self.basis)

    @property
    def reason(self) -> str:
        return self.adjustment.reason if self.adjustment else ""

    @property
    def months_attended(self) -> int:
        return self.sheet.months.attended_months

    @property
    def months_required(self) -> int:
        return self.sheet.months.required_months

    @property
    def months_exempt(self) -> int:
        return self.sheet.months.exempt_months

    @property
    def notes_on_time(self) -> int:
        return self.sheet.notes_on_time

    @property
    def notes_due(self) -> int:
        return self.sheet.notes_due

    def as_dict(self) -> dict:
        """The JSON kept in the annual summary's snapshot (labels are added when it is printed)."""
        cadre = self.cadre
        return {
            "cadre": {
                "id": cadre.pk,
                "code": cadre.code,
                "full_name": cadre.full_name,
                "position": cadre.position,
            },
            "months_attended": self.months_attended,
            "months_required": self.months_required,
            "months_exempt": self.months_exempt,
            "notes_on_time": self.notes_on_time,
            "notes_due": self.notes_due,
            "meets_criteria": self.meets_criteria,
            "proposed": self.proposed,
            "basis": self.basis,
            "reason": self.reason,
        }


# --- Reads ----------------------------------------------------------------------------------------------
def commendation_rows(*, root: Organization, year: int, today: date) -> list[CommendationRow]:
    """Every cadre of the root's plan for ``year``, by name, with the criteria and any adjustment."""
    sheets = evaluation_sheet(root=root, year=year, today=today)
    adjustments = {
        adjustment.cadre_id: adjustment
        for adjustment in CommendationAdjustment.objects.filter(root=root, year=year).select_related(
            "created_by"
        )
    }
    return [CommendationRow(sheet, adjustments.get(sheet.cadre.pk)) for sheet in sheets]


def commendation_list(*, root: Organization, year: int, today: date) -> list[CommendationRow]:
    """The cadres proposed for commendation: by the criteria or added by staff, and not taken off."""
    return [row for row in commendation_rows(root=root, year=year, today=today) if row.proposed]


def adjustments_visible_to(user) -> QuerySet[CommendationAdjustment]:
    """Adjustments of the committees in the user's subtree (another subtree's are a 404)."""
    return scope_of(user).filter(CommendationAdjustment.objects.all(), "root__path")
