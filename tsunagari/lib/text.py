"""Normalisation of what people type into Japanese forms.

Policy of `normalize_text` (NFKC only "where safe"):

* Full-width ASCII (Ａ→A, ０→0, ＠→@, （→( …) becomes half width, including the full-width
  hyphen-minus "－" → "-": it is what people type in addresses and numbers (１－２－３) and
  the half-width form is what search and validation expect.
* Half-width katakana becomes full width (ｶﾞ→ガ, ｰ→ー, ｡→。).
* Kept exactly as typed, because NFKC would change their meaning or look:
  "～" (U+FF5E) and "〜" (U+301C) used for ranges, circled numbers (①), roman numerals (Ⅱ),
  squared/parenthesised forms (㈱, ㍻, ㌔), "￥" and the other full-width signs, "ー" and the
  other dashes.
* The ideographic space U+3000 and other Unicode spaces become an ASCII space; within a line,
  runs of spaces collapse to one and trailing spaces go. Tabs are kept (they only arrive by
  pasting tables, where they carry meaning).
* Line endings become "\\n"; control characters other than "\\n" and "\\t", and invisible
  zero-width space / BOM, are removed; the ends of the text are stripped.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = frozenset("\u00a0\u1680\u202f\u205f\u3000") | {chr(c) for c in range(0x2000, 0x200B)}
_INVISIBLE = {"\u200b", "\ufeff"}
_HALFWIDTH_KANA_RE = re.compile(r"[\uff61-\uff9f]+")
_SPACE_RUN_RE = re.compile(r" {2,}")

# Everything people use as a hyphen in phone numbers and postal codes, ー included.
_DASHES = frozenset(
    "-\uff0d\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\u30fc\uff70\u2500\u2501\ufe63"
)
_PHONE_ERROR = "電話番号の形式が正しくありません。例：045-123-4567"
_POSTAL_ERROR = "郵便番号の形式が正しくありません。7桁で入力してください。例：231-0023"


def _convert_char(ch: str) -> str:
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5D:  # full-width ASCII, stopping before ～ (U+FF5E)
        return chr(code - 0xFEE0)
    if ch in _SPACES:
        return " "
    if ch in ("\u2028", "\u2029"):
        return "\n"
    if ch in _INVISIBLE:
        return ""
    if unicodedata.category(ch) == "Cc" and ch not in "\n\t":
        return ""
    return ch


def normalize_text(s: str) -> str:
    """Normalise form input; see the module docstring for what is and is not changed."""
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    # Whole runs, so that a half-width voicing mark composes with its kana (ｶﾞ → ガ).
    s = _HALFWIDTH_KANA_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), s)
    s = "".join(_convert_char(ch) for ch in s)
    lines = (_SPACE_RUN_RE.sub(" ", line).rstrip(" ") for line in s.split("\n"))
    return "\n".join(lines).strip()


def _group(digits: str, *sizes: int) -> str:
    parts, start = [], 0
    for size in sizes:
        parts.append(digits[start : start + size])
        start += size
    return "-".join(parts)


def normalize_phone(s: str, *, allow_short: bool = False) -> str:
    """Normalise a Japanese phone number to ASCII digits and hyphens.

    Spaces and parentheses separate groups like hyphens do ("(045)123-4567" → "045-123-4567");
    "+81" becomes the domestic "0". Mobile/IP (070/080/090/050: 3-4-4) and toll-free
    (0120: 4-3-3, 0800: 4-3-4) numbers always get their fixed grouping; other numbers keep
    the user's grouping, or none if none was typed. Short codes (189, #7119) only with
    `allow_short`. Raises ValueError with a Japanese message otherwise.
    """
    text = normalize_text(s)
    text = "".join("-" if ch in _DASHES else ch for ch in text)
    text = re.sub(r"[\s()（）]+", "-", text)
    text = re.sub(r"-{2,}", "-", text).strip("-")

    if allow_short and re.fullmatch(r"1\d\d|#\d{4}", text):
        return text

    if text.startswith("+"):
        match = re.fullmatch(r"\+-?81-?(?:0-?)?(\d.*)", text)
        if not match:
            raise ValueError(_PHONE_ERROR)
        text = "0" + match.group(1)

    if not re.fullmatch(r"\d+(?:-\d+)*", text):
        raise ValueError(_PHONE_ERROR)
    digits = text.replace("-", "")

    # 0800 before 080: 080-0 is not a mobile block, it is the toll-free prefix.
    if len(digits) == 11 and digits.startswith("0800"):
        return _group(digits, 4, 3, 4)
    if len(digits) == 11 and digits[:3] in ("070", "080", "090", "050"):
        return _group(digits, 3, 4, 4)
    if len(digits) == 10 and digits.startswith("0120"):
        return _group(digits, 4, 3, 3)
    if (
        len(digits) == 10
        and re.match(r"0[1-9]", digits)
        and digits[:3] not in ("070", "080", "090", "050")
        and not digits.startswith("0800")
    ):
        return text
    raise ValueError(_PHONE_ERROR)


def normalize_postal_code(s: str) -> str:
    """Postal code as 231-0023 from 〒231-0023, ２３１００２３ or 231 0023; else ValueError."""
    text = normalize_text(s).replace("〒", "")
    text = "".join("-" if ch in _DASHES else ch for ch in text)
    text = re.sub(r"\s+", "", text)
    match = re.fullmatch(r"(\d{3})-?(\d{4})", text)
    if not match:
        raise ValueError(_POSTAL_ERROR)
    return f"{match.group(1)}-{match.group(2)}"


def _hiragana_to_katakana(ch: str) -> str:
    code = ord(ch)
    # ぁ..ゖ and the iteration marks ゝゞ sit exactly 0x60 below their katakana.
    if 0x3041 <= code <= 0x3096 or code in (0x309D, 0x309E):
        return chr(code + 0x60)
    return ch


def to_katakana(s: str) -> str:
    """A reading (フリガナ) in full-width katakana: hiragana and half-width kana converted,
    whitespace collapsed to single spaces."""
    text = re.sub(r"\s+", " ", normalize_text(s)).strip()
    return "".join(_hiragana_to_katakana(ch) for ch in text)


_READING_RE = re.compile(r"[\u30a1-\u30fa\u30fc\u30fd\u30fe\u31f0-\u31ff・ \u3000A-Za-z0-9]+")


def is_katakana_reading(s: str) -> bool:
    """True when `s` is made only of katakana, ー, ・, spaces and ASCII letters/digits
    (and is not blank)."""
    return bool(s.strip()) and _READING_RE.fullmatch(s) is not None


def reading_sort_key(reading: str | None, fallback: str) -> str:
    """Python-side sort key: the katakana reading, or `fallback` (e.g. the name) without one.

    Both go through `to_katakana` so that hiragana and katakana sort together."""
    if reading and reading.strip():
        return to_katakana(reading)
    return to_katakana(fallback)
