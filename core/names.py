"""Vietnamese names as people look for them and expect them in order.

Sort keys are plain ASCII strings whose binary order is the Vietnamese dictionary order, so one indexed
``ORDER BY sort_key`` gives the same list on SQLite and on PostgreSQL (where the columns use the "C"
collation: a locale collation would skip the separators below). Search texts are the words lowercased,
without diacritics and with "đ" as "d", so "tan xuan" finds "Tân Xuân" with a plain (trigram-indexed)
substring match.
"""

from __future__ import annotations

import re
import unicodedata

# The Vietnamese alphabet, with the Latin letters it lacks (f, j, w, z) where Latin puts them.
ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
_LETTER_CODE = {letter: chr(0x41 + index) for index, letter in enumerate(ALPHABET)}

# Dictionary order of the tones: level, huyền, hỏi, ngã, sắc, nặng ("a à ả ã á ạ").
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
# Marks that make a separate letter of the alphabet (ă â ê ô ơ ư), not a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}

# Separators below every letter and digit code: between the parts of a key, between the letters and
# the tones of a part, between words. A number starts with "#" and its length, so 4 sorts before 10.
_PART_SEPARATOR = " "
_TONE_SEPARATOR = "!"
_WORD_SEPARATOR = '"'
_NUMBER_MARK = "#"

_TOKEN = re.compile(r"\d+|[^\W\d_]+")


def _syllable(word: str) -> tuple[str, str]:
    """A word's letter codes and its tone digit (0 when level)."""
    letters, tone = [], "0"
    for char in unicodedata.normalize("NFD", word.lower()):
        if char in _TONES:
            tone = _TONES[char]
        elif char in _LETTER_MARKS and letters:
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + char)
        elif not unicodedata.combining(char):
            letters.append(char)
    return "".join(_LETTER_CODE.get(letter, letter) for letter in letters), tone


def _number(digits: str) -> str:
    digits = digits.lstrip("0") or "0"
    return f"{_NUMBER_MARK}{chr(0x30 + min(len(digits), 78))}{digits}"


def collation_key(text: str) -> str:
    """One text's key: its letters and numbers in Vietnamese order, then its tones, word by word."""
    words, tones = [], []
    for token in _TOKEN.findall(text):
        if token.isdigit():
            words.append(_number(token))
        else:
            letters, tone = _syllable(token)
            words.append(letters)
            tones.append(tone)
    return _WORD_SEPARATOR.join(words) + _TONE_SEPARATOR + "".join(tones)


def person_sort_key(full_name: str) -> str:
    """By given name, then family and middle name: "Nguyễn Văn An" sorts under "An"."""
    words = full_name.split()
    if not words:
        return ""
    return collation_key(words[-1]) + _PART_SEPARATOR + collation_key(" ".join(words[:-1]))


def name_sort_key(name: str) -> str:
    """An organization's name in dictionary order, numbers by value ("Ấp 4" before "Ấp 10")."""
    return collation_key(name)


def code_sort_key(code: str) -> str:
    """Codes in natural order: DB2 before DB10."""
    parts = []
    for token in re.findall(r"\d+|\D+", code.lower()):
        parts.append(_number(token) if token.isdigit() else token)
    return "".join(parts)


def search_text(*texts: str) -> str:
    """Lowercase words without diacritics ("đ" as "d"), one space apart: what searches match against."""
    stripped = unicodedata.normalize("NFD", " ".join(texts).lower().replace("đ", "d"))
    plain = "".join(char for char in stripped if not unicodedata.combining(char))
    return " ".join(plain.split())


def search_words(query: str) -> list[str]:
    """The words of a query as search_text has them; a row matches when it contains every word."""
    return search_text(query).split()


def search(queryset, query: str, field: str = "search_text"):
    """Rows whose search text holds every word of the query (plain LIKE: the trigram index serves it)."""
    for word in search_words(query):
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset
