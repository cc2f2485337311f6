"""No page shows the other language: every page a role can open, read in Vietnamese, holds no English
message of the catalogue; read in English, none of the Vietnamese choice labels."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from django.urls import reverse

from tests.config.test_translations import entries
from tests.test_permission_matrix import CASES, world  # noqa: F401  (the fixture of every page's data)

ROLES = ("staff", "leader", "cadre", "grassroots")

# Words that are whole labels on their own, so a lone English word on a Vietnamese page is a miss.
SINGLE_WORD_LABELS = {
    "Quarter", "Month", "Year", "Regular", "Thematic", "Draft", "Issued", "Status", "Cell", "Cells",
    "Cadre", "Cadres", "Committee", "Members", "Meetings", "Reports", "Search", "Filter", "Export",
    "Save", "Cancel", "Delete", "Edit", "Created", "Changed", "Deleted", "Scheduled", "Cancelled",
    "Held", "Planned", "Attended", "Submitted", "Approved", "Official", "Probationary", "Total",
}  # fmt: skip

# English of the packages we use that our catalogue does not hold (django-simple-history's actions).
THIRD_PARTY_ENGLISH = ["Created", "Changed", "Deleted"]

# Words written twice when a label and a phrase are glued together ("Báo cáo quý Quý 3/2026").
DOUBLED = re.compile(r"\b(quý|năm|tháng) \1\b", re.IGNORECASE)

# Vietnamese choice labels that must never reach an English page.
VIETNAMESE_LABELS = ["Quý", "Tháng", "Định kỳ", "Chuyên đề", "Dự thảo", "Chính thức", "Đã ban hành"]

# Proper text that happens to match a msgid: the demo data's own words are Vietnamese, so none yet.
ALLOWED_ON_VI = {"CSV", "XLSX", "DOCX", "PDF", "OK"}


def visible_text(page: str) -> str:
    """What a person reads: no tags, attributes, scripts or styles; entities decoded."""
    page = re.sub(r"<(script|style|template)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", "\n", page)
    return html_lib.unescape(page)


def english_messages() -> list[str]:
    """Catalogue msgids that a Vietnamese page must not show: translated to something else, and either
    two words or more or a label of one word. Placeholders split a msgid into the parts that show."""
    found = set()
    for entry in entries():
        msgid, msgstr = entry["msgid"], entry.get("msgstr") or entry.get("msgstr[0]", "")
        if not msgstr or msgid == msgstr:
            continue
        for part in re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|\n", msgid):
            part = part.strip(" .,:;()–-…?!\"'")
            if part in ALLOWED_ON_VI or not re.search(r"[A-Za-z]", part):
                continue
            if len(part.split()) >= 2 or part in SINGLE_WORD_LABELS:
                found.add(part)
    found.update(THIRD_PARTY_ENGLISH)
    return sorted(found, key=len, reverse=True)


@pytest.fixture
def vietnamese_names(personas):
    """The personas are named after their role ("Cadre"): people here have Vietnamese names."""
    for user in personas.values():
        user.first_name, user.last_name = "Lê Văn Cán", ""
        user.save(update_fields=["first_name", "last_name"])
    return personas


def pages_of(role: str) -> list[tuple[str, object]]:
    return [
        case
        for case in CASES
        if case.expected(role) == 200 and not case.query and not case.url_name.endswith(("_pdf", "_docx"))
    ]


def _words(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(phrase)}(?![\w])", text) is not None


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _english_on(text: str, messages: list[str]) -> list[str]:
    lines = _lines(text)
    hits = []
    for message in messages:
        if any(_words(line, message) for line in lines):
            hits.append(message)
    return hits


@pytest.mark.parametrize("role", ROLES)
def test_vietnamese_pages_show_no_english(role, world, vietnamese_names, client):  # noqa: F811
    messages = english_messages()
    client.force_login(vietnamese_names[role])
    found = {}
    for case in pages_of(role):
        url = reverse(case.url_name, kwargs=case.kwargs(world))
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
        if not response["Content-Type"].startswith("text/html"):
            continue
        text = visible_text(response.content.decode())
        hits = _english_on(text, messages) + [
            doubled.group(0) for line in _lines(text) for doubled in DOUBLED.finditer(line)
        ]
        if hits:
            found[case.url_name] = hits
    assert found == {}


@pytest.mark.parametrize("role", ROLES)
def test_english_pages_show_no_vietnamese_choice_labels(role, world, vietnamese_names, client):  # noqa: F811
    client.force_login(vietnamese_names[role])
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    found = {}
    for case in pages_of(role):
        url = reverse(case.url_name, kwargs=case.kwargs(world))
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        if not response["Content-Type"].startswith("text/html"):
            continue
        lines = _lines(visible_text(response.content.decode()))
        hits = [label for label in VIETNAMESE_LABELS if any(_words(line, label) for line in lines)]
        if hits:
            found[case.url_name] = hits
    assert found == {}


def test_the_report_title_names_the_quarter_once(world, vietnamese_names, client):  # noqa: F811
    client.force_login(vietnamese_names["staff"])
    url = reverse("reports:report_detail", args=[world.report.pk])
    text = " ".join(visible_text(client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()).split())
    assert "Báo cáo quý 4/2026" in text and "Quý Quý" not in text and "quý Quý" not in text


def test_job_names_and_history_actions_read_in_vietnamese(world, vietnamese_names, client):  # noqa: F811
    client.force_login(vietnamese_names["staff"])
    text = visible_text(
        client.get(reverse("assignments:operations"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    )
    assert "Nhắc ngày 20" in text and "Nudge on the 20th" not in text
    url = reverse("cells:organization_detail", args=[world.tree.cell.code])
    text = visible_text(client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode())
    assert "Tạo mới" in text and "Created" not in text


def test_english_period_choices(world, vietnamese_names, client):  # noqa: F811
    client.force_login(vietnamese_names["leader"])
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    text = visible_text(client.get(reverse("reports:dashboard")).content.decode())
    assert "Quarter 3" in text and "Month 12" in text
    assert "Quý 3" not in text and "Tháng 12" not in text
