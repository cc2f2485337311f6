"""The demo district's plans, visits and attendance notes, so the dashboard and the reports have figures.

For last year and this year: an issued plan (Thông báo phân công) whose coverage on the assigned basis
is the 2019 summary's table (23/23 direct cells; 78/267 subordinate cells, of which 64/87
hamlet and neighbourhood cells, 3/23 party-building and non-state cells, 11/157 sector and agency
cells), signed by 61 cadres this year and 49 last year ("61, tăng 12"); then, for every month already
past, most cadres attend one meeting of one of their cells and write a note (accepted, or submitted
when recent; a few late, a few escalated to leadership); a few months are exempted, a few cadres fall
behind, and the rest of this month holds planned visits.

As in assignments.demo.district, everything is drawn from a seeded generator first and only what is missing is
written, in bulk; a second run the same day writes nothing.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from assignments.models import (
    Assignment,
    AssignmentPlan,
    AttendanceNote,
    Cadre,
    CadreExemption,
    Escalation,
    NoteRound,
    Rating,
    Visit,
)
from assignments.notes.services import note_snapshot
from assignments.plans.rules import PRIORITY_TYPE_CODES
from assignments.plans.services import plan_create, plan_issue
from cells.models import CellType, Meeting, Member, Organization

CHANGE_REASON = "demo data"
PLAN_CADRES = {0: 61, -1: 49}  # this year's plan and last year's, by year offset
# Subordinate cells each plan covers, by group: this year the 2019 table, last year a little less.
PLAN_GROUP_CELLS = {0: {"AP_KP": 64, "XDD_NKV": 3, "NG_CQ": 11}, -1: {"AP_KP": 50, "XDD_NKV": 2, "NG_CQ": 8}}
ATTEND, MISS = 0.86, 0.04  # a cadre's month: attended, missed (the rest: no visit, the cadre is behind)
LATE_NOTE = 0.1
# A note's petitions (one note in four has some) or difficulties (one in eight) sent up to leadership.
ESCALATE_PETITIONS, ESCALATE_DIFFICULTIES = 0.08, 0.15
ACCEPTED_AFTER = timedelta(days=20)  # older notes were reviewed and accepted; recent ones wait
EXEMPTIONS = [  # (cadre index, month, reason, detail) this year
    (4, 3, CadreExemption.Reason.LEAVE, "Nghỉ phép năm"),
    (9, 6, CadreExemption.Reason.ILLNESS, "Điều trị tại bệnh viện huyện"),
    (17, 9, CadreExemption.Reason.TRAINING, "Học lớp bồi dưỡng tại Trường Chính trị thành phố"),
]

SUMMARIES = [
    "Chi bộ sinh hoạt đúng ngày, đúng giờ; đồng chí bí thư chủ trì, thông qua nghị quyết tháng.",
    "Chi bộ kiểm điểm việc thực hiện nghị quyết tháng trước và bàn nhiệm vụ tháng tới.",
    "Chi bộ quán triệt chỉ thị của cấp trên, đảng viên thảo luận sôi nổi, có phê bình và tự phê bình.",
    "Nội dung sinh hoạt tập trung vào công tác vận động nhân dân và phát triển đảng viên.",
]
GOOD_PRACTICES = [
    "Chi bộ phân công đảng viên phụ trách từng tổ dân cư, nắm tình hình nhân dân kịp thời.",
    "Chi bộ gửi dự thảo nghị quyết trước cho đảng viên nghiên cứu nên thảo luận có chất lượng.",
    "Đảng viên trẻ trình bày chuyên đề chuyển đổi số, có minh họa trên điện thoại.",
    "Chi bộ gắn sinh hoạt với việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
]
SHORTCOMINGS = [
    "Một số đảng viên đi trễ, chưa phát biểu ý kiến.",
    "Nghị quyết còn chung chung, chưa nêu rõ người phụ trách và thời hạn.",
    "Việc phê bình và tự phê bình còn hình thức.",
]
PETITIONS = [
    "Đảng viên kiến nghị sửa chữa tuyến đường liên ấp bị sạt lở.",
    "Đề nghị cấp trên sớm hướng dẫn chế độ cho đảng viên được tặng huy hiệu Đảng.",
    "Kiến nghị tăng cường tuần tra an ninh trật tự vào ban đêm.",
]
DIFFICULTIES = [
    "Chi bộ thiếu nơi sinh hoạt ổn định, phải mượn nhà văn hóa.",
    "Nhiều đảng viên làm việc xa, khó bố trí thời gian sinh hoạt chung.",
]
PROPOSALS = [
    "Chi bộ cần chuẩn bị kỹ nội dung sinh hoạt chuyên đề.",
    "Đề nghị chi ủy họp trước để thống nhất nội dung.",
]
DIRECTIONS = ["Giao Ủy ban nhân dân xã kiểm tra, báo cáo kết quả trong tháng tới."]
RESOLUTIONS = ["Đã giải quyết xong, chi bộ đã thông báo cho đảng viên."]
RATINGS = [Rating.GOOD] * 5 + [Rating.FAIR] * 3 + [Rating.AVERAGE]


@dataclass(frozen=True)
class PlannedVisit:
    cadre: Cadre
    meeting: Meeting
    status: str


# --- The plans ---------------------------------------------------------------------------------------------
def ensure_plans(
    *, root: Organization, cells: list[Organization], cadres: list[Cadre], year: int, staff, seed: int
) -> tuple[dict[int, AssignmentPlan | None], int]:
    """Last year's and this year's issued plans (None for a year with only a draft, left as it is), and
    how many were issued now."""
    kinds = list(CellType.objects.values_list("pk", "code", "group__code"))
    types, groups = {pk: code for pk, code, _group in kinds}, {pk: group for pk, _code, group in kinds}
    existing = {
        plan.year: plan for plan in AssignmentPlan.objects.filter(root=root, year__in=[year - 1, year])
    }
    plans: dict[int, AssignmentPlan | None] = {}
    for offset in (-1, 0):
        plan_year = year + offset
        rng = random.Random(f"{seed}-plan-{plan_year}")
        pairs = plan_pairs(
            rng, root, cells, cadres[: PLAN_CADRES[offset]], groups, types, PLAN_GROUP_CELLS[offset]
        )
        if plan_year in existing:
            plans[plan_year] = existing[plan_year] if existing[plan_year].is_issued else None
            continue
        plans[plan_year] = _issue_plan(root, plan_year, pairs, staff)
    return plans, len(plans) - len(existing)


def plan_pairs(
    rng: random.Random,
    root: Organization,
    cells: list[Organization],
    cadres: list[Cadre],
    groups: dict[int, str],
    types: dict[int, str],
    per_group: dict[str, int],
) -> list[tuple[Cadre, Organization]]:
    """Every direct cell and ``per_group`` subordinate cells; each cadre one hamlet (or neighbourhood)
    cell and one other cell, so two cell types each; hamlets left over go to the first cadres."""
    cells = sorted(cells, key=lambda cell: cell.code)
    direct = [cell for cell in cells if cell.parent_id == root.pk]
    by_group = defaultdict(list)
    for cell in cells:
        if cell.parent_id != root.pk:
            by_group[groups[cell.cell_type_id]].append(cell)
    # One subordinate cell of each priority type first: the plan must cover every priority type.
    priority = [
        rng.choice([cell for cell in by_group["NG_CQ"] if types[cell.cell_type_id] == code])
        for code in PRIORITY_TYPE_CODES
    ]
    rest = [cell for cell in by_group["NG_CQ"] if cell not in priority]
    agencies = priority + rng.sample(rest, per_group["NG_CQ"] - len(priority))
    hamlets = rng.sample(by_group["AP_KP"], per_group["AP_KP"])
    others = direct + rng.sample(by_group["XDD_NKV"], per_group["XDD_NKV"]) + agencies
    pairs = []
    for index, cadre in enumerate(cadres):
        pairs += [(cadre, hamlets[index % len(hamlets)]), (cadre, others[index % len(others)])]
    pairs += [(cadres[index], hamlet) for index, hamlet in enumerate(hamlets[len(cadres) :])]
    pairs += [(cadres[index], other) for index, other in enumerate(others[len(cadres) :])]
    return pairs


def _issue_plan(root: Organization, year: int, pairs: list, staff) -> AssignmentPlan:
    """Drafted, filled in bulk and issued through the plan services (which check the notice's rules)."""
    plan = plan_create(
        root=root,
        year=year,
        created_by=staff,
        issuer_abbreviation="HU",
        summary=f"Phân công cấp ủy viên, cán bộ dự sinh hoạt chi bộ năm {year}",
        signer_name="Nguyễn Văn Hùng",
        signer_title="Phó Bí thư Thường trực",
        recipients="Các đồng chí Huyện ủy viên\nCác chi bộ, đảng bộ cơ sở\nLưu Văn phòng Huyện ủy",
    )
    assignments = [Assignment(plan=plan, cadre=cadre, cell=cell) for cadre, cell in pairs]
    bulk_create_with_history(assignments, Assignment, batch_size=1000, default_change_reason=CHANGE_REASON)
    return plan_issue(plan=plan, by=staff, issued_on=date(year, 1, 8))


# --- Visits ------------------------------------------------------------------------------------------------
def ensure_visits(
    *,
    plans: dict[int, AssignmentPlan | None],
    exempt: set[tuple[int, int, int]],
    today: date,
    staff,
    seed: int,
) -> tuple[list[Visit], int]:
    """The visits of the past months of both plans' years and the rest of this month: all of them
    (existing ones included, for the notes) and how many were written now. Exempt months get none."""
    issued = {year: plan for year, plan in plans.items() if plan is not None}
    cells_of = _cells_by_cadre(issued.values())
    meetings = _regular_meetings(
        {cell for by_cadre in cells_of.values() for cells in by_cadre.values() for cell in cells},
        list(issued),
    )
    planned: list[PlannedVisit] = []
    for year in sorted(issued):
        rng = random.Random(f"{seed}-visits-{year}")
        planned += plan_visits(rng, year, cells_of[year], meetings, exempt, today)
    existing = {
        (visit.cadre_id, visit.meeting_id): visit
        for visit in Visit.objects.filter(meeting_id__in=[p.meeting.pk for p in planned]).select_related(
            "meeting"
        )
    }
    new = [
        Visit(
            cadre=p.cadre,
            cell_id=p.meeting.cell_id,
            meeting=p.meeting,
            meeting_date=p.meeting.date,  # bulk_create skips Visit.save, which keeps this copy
            status=p.status,
            planned_by=staff,
        )
        for p in planned
        if (p.cadre.pk, p.meeting.pk) not in existing
    ]
    bulk_create_with_history(new, Visit, batch_size=1000, default_change_reason=CHANGE_REASON)
    return [*existing.values(), *new], len(new)


def _cells_by_cadre(plans) -> dict[int, dict[Cadre, list[int]]]:
    """{year: {cadre: [cell ids]}} of the issued plans, in a stable order."""
    result: dict[int, dict[Cadre, list[int]]] = defaultdict(lambda: defaultdict(list))
    rows = Assignment.objects.filter(plan__in=list(plans)).select_related("cadre", "plan")
    for assignment in rows.order_by("cadre__code", "cell__code"):
        result[assignment.plan.year][assignment.cadre].append(assignment.cell_id)
    return result


def _regular_meetings(cell_ids: set[int], years: list[int]) -> dict[tuple[int, int, int], Meeting]:
    """{(cell id, year, month): the cell's regular meeting of that month}."""
    meetings = Meeting.objects.filter(cell_id__in=cell_ids, kind=Meeting.Kind.REGULAR, date__year__in=years)
    return {
        (m.cell_id, m.date.year, m.date.month): m for m in meetings.exclude(status=Meeting.Status.CANCELLED)
    }


def plan_visits(
    rng: random.Random,
    year: int,
    cells_of: dict[Cadre, list[int]],
    meetings: dict[tuple[int, int, int], Meeting],
    exempt: set[tuple[int, int, int]],
    today: date,
) -> list[PlannedVisit]:
    """Month by month, each cadre attends (or misses) one meeting of one of their cells; one cadre per
    meeting. Meetings still ahead this month get a planned visit instead."""
    taken: set[int] = set()
    visits = []
    last_month = 12 if year < today.year else (today.month if year == today.year else 0)
    for month in range(1, last_month + 1):
        for cadre in sorted(cells_of, key=lambda cadre: cadre.code):
            draw, cells = rng.random(), rng.sample(cells_of[cadre], len(cells_of[cadre]))
            if (cadre.pk, year, month) in exempt or draw >= ATTEND + MISS:
                continue
            meeting = next(
                (
                    meetings[key]
                    for cell in cells
                    if (key := (cell, year, month)) in meetings and meetings[key].pk not in taken
                ),
                None,
            )
            if meeting is None:
                continue
            taken.add(meeting.pk)
            if meeting.date >= today:
                visits.append(PlannedVisit(cadre, meeting, Visit.Status.PLANNED))
            else:
                status = Visit.Status.ATTENDED if draw < ATTEND else Visit.Status.MISSED
                visits.append(PlannedVisit(cadre, meeting, status))
    return visits


def ensure_exemptions(
    *, cadres: list[Cadre], year: int, today: date, staff
) -> tuple[set[tuple[int, int, int]], int]:
    """A few months this year that staff excused (leave, illness, training), written before any visit is
    drawn: every exempt (cadre, year, month) of last year and this year, and how many were written now."""
    wanted = [
        (cadres[index], month, reason, detail)
        for index, month, reason, detail in EXEMPTIONS
        if year < today.year or month <= today.month
    ]
    exempt = set(
        CadreExemption.objects.filter(year__in=[year - 1, year]).values_list("cadre_id", "year", "month")
    )
    new = [
        CadreExemption(cadre=cadre, year=year, month=month, reason=reason, detail=detail, created_by=staff)
        for cadre, month, reason, detail in wanted
        if (cadre.pk, year, month) not in exempt
    ]
    bulk_create_with_history(new, CadreExemption, default_change_reason=CHANGE_REASON)
    return exempt | {(row.cadre.pk, year, row.month) for row in new}, len(new)


# --- Notes -------------------------------------------------------------------------------------------------
def ensure_notes(*, visits: list[Visit], now: datetime, staff, leader, seed: int) -> tuple[int, int]:
    """A note for every attended visit that has none: accepted (with its round, and escalations for the
    flagged sections) or, when recent, submitted and waiting. Returns (notes, escalations) written."""
    attended = sorted((v for v in visits if v.status == Visit.Status.ATTENDED), key=lambda v: v.pk)
    with_note = set(AttendanceNote.objects.filter(visit__in=attended).values_list("visit_id", flat=True))
    attended = [visit for visit in attended if visit.pk not in with_note]
    if not attended:
        return 0, 0
    members = dict(
        Member.objects.filter(cell__in={v.cell_id for v in attended})
        .values("cell")
        .annotate(n=Count("pk"))
        .values_list("cell", "n")
    )
    drafts = []
    for visit in attended:
        rng = random.Random(f"{seed}-note-{visit.cadre_id}-{visit.meeting_id}")
        drafts.append((rng, draft_note(rng, visit, members.get(visit.cell_id, 0), now)))
    notes = bulk_create_with_history(
        [note for _rng, note in drafts], AttendanceNote, batch_size=500, default_change_reason=CHANGE_REASON
    )
    rounds = [_round(note, now, staff) for note in notes]
    NoteRound.objects.bulk_create(rounds, batch_size=500)
    escalations = [
        escalation
        for (rng, _draft), note in zip(drafts, notes, strict=True)
        if note.status == AttendanceNote.Status.ACCEPTED
        for escalation in _escalations(rng, note, leader, now)
    ]
    bulk_create_with_history(escalations, Escalation, default_change_reason=CHANGE_REASON)
    return len(notes), len(escalations)


def draft_note(rng: random.Random, visit: Visit, members: int, now: datetime) -> AttendanceNote:
    meeting = visit.meeting
    present = max(members - rng.randint(0, 3), min(members, 1))
    with_reason = rng.randint(0, members - present)
    held_at = timezone.make_aware(datetime.combine(meeting.date, meeting.start_time or time(8)))
    days = rng.randint(5, 8) if rng.random() < LATE_NOTE else rng.randint(0, 2)
    submitted_at = min(held_at + timedelta(days=days, hours=rng.randint(2, 20)), now)
    status = (
        AttendanceNote.Status.ACCEPTED
        if now - submitted_at > ACCEPTED_AFTER
        else AttendanceNote.Status.SUBMITTED
    )
    petitions = rng.choice(PETITIONS) if rng.random() < 0.25 else ""
    difficulties = rng.choice(DIFFICULTIES) if rng.random() < 0.12 else ""
    return AttendanceNote(
        visit=visit,
        author_id=visit.cadre_id,
        status=status,
        meeting_date=meeting.date,
        meeting_kind=meeting.kind,
        topic=meeting.topic,
        held=AttendanceNote.Held.AS_SCHEDULED,
        members_total=members,
        members_present=present,
        absent_with_reason=with_reason,
        absent_without_reason=members - present - with_reason,
        started_on_time=rng.random() < 0.85,
        committee_prepared=rng.random() < 0.8,
        chaired_by="Đồng chí Bí thư chi bộ",
        **{
            field: rng.choice(RATINGS)
            for field in ("rating_preparation", "rating_content", "rating_criticism")
        },
        **{
            field: rng.choice(RATINGS)
            for field in ("rating_participation", "rating_resolution", "overall_rating")
        },
        summary=rng.choice(SUMMARIES),
        good_practices=rng.choice(GOOD_PRACTICES) if rng.random() < 0.35 else "",
        shortcomings=rng.choice(SHORTCOMINGS) if rng.random() < 0.3 else "",
        petitions=petitions,
        petitions_escalate=bool(petitions) and rng.random() < ESCALATE_PETITIONS,
        difficulties=difficulties,
        difficulties_escalate=bool(difficulties) and rng.random() < ESCALATE_DIFFICULTIES,
        proposals=rng.choice(PROPOSALS) if rng.random() < 0.2 else "",
        submitted_at=submitted_at,
    )


def _round(note: AttendanceNote, now: datetime, staff) -> NoteRound:
    accepted = note.status == AttendanceNote.Status.ACCEPTED
    return NoteRound(
        note=note,
        number=1,
        snapshot=note_snapshot(note),
        submitted_at=note.submitted_at,
        decision=NoteRound.Decision.ACCEPTED if accepted else NoteRound.Decision.PENDING,
        reviewed_by=staff if accepted else None,
        reviewed_at=min(note.submitted_at + timedelta(days=2), now) if accepted else None,
    )


def _escalations(rng: random.Random, note: AttendanceNote, leader, now: datetime) -> list[Escalation]:
    """The flagged sections of an accepted note; the older ones directed or resolved by now."""
    flagged = [
        (Escalation.Source.PETITIONS, note.petitions, note.petitions_escalate),
        (Escalation.Source.DIFFICULTIES, note.difficulties, note.difficulties_escalate),
    ]
    escalations = []
    for source, text, flag in flagged:
        if not (flag and text):
            continue
        escalation = Escalation(note=note, cell_id=note.visit.cell_id, source=source, text=text)
        age = now - note.submitted_at
        # The older ones are mostly directed by leadership, the oldest mostly resolved; some stay open.
        if age > timedelta(days=40) and rng.random() < 0.6:
            escalation.direction, escalation.directed_by = rng.choice(DIRECTIONS), leader
            escalation.directed_at = note.submitted_at + timedelta(days=10)
            escalation.status = Escalation.Status.DIRECTED
            if age > timedelta(days=150) and rng.random() < 0.8:
                escalation.status, escalation.resolution = Escalation.Status.RESOLVED, rng.choice(RESOLUTIONS)
                escalation.resolved_at = note.submitted_at + timedelta(days=30)
        escalations.append(escalation)
    return escalations
