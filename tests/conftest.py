"""Shared fixtures: the personas every app's tests use (docs/conventions.md, tests) and the CI rules for skips."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.db import connection

from cells.access.roles import Role
from cells.logins.services import user_create
from cells.models import Organization
from tests.factories import CadreFactory, CellFactory, OrganizationFactory

PASSWORD = "correct-horse-battery"
IN_CI = os.environ.get("CI", "").lower() == "true"


# --- CI: a skipped test is a failure -------------------------------------------------------------
_skipped: list[str] = []


def pytest_report_header(config) -> list[str]:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return [
        f"database: {engine}",
        f"redis: {settings.REDIS_URL or 'not set (Redis tests skip)'}",
        f"chromium: {'/usr/bin/chromium' if os.path.exists('/usr/bin/chromium') else 'missing (browser tests skip)'}",
        f"CI: {IN_CI} (skips fail the run)",
    ]


def pytest_runtest_logreport(report) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus) -> None:
    if IN_CI and _skipped and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(f"\nCI=true: {len(_skipped)} test(s) skipped; in CI every test must run:")
        for nodeid in _skipped:
            print(f"  SKIPPED {nodeid}")


def require(condition: bool, reason: str) -> None:
    """Skip a test that needs a service that is missing here; in CI, fail it instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@pytest.fixture
def postgres_required() -> None:
    require(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")


# --- Personas ---------------------------------------------------------------------------------------
@dataclass
class Tree:
    root: Organization
    committee: Organization  # a grassroots committee
    cell: Organization  # a subordinate cell of `committee`
    cell2: Organization
    sibling_committee: Organization
    sibling_cell: Organization
    direct_cell: Organization  # a grassroots cell directly under the root
    other_root: Organization  # another root committee: the outsider's tree
    other_cell: Organization


@pytest.fixture
def tree(db) -> Tree:
    root = OrganizationFactory(code="HU", name="Huyện ủy Hóc Môn", place_name="Hóc Môn")
    committee = OrganizationFactory(code="XA", name="Đảng bộ xã Xuân Thới Sơn", parent=root)
    sibling = OrganizationFactory(code="XB", name="Đảng bộ xã Bà Điểm", parent=root)
    other_root = OrganizationFactory(code="HU2", name="Huyện ủy Củ Chi")
    return Tree(
        root=root,
        committee=committee,
        cell=CellFactory(code="XA-AP1", name="Chi bộ ấp 1", parent=committee),
        cell2=CellFactory(code="XA-TH", name="Chi bộ trường học", parent=committee),
        sibling_committee=sibling,
        sibling_cell=CellFactory(code="XB-AP1", name="Chi bộ ấp Bà Điểm", parent=sibling),
        direct_cell=CellFactory(code="HU-CQ", name="Chi bộ cơ quan", parent=root),
        other_root=other_root,
        other_cell=CellFactory(code="HU2-AP", name="Chi bộ ấp Củ Chi", parent=other_root),
    )


def _persona(username: str, role: Role, scope: Organization):
    return user_create(
        username=username, password=PASSWORD, role=role, scope=scope, full_name=username.title()
    )


@pytest.fixture
def staff(tree):
    return _persona("staff", Role.ORGANIZATION_STAFF, tree.root)


@pytest.fixture
def leader(tree):
    return _persona("leader", Role.LEADERSHIP, tree.root)


@pytest.fixture
def cadre_user(tree):
    user = _persona("cadre", Role.CADRE, tree.root)
    CadreFactory(code="CAD1", full_name="Lê Văn Cán", organization=tree.root, user=user)
    return user


@pytest.fixture
def other_cadre_user(tree):
    """Another cadre of the same root: must never see the first cadre's visits."""
    user = _persona("othercadre", Role.CADRE, tree.root)
    CadreFactory(code="CAD2", full_name="Võ Thị Khác", organization=tree.root, user=user)
    return user


@pytest.fixture
def sibling_grassroots(tree):
    """Grassroots staff of the sibling committee XB."""
    return _persona("siblinggrassroots", Role.GRASSROOTS_STAFF, tree.sibling_committee)


@pytest.fixture
def grassroots(tree):
    """Grassroots staff of committee XA: may edit XA's cells' meetings, nothing else."""
    return _persona("grassroots", Role.GRASSROOTS_STAFF, tree.committee)


@pytest.fixture
def outsider(tree):
    """Organization staff of another root committee: sees nothing of this tree."""
    return _persona("outsider", Role.ORGANIZATION_STAFF, tree.other_root)


@pytest.fixture
def personas(staff, leader, cadre_user, other_cadre_user, grassroots, sibling_grassroots, outsider) -> dict:
    return {
        "staff": staff,
        "leader": leader,
        "cadre": cadre_user,
        "other_cadre": other_cadre_user,
        "grassroots": grassroots,
        "sibling_grassroots": sibling_grassroots,
        "outsider": outsider,
    }


@pytest.fixture
def client_for(client):
    """Log a persona in: ``client_for(staff).get(url)``."""

    def login(user):
        client.force_login(user)
        return client

    return login
