"""The demo district: a root committee shaped like the one in PRODUCT.md, and one login per role."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Organization
from .roles import Role
from .services import organization_create, user_create

DEMO_PASSWORD = "demo-2026"  # noqa: S105 - printed on purpose: demo data only, refused with DEBUG off
ROOT_CODE = "HU-HM"


@dataclass
class DemoResult:
    logins: list[tuple[str, str, str]] = field(default_factory=list)


@transaction.atomic
def seed_demo(stdout=None) -> DemoResult:
    root = Organization.objects.filter(code=ROOT_CODE).first() or organization_create(
        code=ROOT_CODE, name="Đảng bộ huyện Hóc Môn", kind=Organization.Kind.COMMITTEE, place_name="Hóc Môn"
    )
    result = DemoResult()
    for username, role, scope in [
        ("tochuc", Role.ORGANIZATION_STAFF, root),
        ("thuongvu", Role.LEADERSHIP, root),
        ("canbo", Role.CADRE, root),
        ("coso", Role.GRASSROOTS_STAFF, root),
    ]:
        if not get_user_model().objects.filter(username=username).exists():
            user_create(username=username, password=DEMO_PASSWORD, role=role, scope=scope)
        result.logins.append((username, str(role.label), scope.code))
    return result
