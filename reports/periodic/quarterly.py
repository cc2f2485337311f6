"""The quarterly report (Báo cáo kết quả tham dự sinh hoạt Chi bộ quý …): its snapshot and its pages.

Besides the envelope every report has (coverage on both bases, cadres: reports/periodic/building.py), the
quarter's snapshot holds, for the root's subtree and the quarter's days:

    "visits":   {"planned", "attended", "missed", "pending"}   visits dated in the quarter, cancelled
                ones left out; pending = planned, not yet recorded as attended or missed
    "meetings": {"regular", "thematic", "total"}              cell meetings held: dated in the quarter
                up to the build day, not cancelled
    "ratings":  {"good", "fair", "average", "weak", "unrated", "notes"}   overall ratings of the notes
    "sections": [{"key": "good_practices", "groups": [{"code", "name", "direct", "items": [
                   {"note", "url", "cell", "cell_name", "date", "text", "status"}]}]}, …]
                for good practices, shortcomings, petitions and difficulties, grouped by grassroots
                committee (cells right under the root under their own heading, first).

Which notes count: submitted and accepted ones with a meeting date in the quarter. Accepted notes
alone would leave out every meeting of the quarter's last days, whose notes are still waiting for
review when the report is drafted; a submitted note is what the cadre put their name to, it is marked
as not yet reviewed on the page, and finalizing freezes what was compiled. Drafts (not vouched for)
and returned notes (staff asked for corrections) are left out.

Six queries whatever the size (plus the envelope's ten): visits, meetings, ratings, the notes with
their cells, and the committees' names.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import AttendanceNote, Rating, Visit
from cells.models import Meeting, Organization
from reports.coverage.selectors import Period
from reports.models import Report
from reports.periodic.building import Progress, register_builder
from reports.periodic.documents import ROMAN, Block, Heading, Paragraph, coverage_blocks, register_document
from reports.periodic.workbook import Sheet

SECTION_FIELDS = ("good_practices", "shortcomings", "petitions", "difficulties")
COMPILED_STATUSES = (AttendanceNote.Status.SUBMITTED, AttendanceNote.Status.ACCEPTED)


# --- The snapshot ---------------------------------------------------------------------------------------
def quarterly_snapshot(report: Report, progress: Progress) -> dict:
    root, period = report.root, report.period
    snapshot = {"visits": visit_counts(root, period)}
    progress(20)
    snapshot["meetings"] = meeting_counts(root, period, today=timezone.localdate())
    progress(40)
    snapshot["ratings"] = rating_counts(root, period)
    progress(60)
    snapshot["sections"] = compiled_sections(root, period)
    progress(100)
    return snapshot


def visit_counts(root: Organization, period: Period) -> dict:
    visits = Visit.objects.filter(
        cell__path__startswith=root.path, meeting_date__gte=period.start, meeting_date__lte=period.end
    )
    counts = visits.aggregate(
        planned=Count("pk", filter=~Q(status=Visit.Status.CANCELLED)),
        attended=Count("pk", filter=Q(status=Visit.Status.ATTENDED)),
        missed=Count("pk", filter=Q(status=Visit.Status.MISSED)),
    )
    counts["pending"] = counts["planned"] - counts["attended"] - counts["missed"]
    return counts


def meeting_counts(root: Organization, period: Period, *, today: date) -> dict:
    """Meetings held: those of the quarter's days up to ``today`` that were not cancelled."""
    meetings = Meeting.objects.filter(
        cell__path__startswith=root.path, date__gte=period.start, date__lte=min(period.end, today)
    ).exclude(status=Meeting.Status.CANCELLED)
    counts = meetings.aggregate(
        regular=Count("pk", filter=Q(kind=Meeting.Kind.REGULAR)),
        thematic=Count("pk", filter=Q(kind=Meeting.Kind.THEMATIC)),
    )
    return {**counts, "total": counts["regular"] + counts["thematic"]}


def compiled_notes(root: Organization, period: Period):
    return AttendanceNote.objects.filter(
        visit__cell__path__startswith=root.path,
        meeting_date__gte=period.start,
        meeting_date__lte=period.end,
        status__in=COMPILED_STATUSES,
    )


def rating_counts(root: Organization, period: Period) -> dict:
    rows = compiled_notes(root, period).order_by().values_list("overall_rating").annotate(count=Count("pk"))
    counted = dict(rows)
    return {
        **{rating: counted.get(rating, 0) for rating in Rating.values},
        "unrated": counted.get("", 0),
        "notes": sum(counted.values()),
    }


def compiled_sections(root: Organization, period: Period) -> list[dict]:
    has_text = Q()
    for name in SECTION_FIELDS:
        has_text |= ~Q(**{name: ""})
    notes = list(
        compiled_notes(root, period)
        .filter(has_text)
        .select_related("visit__cell")
        .only("pk", "status", "meeting_date", *SECTION_FIELDS, "visit__cell__code", "visit__cell__name",
              "visit__cell__path")
        .order_by("meeting_date", "visit__cell__code", "pk")
    )  # fmt: skip
    committees = _committees(root, notes)
    return [{"key": name, "groups": _groups(root, notes, name, committees)} for name in SECTION_FIELDS]


def _committee_id(root: Organization, cell: Organization) -> int | None:
    """The committee right under the root that holds ``cell``; None for a cell right under the root."""
    first = int(cell.path[len(root.path) :].split("/")[0])
    return None if first == cell.pk else first


def _committees(root: Organization, notes: list[AttendanceNote]) -> dict[int, Organization]:
    ids = {_committee_id(root, note.visit.cell) for note in notes} - {None}
    return {c.pk: c for c in Organization.objects.filter(pk__in=ids).only("code", "name")} if ids else {}


def _groups(root, notes, name: str, committees: dict[int, Organization]) -> list[dict]:
    groups: dict[int | None, list[dict]] = {}
    for note in notes:
        text = getattr(note, name).strip()
        if text:
            groups.setdefault(_committee_id(root, note.visit.cell), []).append(_item(note, text))
    direct = [{"code": "", "name": "", "direct": True, "items": groups.pop(None)}] if None in groups else []
    ordered = sorted(groups, key=lambda pk: committees[pk].code)
    return direct + [
        {"code": committees[pk].code, "name": committees[pk].name, "direct": False, "items": groups[pk]}
        for pk in ordered
    ]


def _item(note: AttendanceNote, text: str) -> dict:
    return {
        "note": note.pk,
        "url": reverse("assignments:note_detail", args=[note.pk]),
        "cell": note.visit.cell.code,
        "cell_name": note.visit.cell.name,
        "date": note.meeting_date.isoformat(),
        "text": text,
        "status": note.status,
    }


# --- The document ---------------------------------------------------------------------------------------
TITLE = "Kết quả tham dự sinh hoạt Chi bộ quý {quarter} năm {year}"
RESULTS_HEADING = "Kết quả tham dự sinh hoạt chi bộ"
FIGURES_HEADING = "Cán bộ, lượt dự và buổi sinh hoạt"
SECTION_HEADINGS = {
    "good_practices": "Những cách làm hay, sáng tạo",
    "shortcomings": "Những hạn chế, tồn tại",
    "petitions": "Kiến nghị, đề xuất của đảng viên",
    "difficulties": "Khó khăn cần Ban Thường vụ chỉ đạo",
}
DIRECT_GROUP = "Các chi bộ cơ sở trực thuộc"
NOTHING_RECORDED = "Không có nội dung được ghi nhận trong quý."
RATING_NAMES = {
    "good": "Tốt",
    "fair": "Khá",
    "average": "Trung bình",
    "weak": "Yếu",
    "unrated": "Chưa đánh giá",
}
CADRES_LINE = "Số cán bộ được phân công: {assigned}; số cán bộ đã dự sinh hoạt chi bộ trong quý: {attended}."
VISITS_LINE = (
    "Lượt dự sinh hoạt trong quý: {planned} lượt theo kế hoạch; {attended} lượt đã dự; "
    "{missed} lượt không dự được; {pending} lượt chưa ghi nhận kết quả."
)
MEETINGS_LINE = "Buổi sinh hoạt chi bộ đã tổ chức: {total} buổi, trong đó {regular} buổi sinh hoạt định kỳ, {thematic} buổi sinh hoạt chuyên đề."
RATINGS_LINE = "Đánh giá chung các buổi sinh hoạt được dự ({notes} báo cáo): {ratings}."


def quarterly_title(report: Report) -> str:
    return TITLE.format(quarter=ROMAN[report.quarter - 1], year=report.year)


def quarterly_sections(report: Report, snapshot: dict) -> list[Block]:
    blocks: list[Block] = [Heading(RESULTS_HEADING), *coverage_blocks(snapshot, report.root.name)]
    if "visits" in snapshot:
        blocks += [Heading(FIGURES_HEADING, 2), *(Paragraph(line) for line in figure_lines(snapshot))]
    for section in snapshot.get("sections", []):
        blocks += [Heading(SECTION_HEADINGS[section["key"]]), *_item_blocks(section)]
    return blocks


def figure_lines(snapshot: dict) -> list[str]:
    ratings = snapshot["ratings"]
    rated = "; ".join(f"{RATING_NAMES[key]} {ratings[key]}" for key in RATING_NAMES)
    return [
        CADRES_LINE.format(**snapshot["cadres"]),
        VISITS_LINE.format(**snapshot["visits"]),
        MEETINGS_LINE.format(**snapshot["meetings"]),
        RATINGS_LINE.format(notes=ratings["notes"], ratings=rated),
    ]


def _item_blocks(section: dict) -> list[Block]:
    if not section["groups"]:
        return [Paragraph(NOTHING_RECORDED, italic=True)]
    blocks: list[Block] = []
    for group in section["groups"]:
        blocks.append(Heading(DIRECT_GROUP if group["direct"] else group["name"], 3))
        blocks += [Paragraph(item_line(item)) for item in group["items"]]
    return blocks


def item_line(item: dict) -> str:
    """ "- Chi bộ ấp 1 (05/10/2026): …" (a text of several lines is printed as one)."""
    day = date.fromisoformat(item["date"])
    return f"- {item['cell_name']} ({day:%d/%m/%Y}): {' '.join(item['text'].split())}"


# --- The spreadsheet ------------------------------------------------------------------------------------
FIGURES_SHEET = ("Số liệu", ("Mục", "Chỉ tiêu", "Số lượng"))
ITEMS_SHEET = (
    "Nội dung tổng hợp",
    ("Nội dung", "Đảng bộ cơ sở", "Mã chi bộ", "Chi bộ", "Ngày sinh hoạt", "Ghi nhận", "Báo cáo dự số",
     "Trạng thái báo cáo", "Đường dẫn"),
)  # fmt: skip
FIGURE_NAMES = {
    "cadres": ("Cán bộ", {"assigned": "Được phân công", "attended": "Đã dự sinh hoạt"}),
    "visits": (
        "Lượt dự",
        {
            "planned": "Theo kế hoạch",
            "attended": "Đã dự",
            "missed": "Không dự được",
            "pending": "Chưa ghi nhận",
        },
    ),
    "meetings": ("Buổi sinh hoạt", {"regular": "Định kỳ", "thematic": "Chuyên đề", "total": "Tổng số"}),
    "ratings": ("Đánh giá chung", {**RATING_NAMES, "notes": "Số báo cáo"}),
}
NOTE_STATUS_NAMES = {"submitted": "Chờ duyệt", "accepted": "Đã duyệt"}


def quarterly_sheets(snapshot: dict) -> list[Sheet]:
    figures = [
        (label, names[key], snapshot[part][key])
        for part, (label, names) in FIGURE_NAMES.items()
        if part in snapshot
        for key in names
    ]
    items = [
        (SECTION_HEADINGS[section["key"]], DIRECT_GROUP if group["direct"] else group["name"], item["cell"],
         item["cell_name"], date.fromisoformat(item["date"]), item["text"], item["note"],
         NOTE_STATUS_NAMES.get(item["status"], item["status"]), item["url"])
        for section in snapshot.get("sections", [])
        for group in section["groups"]
        for item in group["items"]
    ]  # fmt: skip
    return [Sheet(*FIGURES_SHEET, figures), Sheet(*ITEMS_SHEET, items)]


# --- The page -------------------------------------------------------------------------------------------
SECTION_LABELS = {
    "good_practices": _("Good and creative practices"),
    "shortcomings": _("Shortcomings"),
    "petitions": _("Members' petitions and recommendations"),
    "difficulties": _("Difficulties needing the standing committee's direction"),
}


def quarterly_page(report: Report) -> dict:
    """What templates/reports/report_detail_quarterly.html shows besides the coverage table."""
    snapshot = report.snapshot
    counted = snapshot.get("ratings", {})
    ratings = [
        (label, counted.get(value, 0)) for value, label in [*Rating.choices, ("unrated", _("Not rated"))]
    ]
    return {
        "sections": [_page_section(section) for section in snapshot.get("sections", [])],
        "ratings": ratings,
    }


def _page_section(section: dict) -> dict:
    groups = [
        {**group, "items": [{**item, "day": date.fromisoformat(item["date"])} for item in group["items"]]}
        for group in section["groups"]
    ]
    count = sum(len(group["items"]) for group in groups)
    return {"key": section["key"], "label": SECTION_LABELS[section["key"]], "groups": groups, "count": count}


register_builder(Report.Kind.QUARTERLY, quarterly_snapshot)
register_document(
    Report.Kind.QUARTERLY,
    title=quarterly_title,
    sections=quarterly_sections,
    sheets=quarterly_sheets,
    page=quarterly_page,
)
