"""The Vietnamese catalog: complete, no fuzzy guesses, placeholders kept, third-party gaps filled."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

PO_FILE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sd]|\{\w*\}")


def entries() -> list[dict]:
    """The catalog's entries as {"flags", "msgctxt", "msgid", "msgid_plural", "msgstr..."}."""
    result = []
    for block in PO_FILE.read_text(encoding="utf-8").split("\n\n"):
        entry: dict = {"flags": ""}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line
            elif match := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line):
                key = match.group(1)
                entry[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key:
                entry[key] += ast.literal_eval(line)
        if entry.get("msgid"):
            result.append(entry)
    return result


def translations(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def test_the_catalog_exists_and_is_not_trivial():
    assert len(entries()) > 300


def test_every_message_is_translated():
    missing = [e["msgid"] for e in entries() if not all(translations(e))]
    assert missing == []


def test_no_fuzzy_guesses_are_left():
    """makemessages marks near matches fuzzy; they are often wrong and msgfmt leaves them out."""
    fuzzy = [e["msgid"] for e in entries() if "fuzzy" in e["flags"]]
    assert fuzzy == []


def test_translations_keep_the_placeholders():
    wrong = []
    for entry in entries():
        expected = sorted(PLACEHOLDER.findall(entry["msgid"]))
        for text in translations(entry):
            if sorted(PLACEHOLDER.findall(text)) != expected:
                wrong.append((entry["msgid"], text))
    assert wrong == []


@pytest.mark.parametrize(
    "message,expected",
    [
        ("Log in", "Đăng nhập"),
        ("Log out", "Đăng xuất"),
        ("Home", "Trang chủ"),
        ("Change password", "Đổi mật khẩu"),
        ("Organization department", "Ban Tổ chức"),
        ("Leadership", "Ban Thường vụ"),
        ("party member", "đảng viên"),
        ("Cells", "Chi bộ"),
        # Django, django-tables2 and django-filter ship these without Vietnamese:
        ("That page contains no results", "Trang này không có kết quả nào"),
        ("previous", "trước"),
        ("next", "sau"),
        (
            "Multiple values may be separated by commas.",
            "Có thể nhập nhiều giá trị, cách nhau bằng dấu phẩy.",
        ),
        ("Forbidden", "Không được phép"),
    ],
)
def test_key_terms(message, expected):
    with translation.override("vi"):
        assert translation.gettext(message) == expected
    with translation.override("en"):
        assert translation.gettext(message) == message


def test_time_spans_are_vietnamese():
    """timesince/naturaltime use these plural messages, untranslated in Django's own catalog."""
    with translation.override("vi"):
        assert translation.ngettext("%(num)d day", "%(num)d days", 3) % {"num": 3} == "3 ngày"
        assert translation.ngettext("%(num)d minute", "%(num)d minutes", 1) % {"num": 1} == "1 phút"
