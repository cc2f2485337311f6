"""Starting a draft from an earlier plan, its result page, and deleting a draft (assignments/
plan_copy_views.py, plan_views.plan_delete): staff only; another root's plan is 404; an issued plan is
never deleted (403 on a visible plan)."""

from tests.permissions import Case
from tests.permissions.plans import EDIT_PLAN, LOCKED_PLAN, STAFF_PAGE


def _copied_draft(world) -> dict:
    """world.draft_plan (2027), marked as started from world.plan (2026)."""
    draft = world.draft_plan
    if draft.copied_from_id != world.plan.pk:
        draft.copied_from = world.plan
        draft.save(update_fields=["copied_from"])
    return {"pk": draft.pk}


def _plan(world) -> dict:
    return {"pk": world.plan.pk}


def _draft(world) -> dict:
    return {"pk": world.draft_plan.pk}


CASES = [
    Case("assignments:plan_start", STAFF_PAGE),
    Case("assignments:plan_copy_result", EDIT_PLAN, kwargs=_copied_draft),
    Case("assignments:plan_delete", EDIT_PLAN, kwargs=_draft),  # the confirmation page
    Case("assignments:plan_delete", LOCKED_PLAN, kwargs=_plan),
]
