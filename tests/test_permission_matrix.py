"""Every URL of ours × every persona (docs/conventions.md, tests): a new view with no access rule fails here."""

from __future__ import annotations

import datetime
import importlib
import pkgutil
import re
import subprocess
from dataclasses import dataclass
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from docx import Document
from openpyxl import load_workbook

from assignments.models import (
    Assignment,
    AssignmentPlan,
    AttendanceNote,
    Cadre,
    CadreExemption,
    Escalation,
    NoteAttachment,
    Notification,
    Visit,
)
from reports.periodic import services as report_services
from tests import permissions
from tests.factories import CadreFactory, MeetingFactory, MemberFactory
from tests.permissions import PERSONAS, Case

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
    note: object
    attachment: object
    escalation: object
    exemption: object
    report: object


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
    visit = Visit.objects.create(cadre=cad1, cell=tree.cell, meeting=meeting, planned_by=personas["staff"])
    note = AttendanceNote.objects.create(
        visit=visit,
        author=cad1,
        status=AttendanceNote.Status.SUBMITTED,
        meeting_date=meeting.date,
        meeting_kind=meeting.kind,
        summary="Chi bộ thảo luận nghị quyết",
        difficulties="Thiếu kinh phí sửa hội trường",
        difficulties_escalate=True,
    )
    attachment = NoteAttachment.objects.create(
        note=note,
        file=ContentFile(b"%PDF-1.4 minutes", name="bien-ban.pdf"),
        original_name="bien-ban.pdf",
        content_type="application/pdf",
        size=16,
        uploaded_by=personas["cadre"],
    )
    escalation = Escalation.objects.create(
        note=note, cell=tree.cell, source=Escalation.Source.DIFFICULTIES, text=note.difficulties
    )
    return World(
        tree=tree,
        meeting=meeting,
        member=MemberFactory(cell=tree.cell),
        cadre=CadreFactory(code="CAD-W", organization=tree.root),
        plan=plan,
        draft_plan=draft,
        assignment=assignment,
        visit=visit,
        note=note,
        attachment=attachment,
        escalation=escalation,
        exemption=CadreExemption.objects.create(
            cadre=cad2, year=2026, month=3, reason=CadreExemption.Reason.LEAVE, detail="Nghỉ phép năm"
        ),
        report=_report(tree.root, personas["staff"]),
        notification=Notification.objects.create(
            recipient=personas["cadre"], kind=Notification.Kind.MEETING_MOVED, text="Họp chuyển sang 19:00"
        ),
    )


def _report(root, staff):
    """HU's draft quarterly report of the fourth quarter of 2026 (world.note's quarter), built."""
    report = report_services.report_create(root=root, kind="quarterly", year=2026, quarter=4, by=staff)
    return report_services.report_build(report=report)


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(persona: str, world, personas, client):
    """Every case as one persona; one world per persona keeps the matrix fast, and every mismatch is
    listed at once."""
    if persona != "anonymous":
        client.force_login(personas[persona])
    mismatches = []
    for case in CASES:
        url = reverse(case.url_name, kwargs=case.kwargs(world)) + case.query
        status = client.get(url).status_code
        if status != case.expected(persona):
            mismatches.append(f"GET {url}: {status}, expected {case.expected(persona)}")
    assert not mismatches, f"{persona}:\n" + "\n".join(mismatches)


CSRF_PATTERNS = [
    re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"'),
    re.compile(rb'"X-CSRFToken": "[^"]+"'),
]


def _comparable(response) -> bytes | list | str:
    """The response as the user reads it, minus what differs per request (the CSRF token) or per file
    (document timestamps): spreadsheets as cell values, documents as their text."""
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        sheet = load_workbook(BytesIO(response.content), read_only=True).active
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    if "wordprocessingml" in content_type:
        document = Document(BytesIO(response.content))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if content_type.startswith("application/pdf"):
        return subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
    body = response.content
    for pattern in CSRF_PATTERNS:
        body = pattern.sub(b"", body)
    return body


def _grassroots_views(client, persona: str, world) -> dict:
    views = {}
    for case in CASES:
        if case.expected(persona) != 200:
            continue
        url = reverse(case.url_name, kwargs=case.kwargs(world)) + case.query
        response = client.get(url)
        views[url] = (response.status_code, _comparable(response))
    return views


@pytest.mark.parametrize("persona", ["grassroots", "sibling_grassroots"])
def test_grassroots_pages_do_not_depend_on_visits(persona: str, world, personas, client):
    """Nothing a grassroots user can open changes when visits are planned, moved, attended or needing a
    date in their cells: no page, list, count, export, title or message can give a visit away."""
    for model in (Escalation, NoteAttachment, AttendanceNote, Visit):
        model.objects.all().delete()
    sibling_meeting = MeetingFactory(cell=world.tree.sibling_cell)
    cell2_meeting = MeetingFactory(cell=world.tree.cell2)
    client.force_login(personas[persona])
    before = _grassroots_views(client, persona, world)
    assert len(before) >= 5, "the grassroots persona should reach several pages"
    cad1, cad2 = Cadre.objects.get(code="CAD1"), Cadre.objects.get(code="CAD2")
    Visit.objects.create(cadre=cad1, cell=world.tree.cell, meeting=world.meeting)
    Visit.objects.create(cadre=cad2, cell=world.tree.sibling_cell, meeting=sibling_meeting)
    Visit.objects.create(cadre=cad2, cell=world.tree.sibling_cell, status=Visit.Status.NEEDS_DATE)
    attended = Visit.objects.create(
        cadre=cad1, cell=world.tree.cell2, meeting=cell2_meeting, status=Visit.Status.ATTENDED
    )
    note = AttendanceNote.objects.create(
        visit=attended,
        author=cad1,
        status=AttendanceNote.Status.ACCEPTED,
        meeting_date=cell2_meeting.date,
        meeting_kind=cell2_meeting.kind,
        overall_rating="good",
        petitions="Đề nghị sửa đường vào ấp",
        petitions_escalate=True,
    )
    Escalation.objects.create(note=note, cell=world.tree.cell2, source=Escalation.Source.PETITIONS, text="x")
    after = _grassroots_views(client, persona, world)
    changed = [url for url in before if before[url] != after.get(url)]
    assert not changed, f"{persona} sees a difference once visits exist: {changed}"
