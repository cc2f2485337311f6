"""Every URL of ours × every persona (STYLE.md §14): a new view with no access rule fails here."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

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


@pytest.fixture
def world(tree, personas) -> World:
    return World(
        tree=tree,
        meeting=MeetingFactory(cell=tree.cell),
        member=MemberFactory(cell=tree.cell),
        cadre=CadreFactory(code="CAD-W", organization=tree.root),
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.url_name}{c.query}")
def test_permission_matrix(case: Case, persona: str, world, personas, client):
    if persona != "anonymous":
        client.force_login(personas[persona])
    url = reverse(case.url_name, kwargs=case.kwargs(world)) + case.query
    response = client.get(url)
    assert response.status_code == case.expected(persona), f"{persona} GET {url}"
