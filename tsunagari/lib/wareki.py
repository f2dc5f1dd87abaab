"""Japanese era (和暦) dates: formatting for display and lenient parsing of user input.

All dates are proleptic Gregorian, as Python's `date` is; lunar-calendar dates before
明治6年 (1873) are not modelled.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Era:
    name: str
    abbreviation: str
    start: date


ERAS: tuple[Era, ...] = (
    # Meiji was proclaimed on 1868-10-23 but applied retroactively from the first day of
    # 慶応4年, which is 1868-01-25 in the Gregorian calendar; that is the start software
    # conventionally uses (Japan itself only adopted the Gregorian calendar on 1873-01-01).
    Era("明治", "M", date(1868, 1, 25)),
    Era("大正", "T", date(1912, 7, 30)),
    Era("昭和", "S", date(1926, 12, 25)),
    Era("平成", "H", date(1989, 1, 8)),
    Era("令和", "R", date(2019, 5, 1)),
)

_WEEKDAYS = "月火水木金土日"
_BY_NAME = {era.name: era for era in ERAS}
_BY_ABBREVIATION = {era.abbreviation: era for era in ERAS}

_FORMAT_ERROR = "日付の形式が正しくありません。例：令和7年7月30日 または 2025-07-30"

_ERA_NAMES = "|".join(_BY_NAME)
_KANJI_RE = re.compile(rf"({_ERA_NAMES})(元|\d{{1,2}})年(\d{{1,2}})月(\d{{1,2}})日?")
_ABBREVIATED_RE = re.compile(r"([MTSHR])(元|\d{1,2})([./-])(\d{1,2})\3(\d{1,2})", re.IGNORECASE)
_GREGORIAN_RE = re.compile(r"(\d{4})([./-])(\d{1,2})\2(\d{1,2})")
_GREGORIAN_KANJI_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?")


def _era_of(d: date) -> Era:
    for era in reversed(ERAS):
        if d >= era.start:
            return era
    raise ValueError(f"{d.isoformat()} は明治より前の日付のため和暦で表せません。")


def era_year(d: date) -> tuple[str, int]:
    """(era name, year within the era) for `d`; ValueError before 明治."""
    era = _era_of(d)
    return era.name, d.year - era.start.year + 1


def _year_text(d: date) -> str:
    name, year = era_year(d)
    return f"{name}{'元' if year == 1 else year}年"


def format_wareki(d: date, *, with_weekday: bool = False) -> str:
    """令和7年7月30日, or 令和7年7月30日（水） with `with_weekday`; year 1 is 元年."""
    text = f"{_year_text(d)}{d.month}月{d.day}日"
    if with_weekday:
        text += f"（{_WEEKDAYS[d.weekday()]}）"
    return text


def format_wareki_year(d: date) -> str:
    """令和7年."""
    return _year_text(d)


def format_wareki_month(d: date) -> str:
    """令和7年7月."""
    return f"{_year_text(d)}{d.month}月"


def _make_date(year: int, month: int, day: int, original: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"「{original}」は存在しない日付です。") from None


def _from_era(era: Era, year_text: str, month: int, day: int, original: str) -> date:
    year = 1 if year_text == "元" else int(year_text)
    if year < 1:
        raise ValueError(f"「{original}」は存在しない日付です。")
    result = _make_date(era.start.year + year - 1, month, day, original)
    # 平成31年5月1日 is a real calendar day but not a 平成 date: the era it falls in must match.
    if _era_of_or_none(result) != era:
        raise ValueError(f"「{original}」は{era.name}の期間外の日付です。")
    return result


def _era_of_or_none(d: date) -> Era | None:
    try:
        return _era_of(d)
    except ValueError:
        return None


def parse_wareki(text: str) -> date:
    """Parse 令和7年7月30日, 令和元年5月1日, R7.7.30, R7/7/30, 2025-07-30 or 2025/7/30.

    Full-width digits and letters are accepted. Raises ValueError with a Japanese message
    for anything else, and for era dates outside their era (e.g. 平成31年5月1日).
    """
    original = text.strip()
    # NFKC turns full-width digits/letters into ASCII and 「㋿」「㍻」 into 令和/平成.
    compact = re.sub(r"\s+", "", unicodedata.normalize("NFKC", original))

    if m := _KANJI_RE.fullmatch(compact):
        era_name, year_text, month, day = m.groups()
        return _from_era(_BY_NAME[era_name], year_text, int(month), int(day), original)
    if m := _ABBREVIATED_RE.fullmatch(compact):
        abbreviation, year_text, _, month, day = m.groups()
        era = _BY_ABBREVIATION[abbreviation.upper()]
        return _from_era(era, year_text, int(month), int(day), original)
    if m := _GREGORIAN_RE.fullmatch(compact):
        year, _, month, day = m.groups()
        return _make_date(int(year), int(month), int(day), original)
    if m := _GREGORIAN_KANJI_RE.fullmatch(compact):
        year, month, day = m.groups()
        return _make_date(int(year), int(month), int(day), original)
    raise ValueError(_FORMAT_ERROR)


# ---------------------------------------------------------------- 年度 (fiscal years)


def fiscal_year_of(day: date) -> int:
    """年度: April to March, named by the calendar year it starts in."""
    return day.year if day.month >= 4 else day.year - 1


def current_fiscal_year() -> int:
    """The fiscal year of today in the site's time zone (Japan)."""
    from django.utils import timezone

    return fiscal_year_of(timezone.localdate())


def format_wareki_fiscal_year(year: int) -> str:
    """令和7年度 for 2025. The era of 1 May, so 2019 is 令和元年度 by convention."""
    return f"{format_wareki_year(date(year, 5, 1))}度"


def fiscal_year_label(year: int) -> str:
    """令和7年度 for Japanese readers, "FY2025" in English."""
    from django.utils.translation import get_language

    if (get_language() or "ja").startswith("en"):
        return f"FY{year}"
    return format_wareki_fiscal_year(year)
