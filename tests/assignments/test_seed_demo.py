"""The demo district has the shape of the 2019 district in PRODUCT.md, and a second run writes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from assignments.demo import DEMO_PASSWORD, ROOT_CODE, seed_demo
from assignments.models import Cadre
from cells.models import Meeting, MeetingSchedule, Member, Organization
from cells.roles import Role, user_role
from cells.selectors import user_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    output = StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


def _counts() -> dict[str, int]:
    return {
        "organizations": Organization.objects.count(),
        "members": Member.objects.count(),
        "cadres": Cadre.objects.count(),
        "schedules": MeetingSchedule.objects.count(),
        "meetings": Meeting.objects.count(),
        "users": get_user_model().objects.count(),
        "organization history": Organization.history.count(),
        "member history": Member.history.count(),
        "meeting history": Meeting.history.count(),
    }


def test_demo_district_has_the_shape_of_the_2019_district(demo):
    """One test for the whole shape: seeding takes seconds, so it runs once here."""
    root = Organization.objects.get(code=ROOT_CODE)
    assert (root.name, root.place_name, root.parent_id) == ("Đảng bộ huyện Hóc Môn", "Hóc Môn", None)
    under_root = Organization.objects.filter(parent=root)
    assert under_root.committees().count() == 18
    assert under_root.cells().count() == 23
    subordinate = Organization.objects.cells().filter(parent__parent=root)
    assert subordinate.count() == 267
    by_group = dict(subordinate.values_list("cell_type__group__code").annotate(n=Count("pk")))
    assert by_group == {"AP_KP": 87, "XDD_NKV": 23, "NG_CQ": 157}
    assert Organization.objects.subtree(root).count() == 1 + 18 + 23 + 267

    assert Organization.objects.subtree(root).count() == Organization.objects.count()
    cell = Organization.objects.cells().filter(parent__parent=root).first()
    assert cell.path == f"{root.path}{cell.parent_id}/{cell.pk}/"
    assert cell.depth == 2

    assert Member.objects.count() == 5976
    assert Organization.objects.cells().filter(members__isnull=True).count() == 0
    statuses = set(Member.objects.values_list("status", flat=True))
    assert statuses == {Member.Status.OFFICIAL, Member.Status.PROBATIONARY}
    assert not Member.objects.filter(joined_on__isnull=True).exists()
    names = Member.objects.values_list("full_name", flat=True)[:50]
    assert any(name != name.encode("ascii", "ignore").decode() for name in names)  # Vietnamese diacritics

    assert Cadre.objects.filter(organization=root).count() == 61
    positions = dict(Cadre.objects.values_list("position").annotate(n=Count("pk")))
    assert set(positions) == set(Cadre.Position.values)

    year = timezone.localdate().year
    cells = Organization.objects.cells().count()
    assert MeetingSchedule.objects.count() == cells == 290
    regular = Meeting.objects.filter(kind=Meeting.Kind.REGULAR, date__year=year)
    assert regular.count() == cells * 12
    months = regular.values("cell").annotate(n=Count("date__month", distinct=True))
    assert {row["n"] for row in months} == {12}
    assert 0 < Meeting.objects.filter(kind=Meeting.Kind.THEMATIC).exclude(topic="").count() < 50
    # Bulk-created meetings have their "created" history rows too.
    assert Meeting.history.filter(history_type="+").count() == Meeting.objects.count()


def test_one_login_per_role(demo):
    expected = {
        "tochuc": (Role.ORGANIZATION_STAFF, ROOT_CODE),
        "thuongvu": (Role.LEADERSHIP, ROOT_CODE),
        "canbo": (Role.CADRE, ROOT_CODE),
        "coso": (Role.GRASSROOTS_STAFF, "HM-DB01"),
    }
    for username, (role, scope_code) in expected.items():
        user = get_user_model().objects.get(username=username)
        assert (user_role(user), user_scope(user).code) == (role, scope_code)
        assert username in demo
        assert user.check_password(DEMO_PASSWORD)
    first_committee = (
        Organization.objects.committees().filter(parent__code=ROOT_CODE).order_by("code").first()
    )
    assert first_committee.code == "HM-DB01"
    assert Cadre.objects.get(user__username="canbo").organization.code == ROOT_CODE
    assert DEMO_PASSWORD in demo


def test_second_run_changes_nothing_and_is_fast(demo, django_assert_max_num_queries):
    before = _counts()
    names = list(Member.objects.order_by("card_number").values_list("full_name", flat=True)[:20])
    with django_assert_max_num_queries(40):
        seed_demo()
    assert _counts() == before
    assert list(Member.objects.order_by("card_number").values_list("full_name", flat=True)[:20]) == names


def test_refuses_with_debug_off_unless_forced(settings, db):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
    assert not Organization.objects.filter(code=ROOT_CODE).exists()
    call_command("seed_demo", "--force", stdout=StringIO())
    assert Organization.objects.filter(code=ROOT_CODE).exists()
