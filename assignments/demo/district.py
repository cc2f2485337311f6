"""The demo district: a root committee shaped like the 2019 district, and one login per role.

18 grassroots committees, 23 grassroots cells directly under the root, 267 subordinate cells (87 hamlet
and neighbourhood, 23 party-building or non-state, 157 sector, agency, police, military, school and
enterprise cells), 5,976 members, 61 cadres, a schedule for every cell and this year's meetings.

Everything is planned first from ``random.Random(seed)`` (same seed, same district), then only what is
missing is written, in bulk: a second run finds everything in place and writes nothing.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from assignments.demo import visits as demo_visits
from assignments.models import Cadre
from cells.access.roles import Role
from cells.hierarchy.defaults import install_default_cell_types
from cells.hierarchy.services import organization_create, rebuild_paths
from cells.logins.services import user_create
from cells.meetings.services import schedules_generate_year
from cells.models import CellType, CellTypeGroup, Meeting, MeetingSchedule, Member, Organization

DEMO_PASSWORD = "demo-2026"  # noqa: S105 - printed on purpose: demo data only, refused with DEBUG off
ROOT_CODE = "HU-HM"
SEED = 2019
MEMBER_TOTAL = 5976
CHANGE_REASON = "demo data"

# --- The shape of the district ------------------------------------------------------------------------
COMMUNES = [
    ("Hóc Môn", "thị trấn"),
    ("Bà Điểm", "xã"),
    ("Đông Thạnh", "xã"),
    ("Nhị Bình", "xã"),
    ("Tân Hiệp", "xã"),
    ("Tân Thới Nhì", "xã"),
    ("Tân Xuân", "xã"),
    ("Thới Tam Thôn", "xã"),
    ("Trung Chánh", "xã"),
    ("Xuân Thới Đông", "xã"),
    ("Xuân Thới Sơn", "xã"),
    ("Xuân Thới Thượng", "xã"),
]
# Grassroots committees of agencies, each with its cells: (name, [(cell type, count, cell name stem)]).
AGENCY_COMMITTEES = [
    ("Đảng bộ Công an huyện", [("CA", 15, "Chi bộ Đội")]),
    ("Đảng bộ Quân sự huyện", [("QS", 8, "Chi bộ Ban")]),
    ("Đảng bộ Khối cơ quan huyện", [("CQ", 22, "Chi bộ Phòng")]),
    ("Đảng bộ Trung tâm Y tế huyện", [("NG", 12, "Chi bộ Khoa")]),
    ("Đảng bộ Ngành Giáo dục huyện", [("TH", 20, "Chi bộ Trường")]),
    ("Đảng bộ Công ty Công ích huyện", [("DNNN", 8, "Chi bộ Xí nghiệp")]),
]
SCHOOL_NAMES = ["Mầm non", "Tiểu học", "Trung học cơ sở"]
DIRECT_CELLS = [
    ("CQ", "Chi bộ Văn phòng Huyện ủy"),
    ("CQ", "Chi bộ Ban Tổ chức Huyện ủy"),
    ("CQ", "Chi bộ Ban Tuyên giáo Huyện ủy"),
    ("CQ", "Chi bộ Ủy ban Kiểm tra Huyện ủy"),
    ("CQ", "Chi bộ Ban Dân vận Huyện ủy"),
    ("CQ", "Chi bộ Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện"),
    ("XDD", "Chi bộ Ủy ban Mặt trận Tổ quốc huyện"),
    ("XDD", "Chi bộ Huyện đoàn"),
    ("XDD", "Chi bộ Hội Liên hiệp Phụ nữ huyện"),
    ("XDD", "Chi bộ Hội Nông dân huyện"),
    ("XDD", "Chi bộ Hội Cựu chiến binh huyện"),
    ("XDD", "Chi bộ Liên đoàn Lao động huyện"),
    ("NG", "Chi bộ Phòng Tài chính - Kế hoạch"),
    ("NG", "Chi bộ Phòng Tài nguyên và Môi trường"),
    ("NG", "Chi bộ Phòng Kinh tế"),
    ("NG", "Chi bộ Phòng Quản lý đô thị"),
    ("NG", "Chi bộ Phòng Lao động - Thương binh và Xã hội"),
    ("NG", "Chi bộ Phòng Văn hóa và Thông tin"),
    ("NG", "Chi bộ Tòa án nhân dân huyện"),
    ("NG", "Chi bộ Viện Kiểm sát nhân dân huyện"),
    ("NG", "Chi bộ Chi cục Thi hành án dân sự"),
    ("NG", "Chi bộ Chi cục Thuế"),
    ("NG", "Chi bộ Kho bạc Nhà nước huyện"),
]
HAMLET_TOTAL = 87  # hamlets (ấp) of the communes and neighbourhoods (khu phố) of the town
NON_STATE_COMPANIES = ["Công ty TNHH Phúc Long", "Công ty Cổ phần Tân Hiệp", "Công ty TNHH Đông Á"]

FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi", "Đặng"]
FAMILY_NAMES += ["Đỗ", "Ngô", "Hồ", "Dương", "Đinh", "Lâm", "Tô", "Mai", "Châu"]
MIDDLE_NAMES = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Đức", "Quốc", "Hoàng", "Thành", "Kim", "Xuân"]
GIVEN_NAMES = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Khánh", "Lan", "Linh"]
GIVEN_NAMES += ["Long", "Mai", "Nam", "Nga", "Phong", "Phúc", "Quang", "Sơn", "Tâm", "Thảo", "Thắng"]
GIVEN_NAMES += ["Trang", "Trung", "Tuấn", "Tùng", "Vân", "Việt", "Yến", "Đạt", "Hiếu", "Lộc", "Nhân"]

CADRE_POSITIONS = [
    (Cadre.Position.STANDING_COMMITTEE, 13),
    (Cadre.Position.COMMITTEE, 20),
    (Cadre.Position.SPECIALIST, 28),
]
START_TIMES = [time(7, 30), time(8, 0), time(14, 0), time(19, 0), time(19, 30)]
THEMATIC_TOPICS = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Nâng cao chất lượng sinh hoạt chi bộ",
    "Chuyển đổi số trong công tác đảng",
    "Xây dựng nông thôn mới kiểu mẫu",
    "Công tác phát triển đảng viên",
]
THEMATIC_COUNT = 12


@dataclass
class DemoResult:
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CellPlan:
    code: str
    name: str
    type_code: str
    parent_code: str


# --- Planning: pure data from the seed ----------------------------------------------------------------
def _split(total: int, parts: int) -> list[int]:
    """``total`` spread as evenly as possible over ``parts`` (the first ones get the remainder)."""
    return [total // parts + (1 if index < total % parts else 0) for index in range(parts)]


def plan_committees() -> list[tuple[str, str]]:
    communes = [(f"HM-DB{n:02d}", f"Đảng bộ {kind} {name}") for n, (name, kind) in enumerate(COMMUNES, 1)]
    agencies = [
        (f"HM-DB{n:02d}", name) for n, (name, _cells) in enumerate(AGENCY_COMMITTEES, len(COMMUNES) + 1)
    ]
    return communes + agencies


def plan_direct_cells() -> list[CellPlan]:
    return [
        CellPlan(f"HM-CB{n:02d}", name, code, ROOT_CODE) for n, (code, name) in enumerate(DIRECT_CELLS, 1)
    ]


def plan_commune_cells(
    committee_code: str, commune: str, kind: str, hamlets: int, index: int
) -> list[CellPlan]:
    """A commune's cells: hamlets or neighbourhoods, the party-building office, police, military, schools,
    its people's committee and (every other commune but the last) one non-state company."""
    hamlet_type, hamlet_word = ("KP", "Khu phố") if kind == "thị trấn" else ("AP", "Ấp")
    cells = [(hamlet_type, f"Chi bộ {hamlet_word} {n}") for n in range(1, hamlets + 1)]
    cells.append(("XDD", f"Chi bộ Cơ quan Đảng - Đoàn thể {kind} {commune}"))
    if index < 11:
        cells.append(("NKV", f"Chi bộ {NON_STATE_COMPANIES[index % len(NON_STATE_COMPANIES)]} ({commune})"))
    cells.append(("CA", f"Chi bộ Công an {kind} {commune}"))
    cells.append(("QS", f"Chi bộ Quân sự {kind} {commune}"))
    cells.append(("CQ", f"Chi bộ Ủy ban nhân dân {kind} {commune}"))
    cells += [("TH", f"Chi bộ Trường {school} {commune}") for school in SCHOOL_NAMES]
    return [
        CellPlan(f"{committee_code}-{n:02d}", name, type_code, committee_code)
        for n, (type_code, name) in enumerate(cells, 1)
    ]


def plan_subordinate_cells() -> list[CellPlan]:
    committees = plan_committees()
    cells: list[CellPlan] = []
    for index, ((commune, kind), hamlets) in enumerate(
        zip(COMMUNES, _split(HAMLET_TOTAL, len(COMMUNES)), strict=True)
    ):
        cells += plan_commune_cells(committees[index][0], commune, kind, hamlets, index)
    for (committee_code, _name), (_committee, groups) in zip(
        committees[len(COMMUNES) :], AGENCY_COMMITTEES, strict=True
    ):
        for type_code, count, stem in groups:
            cells += [
                CellPlan(f"{committee_code}-{n:02d}", f"{stem} {n}", type_code, committee_code)
                for n in range(1, count + 1)
            ]
    return cells


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"


def member_sizes(rng: random.Random, cells: int, smallest: int = 5) -> list[int]:
    """Cell sizes that add up to MEMBER_TOTAL exactly, uneven like real cells."""
    weights = [rng.randint(1, 40) for _ in range(cells)]
    spread = MEMBER_TOTAL - smallest * cells
    sizes = [smallest + spread * weight // sum(weights) for weight in weights]
    for index in range(MEMBER_TOTAL - sum(sizes)):
        sizes[index % cells] += 1
    return sizes


def plan_members(rng: random.Random, cell_codes: list[str], year: int) -> Iterator[dict]:
    number = 0
    for code, size in zip(cell_codes, member_sizes(rng, len(cell_codes)), strict=True):
        for _ in range(size):
            number += 1
            probationary = rng.random() < 0.06
            joined_year = year - 1 if probationary else rng.randint(1975, year - 2)
            yield {
                "card_number": f"HM.{number:06d}",
                "full_name": person_name(rng),
                "cell_code": code,
                "status": Member.Status.PROBATIONARY if probationary else Member.Status.OFFICIAL,
                "joined_on": date(joined_year, rng.randint(1, 12), rng.randint(1, 28)),
            }


# Every NO_EMAIL_EVERY-th cadre has no e-mail address: the operations page's list of cadres no notice
# reaches is not empty in the demo.
NO_EMAIL_EVERY = 12


def ascii_name(name: str) -> str:
    """ "Nguyễn Văn Đức" -> "nguyen van duc": for example e-mail addresses."""
    folded = unicodedata.normalize("NFKD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(char for char in folded if not unicodedata.combining(char)).lower()


def demo_email(full_name: str, number: int) -> str:
    """Given name then family name, numbered (demo names repeat): "duc.nguyen07@hocmon.example.org"."""
    parts = ascii_name(full_name).split()
    return f"{parts[-1]}.{parts[0]}{number:02d}@hocmon.example.org"


def plan_cadres(rng: random.Random) -> Iterator[dict]:
    number = 0
    for position, count in CADRE_POSITIONS:
        for _ in range(count):
            number += 1
            full_name = person_name(rng)
            yield {
                "code": f"HM-CAN{number:03d}",
                "full_name": full_name,
                "position": position,
                "email": "" if number % NO_EMAIL_EVERY == 0 else demo_email(full_name, number),
            }


def plan_schedule(rng: random.Random, cell: Organization) -> dict:
    base = cell.name.removeprefix("Chi bộ ").strip()
    fields = {"start_time": rng.choice(START_TIMES), "place": f"Hội trường {base}"}
    if rng.random() < 0.6:
        return {
            **fields,
            "rule": MeetingSchedule.Rule.DAY_OF_MONTH,
            "day": rng.choice([3, 5, 10, 15, 20, 25]),
        }
    return {
        **fields,
        "rule": MeetingSchedule.Rule.WEEKDAY_OF_MONTH,
        "ordinal": rng.choice([1, 2, 3, 4, -1]),
        "weekday": rng.randint(0, 6),
    }


# --- Writing what is missing --------------------------------------------------------------------------
@transaction.atomic
def seed_demo(
    stdout=None, *, seed: int = SEED, year: int | None = None, today: date | None = None
) -> DemoResult:
    today = today or timezone.localdate()
    year = year or today.year
    rng = random.Random(seed)
    result = DemoResult()
    root = _ensure_root()
    organizations = _ensure_organizations(root, result)
    cells = [org for org in organizations.values() if org.is_cell]
    _ensure_members(rng, cells, year, result)
    cadres = _ensure_cadres(rng, root, result)
    schedules = _ensure_schedules(rng, cells, result)
    result.created["meetings"] = sum(
        schedules_generate_year(schedules=schedules, year=meetings_year) for meetings_year in (year - 1, year)
    )
    result.created["thematic meetings"] = _ensure_thematic(rng, schedules, year)
    first_committee = organizations[plan_committees()[0][0]]
    result.logins, users = _ensure_logins(root, first_committee, cadres[0])
    _ensure_activity(root, cells, cadres, users, year=year, today=today, seed=seed, result=result)
    if stdout is not None:
        for what, count in result.created.items():
            stdout.write(f"  {what}: {count} created")
    return result


def _ensure_activity(
    root: Organization,
    cells: list,
    cadres: list[Cadre],
    users: dict,
    *,
    year: int,
    today: date,
    seed: int,
    result: DemoResult,
) -> None:
    """Last year's and this year's plans, visits, exempt months and notes (assignments.demo.visits)."""
    staff, leader = users["tochuc"], users["thuongvu"]
    plans, result.created["issued plans"] = demo_visits.ensure_plans(
        root=root, cells=cells, cadres=cadres, year=year, staff=staff, seed=seed
    )
    exempt, result.created["exempt months"] = demo_visits.ensure_exemptions(
        cadres=cadres, year=year, today=today, staff=staff
    )
    visits, result.created["visits"] = demo_visits.ensure_visits(
        plans=plans, exempt=exempt, today=today, staff=staff, seed=seed
    )
    result.created["notes"], result.created["escalations"] = demo_visits.ensure_notes(
        visits=visits, now=timezone.now(), staff=staff, leader=leader, seed=seed
    )


def _ensure_root() -> Organization:
    return Organization.objects.filter(code=ROOT_CODE).first() or organization_create(
        code=ROOT_CODE, name="Đảng bộ huyện Hóc Môn", kind=Organization.Kind.COMMITTEE, place_name="Hóc Môn"
    )


def _ensure_organizations(root: Organization, result: DemoResult) -> dict[str, Organization]:
    """Committees first (their cells need their keys), then every cell; paths set in one bulk update."""
    existing = {org.code: org for org in Organization.objects.subtree(root)}
    # The default types ship in a migration, but a database may have lost them (edited, or flushed).
    install_default_cell_types(CellTypeGroup, CellType)
    types = {cell_type.code: cell_type for cell_type in CellType.objects.all()}
    committees = [
        Organization(code=code, name=name, kind=Organization.Kind.COMMITTEE, parent=root)
        for code, name in plan_committees()
        if code not in existing
    ]
    new = _bulk_create(committees, Organization)
    existing.update({org.code: org for org in new})
    cells = [
        Organization(
            code=plan.code,
            name=plan.name,
            kind=Organization.Kind.CELL,
            cell_type=types[plan.type_code],
            parent=existing[plan.parent_code],
        )
        for plan in plan_direct_cells() + plan_subordinate_cells()
        if plan.code not in existing
    ]
    new_cells = _bulk_create(cells, Organization)
    existing.update({org.code: org for org in new_cells})
    created = new + new_cells
    rebuild_paths(created)
    Organization.objects.bulk_update(created, ["path", "depth"], batch_size=500)
    result.created["organizations"] = len(created)
    return existing


def _ensure_members(rng: random.Random, cells: list[Organization], year: int, result: DemoResult) -> None:
    by_code = {cell.code: cell for cell in cells}
    ordered = [plan.code for plan in plan_direct_cells() + plan_subordinate_cells()]
    planned = list(plan_members(rng, ordered, year))  # always drawn, so later draws stay the same
    existing = set(
        Member.objects.filter(card_number__in=[row["card_number"] for row in planned]).values_list(
            "card_number", flat=True
        )
    )
    new = [
        Member(cell=by_code[row.pop("cell_code")], **row)
        for row in planned
        if row["card_number"] not in existing
    ]
    result.created["members"] = len(_bulk_create(new, Member))


def _ensure_cadres(rng: random.Random, root: Organization, result: DemoResult) -> list[Cadre]:
    planned = list(plan_cadres(rng))
    codes = [row["code"] for row in planned]
    existing = set(Cadre.objects.filter(code__in=codes).values_list("code", flat=True))
    new = [Cadre(organization=root, **row) for row in planned if row["code"] not in existing]
    result.created["cadres"] = len(_bulk_create(new, Cadre))
    return list(Cadre.objects.filter(code__in=codes).order_by("code"))


def _ensure_schedules(
    rng: random.Random, cells: list[Organization], result: DemoResult
) -> list[MeetingSchedule]:
    cells = sorted(cells, key=lambda cell: cell.code)
    planned = {cell.pk: plan_schedule(rng, cell) for cell in cells}
    existing = {schedule.cell_id: schedule for schedule in MeetingSchedule.objects.filter(cell__in=cells)}
    new = [MeetingSchedule(cell=cell, **planned[cell.pk]) for cell in cells if cell.pk not in existing]
    result.created["schedules"] = len(_bulk_create(new, MeetingSchedule))
    existing.update({schedule.cell_id: schedule for schedule in new})
    return [existing[cell.pk] for cell in cells]


def _ensure_thematic(rng: random.Random, schedules: list[MeetingSchedule], year: int) -> int:
    """A few thematic meetings, a week after the regular meeting of a month, for some cells."""
    picks = rng.sample(schedules, THEMATIC_COUNT)
    planned = []
    for index, schedule in enumerate(picks):
        month = 1 + (index * 5) % 12
        day = schedule.date_in_month(year, month)
        day = day.replace(day=min(day.day + 7, 28))
        planned.append(
            Meeting(
                cell_id=schedule.cell_id,
                date=day,
                start_time=schedule.start_time,
                place=schedule.place,
                kind=Meeting.Kind.THEMATIC,
                topic=THEMATIC_TOPICS[index % len(THEMATIC_TOPICS)],
            )
        )
    existing = set(
        Meeting.objects.filter(
            kind=Meeting.Kind.THEMATIC, cell__in=[schedule.cell_id for schedule in picks], date__year=year
        ).values_list("cell_id", "date", "topic")
    )
    new = [meeting for meeting in planned if (meeting.cell_id, meeting.date, meeting.topic) not in existing]
    return len(_bulk_create(new, Meeting))


def _ensure_logins(
    root: Organization, first_committee: Organization, cadre: Cadre
) -> tuple[list[tuple[str, str, str]], dict]:
    """One login per role: (username, role, scope) to print, and the users by username."""
    logins, users = [], {}
    for username, role, scope in [
        ("tochuc", Role.ORGANIZATION_STAFF, root),
        ("thuongvu", Role.LEADERSHIP, root),
        ("canbo", Role.CADRE, root),
        ("coso", Role.GRASSROOTS_STAFF, first_committee),
    ]:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            full_name = cadre.full_name if role == Role.CADRE else ""
            user = user_create(
                username=username, password=DEMO_PASSWORD, role=role, scope=scope, full_name=full_name
            )
        if user.profile.scope_id != scope.pk:  # a login left by an older demo with another scope
            user.profile.scope = scope
            user.profile.save(update_fields=["scope"])
        if role == Role.CADRE and cadre.user_id is None and not Cadre.objects.filter(user=user).exists():
            cadre.user = user
            cadre.save(update_fields=["user"])
        logins.append((username, str(role.label), scope.code))
        users[username] = user
    return logins, users


def _bulk_create(objects: list, model) -> list:
    if not objects:
        return []
    for obj in objects:
        if hasattr(obj, "refresh_texts"):
            obj.refresh_texts()  # bulk_create skips save(), which sets labels, sort keys, search texts
    return bulk_create_with_history(objects, model, batch_size=1000, default_change_reason=CHANGE_REASON)
