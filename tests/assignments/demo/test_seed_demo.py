"""The demo district has the shape of the 2019 district's summary, and a second run writes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Exists, F, OuterRef
from django.db.models.functions import ExtractYear
from django.utils import timezone

from assignments.demo.district import DEMO_PASSWORD, ROOT_CODE, seed_demo
from assignments.models import (
    Assignment,
    AssignmentPlan,
    AttendanceNote,
    Cadre,
    CadreExemption,
    Escalation,
    NoteRound,
    RuleOverride,
    Visit,
)
from assignments.notes.selectors import escalations_visible_to, notes_visible_to
from assignments.visits.selectors import visits_visible_to
from cells.access.roles import Role, user_role
from cells.access.scope import user_scope
from cells.models import Meeting, MeetingSchedule, Member, Organization
from reports.coverage.selectors import Basis, Period, coverage

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
        "plans": AssignmentPlan.objects.count(),
        "assignments": Assignment.objects.count(),
        "visits": Visit.objects.count(),
        "visit history": Visit.history.count(),
        "notes": AttendanceNote.objects.count(),
        "rounds": NoteRound.objects.count(),
        "escalations": Escalation.objects.count(),
        "exempt months": CadreExemption.objects.count(),
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
    # Last year's meetings too: the visits of last year attended them.
    assert Meeting.objects.filter(kind=Meeting.Kind.REGULAR, date__year=year - 1).count() == cells * 12
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
    # About 45 reads whatever the size: the default types, the logins, one per kind of row to compare.
    with django_assert_max_num_queries(45):
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


# --- Plans, visits and notes: what the dashboard and the reports show ------------------------------------
def _table(result) -> dict:
    return {
        "direct": (result.direct.covered, result.direct.cells, str(result.direct.percent)),
        "subordinate": (
            result.subordinate.covered,
            result.subordinate.cells,
            str(result.subordinate.percent),
        ),
        "groups": [(g.code, g.covered, g.cells, str(g.percent)) for g in result.subordinate.groups],
        "total": (result.total.covered, result.total.cells, str(result.total.percent)),
    }


def test_this_years_plan_is_the_2019_table_and_last_years_has_12_cadres_fewer(demo):
    root = Organization.objects.get(code=ROOT_CODE)
    year = timezone.localdate().year
    plans = AssignmentPlan.objects.filter(root=root)
    assert sorted(plans.values_list("year", "status", "number")) == [
        (year - 1, "issued", 1),
        (year, "issued", 1),
    ]
    assert not RuleOverride.objects.exists()  # issued through plan_issue: every rule of the notice holds
    this_year = coverage(root=root, period=Period.year(year), basis=Basis.ASSIGNED)
    # The 2019 summary: 23/23; 78/267 = 29.21 %, of which 64/87, 3/23 and 11/157; 101/290.
    assert _table(this_year) == {
        "direct": (23, 23, "100.00"),
        "subordinate": (78, 267, "29.21"),
        "groups": [("AP_KP", 64, 87, "73.56"), ("XDD_NKV", 3, 23, "13.04"), ("NG_CQ", 11, 157, "7.01")],
        "total": (101, 290, "34.83"),
    }
    last_year = coverage(root=root, period=Period.year(year - 1), basis=Basis.ASSIGNED)
    assert (this_year.cadres_assigned, last_year.cadres_assigned) == (61, 49)  # "61, tăng 12"
    assert last_year.subordinate.covered == 60 and last_year.direct.covered == 23
    # Each cadre covers cells of two kinds at least.
    kinds = (
        Assignment.objects.filter(plan__year=year)
        .values("cadre")
        .annotate(n=Count("cell__cell_type", distinct=True))
    )
    assert min(row["n"] for row in kinds) >= 2


def test_past_months_have_attended_visits_with_notes(demo):
    root = Organization.objects.get(code=ROOT_CODE)
    today = timezone.localdate()
    attended = Visit.objects.filter(status=Visit.Status.ATTENDED)
    # Every month of last year and every past month of this one has visits; none lies ahead.
    months = set(attended.values_list("meeting_date__year", "meeting_date__month").distinct())
    assert {(today.year - 1, month) for month in range(1, 13)} | {
        (today.year, m) for m in range(1, today.month)
    } <= months
    assert not attended.filter(meeting_date__gte=today).exists()
    assert not Visit.objects.filter(status=Visit.Status.PLANNED, meeting_date__lt=today).exists()
    assert 450 < attended.filter(meeting_date__year=today.year - 1).count() <= 49 * 12
    last_year = coverage(root=root, period=Period.year(today.year - 1))
    assert 0 < last_year.total.covered <= 23 + 60 and last_year.cadres_attended > 40
    # A visit is to a cell the cadre is assigned to in that year's issued plan; one cadre per meeting.
    visits = Visit.objects.all()
    assert not visits.exclude(
        Exists(
            Assignment.objects.filter(
                plan__status=AssignmentPlan.Status.ISSUED,
                plan__year=ExtractYear(OuterRef("meeting_date")),
                cadre=OuterRef("cadre"),
                cell=OuterRef("cell"),
            )
        )
    ).exists()
    assert not visits.values("meeting").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert all(visit.meeting_date == visit.meeting.date for visit in visits.select_related("meeting")[:200])
    # Every attended visit has its note, submitted or accepted, with its round; recent ones wait.
    notes = AttendanceNote.objects.all()
    assert notes.count() == attended.count()
    assert set(notes.values_list("status", flat=True)) == {"accepted", "submitted"}
    assert not notes.exclude(meeting_date=F("visit__meeting_date")).exists()
    assert (
        NoteRound.objects.filter(decision="accepted", reviewed_by__username="tochuc").count()
        == notes.filter(status="accepted").count()
    )
    assert NoteRound.objects.count() == notes.count()
    # Escalations come from accepted notes' flagged sections; some are still open.
    escalations = Escalation.objects.all()
    assert escalations.exists() and not escalations.exclude(note__status="accepted").exists()
    assert escalations.filter(status=Escalation.Status.OPEN).exists()


def test_exempt_months_have_no_visit(demo):
    today = timezone.localdate()
    exemptions = CadreExemption.objects.filter(year=today.year)
    assert exemptions.count() == len([month for month in (3, 6, 9) if month <= today.month])
    for exemption in exemptions:
        assert not Visit.objects.filter(
            cadre=exemption.cadre, meeting_date__year=exemption.year, meeting_date__month=exemption.month
        ).exists()


def test_the_demo_grassroots_login_sees_no_visit_note_or_escalation(demo):
    User = get_user_model()
    coso = User.objects.get(username="coso")
    assert Visit.objects.filter(cell__path__startswith=user_scope(coso).path).exists()  # there are some
    assert visits_visible_to(coso).count() == 0
    assert notes_visible_to(coso).count() == 0
    assert escalations_visible_to(coso).count() == 0
    cadre = User.objects.get(username="canbo")
    assert visits_visible_to(cadre).count() == Visit.objects.filter(cadre__user=cadre).count() > 0
