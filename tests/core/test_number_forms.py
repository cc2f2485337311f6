"""One form for numbers everywhere: "5.976", "29,21%" (no space, so no line break before "%"), "100%",
"—" for a share of nothing, and the same tier names on every page."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from cells.models import Member
from core.numbers import count_text, percent_text, share_text
from reports.coverage.formatting import fraction_text
from reports.coverage.selectors import Row


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize(
    ("language", "count", "percent", "share"),
    [
        ("vi", "5.976", "29,21%", "78/267 = 29,21%"),
        ("en", "5,976", "29.21%", "78/267 = 29.21%"),
    ],
)
def test_counts_and_percentages_in_each_language(language, count, percent, share):
    with translation.override(language):
        assert count_text(5976) == count
        assert count_text(250000) == ("250.000" if language == "vi" else "250,000")
        assert percent_text(Decimal("29.21")) == percent
        assert percent_text(Decimal("100.00")) == "100%"
        assert share_text(78, 267, Decimal("29.21")) == share
        assert fraction_text(Row(cells=0, covered=0)) == "—"


def test_the_tree_groups_thousands_of_members(tree, staff, client_for, settings):
    settings.LANGUAGE_CODE = "vi"
    members = [
        Member(card_number=f"79.9{n:05d}", full_name=f"Nguyễn Văn {n}", cell=tree.cell) for n in range(1234)
    ]
    for member in members:
        member.refresh_texts()
    Member.objects.bulk_create(members)
    client = client_for(staff)
    html = client.get(reverse("cells:tree"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "1.234 đảng viên" in visible_text(html)
    html = client.get(reverse("cells:cell_list"), {"q": "ap 1"}, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert re.search(r"<td[^>]*>\s*1\.234\s*</td>", html)


def test_no_page_writes_a_space_before_percent(tree, leader, client_for):
    html = client_for(leader).get(reverse("reports:dashboard"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    text = visible_text(html)
    assert not re.search(r"\d\s%", text)
    assert "Chi bộ cơ sở trực thuộc" in text and "Chi bộ trực thuộc đảng bộ cơ sở" in text


def test_the_plan_editor_coverage_uses_the_same_forms():
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    def line(key, assigned, total, percent):
        return SimpleNamespace(key=key, label=key, assigned=assigned, total=total, percent=percent)

    coverage = SimpleNamespace(
        tiers=[line("direct", 23, 23, Decimal("100.00")), line("subordinate", 0, 0, None)],
        groups=[line("AP_KP", 64, 87, Decimal("73.56"))],
        total=line("total", 87, 110, Decimal("79.09")),
    )
    with translation.override("vi"):
        text = visible_text(render_to_string("assignments/plans/_coverage.html", {"coverage": coverage}))
    assert "100%" in text and "73,56%" in text and "79,09%" in text and "—" in text
    assert "100,00" not in text and not re.search(r"\d\s%", text)
