"""Every URL of ours × every persona (STYLE.md §14): a new view with no access rule fails here."""

from __future__ import annotations

import datetime
import importlib
import pkgutil
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assignments.models import Assignment, AssignmentPlan, Cadre, Notification, Visit
from tests import permissions
from tests.permissions import PERSONAS, Case

from .factories import CadreFactory, MeetingFactory, MemberFactory

# URL names that are not ours to guard: Django's own admin, i18n and auth machinery.
EXEMPT_NAMESPACES = {"admin"}
EXEMPT_NAMES = {"set_language", "logout"}  # POST-only views of Django, tested in tests/config


def all_cases() -> list[Case]:
    cases = []
    for module in pkgutil.iter_modules(permissions.__path__):
        cases.extend(importlib.import_module(f"tests.permissions.{module.name}").CASES)
    return cases


def our_url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in EXEMPT_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= our_url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in EXEMPT_NAMES:
            names.add(f"{namespace}{entry.name}")
    return names


CASES = all_cases()


def test_every_url_has_a_permission_case():
    covered = {case.url_name for case in CASES}
    missing = sorted(our_url_names() - covered)
    assert not missing, f"URL patterns with no case in tests/permissions/: {missing}"


@dataclass
class World:
    tree: object
    meeting: object
    member: object
    cadre: object
    plan: object
    draft_plan: object
    assignment: object
    visit: object
    notification: object


@pytest.fixture
def world(tree, personas) -> World:
    meeting = MeetingFactory(cell=tree.cell)
    cad1 = Cadre.objects.get(code="CAD1")
    cad2 = Cadre.objects.get(code="CAD2")
    plan = AssignmentPlan.objects.create(
        root=tree.root,
        year=2026,
        status=AssignmentPlan.Status.ISSUED,
        number=15,
        issuer_abbreviation="HU",
        issued_on=datetime.date(2026, 1, 5),
        summary="Phân công dự sinh hoạt chi bộ năm 2026",
        signer_name="Nguyễn Văn Ký",
        signer_title="PHÓ BÍ THƯ",
    )
    assignment = Assignment.objects.create(plan=plan, cadre=cad1, cell=tree.cell)
    Assignment.objects.create(plan=plan, cadre=cad2, cell=tree.sibling_cell)
    draft = AssignmentPlan.objects.create(root=tree.root, year=2027, issuer_abbreviation="HU")
    Assignment.objects.create(plan=draft, cadre=cad1, cell=tree.cell2)
    return World(
        tree=tree,
        meeting=meeting,
        member=MemberFactory(cell=tree.cell),
        cadre=CadreFactory(code="CAD-W", organization=tree.root),
        plan=plan,
        draft_plan=draft,
        assignment=assignment,
        visit=Visit.objects.create(cadre=cad1, cell=tree.cell, meeting=meeting, planned_by=personas["staff"]),
        notification=Notification.objects.create(
            recipient=personas["cadre"], kind=Notification.Kind.MEETING_MOVED, text="Họp chuyển sang 19:00"
        ),
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.url_name}{c.query}")
def test_permission_matrix(case: Case, persona: str, world, personas, client):
    if persona != "anonymous":
        client.force_login(personas[persona])
    url = reverse(case.url_name, kwargs=case.kwargs(world)) + case.query
    response = client.get(url)
    assert response.status_code == case.expected(persona), f"{persona} GET {url}"
