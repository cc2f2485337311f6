"""Writes to the hierarchy. Each service validates, saves and keeps the materialized paths right."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from cells.models import Organization

ORGANIZATION_FIELDS = [
    "code",
    "name",
    "kind",
    "parent",
    "cell_type",
    "place_name",
    "valid_from",
    "valid_to",
    "successor",
]


@transaction.atomic
def organization_create(**fields) -> Organization:
    organization = Organization(**fields)
    organization.full_clean(exclude=["path", "depth"])
    organization.save()
    organization.build_path()
    organization.save(update_fields=["path", "depth"])
    return organization


@transaction.atomic
def organization_update(organization: Organization, **fields) -> Organization:
    old_path = organization.path
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.full_clean(exclude=["path", "depth"])
    organization.build_path()
    organization.save()
    if organization.path != old_path:
        subtree_move(old_path, organization.path)
    if organization.is_committee and "name" in fields:
        organization_children_relabel(committees=[organization])
    return organization


def organization_children_relabel(*, committees: list[Organization]) -> int:
    """A renamed committee's cells read with its new name ("Chi bộ Ấp 4 – Đảng bộ xã Tân Xuân")."""
    if not committees:
        return 0
    by_pk = {committee.pk: committee for committee in committees}
    cells = list(
        Organization.objects.filter(parent__in=list(by_pk), kind=Organization.Kind.CELL).only(
            "pk", "code", "name", "kind", "parent_id"
        )
    )
    for cell in cells:
        cell.refresh_texts(parent_name=by_pk[cell.parent_id].name)
    Organization.objects.bulk_update(cells, list(Organization.TEXT_FIELDS), batch_size=1000)
    return len(cells)


def subtree_move(old_path: str, new_path: str) -> int:
    """Rewrite the path prefix of every descendant in one UPDATE (no walk in Python)."""
    depth_change = new_path.count("/") - old_path.count("/")
    return (
        Organization.objects.filter(path__startswith=old_path)
        .exclude(path=new_path)
        .update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + depth_change,
        )
    )


def rebuild_paths(organizations: list[Organization]) -> None:
    """Set path/depth for saved organizations whose parents are known (parents before children)."""
    by_id = {org.pk: org for org in organizations}
    done: set[int] = set()

    def visit(org: Organization) -> None:
        if org.pk in done:
            return
        parent = by_id.get(org.parent_id) if org.parent_id else None
        if parent is not None:
            visit(parent)
            org.parent = parent
        org.build_path()
        done.add(org.pk)

    for org in organizations:
        visit(org)
