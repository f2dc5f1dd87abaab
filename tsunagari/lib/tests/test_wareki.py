from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from tsunagari.lib.wareki import (
    ERAS,
    era_year,
    fiscal_year_label,
    fiscal_year_of,
    format_wareki,
    format_wareki_month,
    format_wareki_year,
    parse_wareki,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(1868, 1, 25), "明治元年1月25日"),
        (date(1912, 7, 29), "明治45年7月29日"),
        (date(1912, 7, 30), "大正元年7月30日"),
        (date(1926, 12, 24), "大正15年12月24日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2025, 7, 30), "令和7年7月30日"),
    ],
)
def test_it_formats_each_side_of_every_era_boundary(day: date, expected: str) -> None:
    assert format_wareki(day) == expected


def test_it_writes_first_year_as_gannen() -> None:
    assert format_wareki(date(2019, 12, 31)) == "令和元年12月31日"
    assert format_wareki_year(date(2019, 5, 1)) == "令和元年"


def test_it_returns_the_era_and_year_within_it() -> None:
    assert era_year(date(2025, 7, 30)) == ("令和", 7)
    assert era_year(date(2019, 4, 30)) == ("平成", 31)
    assert era_year(date(1989, 1, 7)) == ("昭和", 64)


def test_it_lists_the_eras_in_order() -> None:
    assert [era.name for era in ERAS] == ["明治", "大正", "昭和", "平成", "令和"]
    assert [era.start for era in ERAS] == sorted(era.start for era in ERAS)


def test_it_rejects_dates_before_meiji() -> None:
    with pytest.raises(ValueError, match="明治より前"):
        era_year(date(1868, 1, 24))


def test_it_adds_the_japanese_weekday_in_full_width_parentheses() -> None:
    assert format_wareki(date(2025, 7, 30), with_weekday=True) == "令和7年7月30日（水）"
    assert format_wareki(date(2019, 5, 1), with_weekday=True) == "令和元年5月1日（水）"
    assert format_wareki(date(2025, 8, 3), with_weekday=True) == "令和7年8月3日（日）"


def test_it_formats_year_and_month_only() -> None:
    assert format_wareki_year(date(2025, 7, 30)) == "令和7年"
    assert format_wareki_month(date(2025, 7, 30)) == "令和7年7月"
    assert format_wareki_month(date(1989, 1, 8)) == "平成元年1月"


@pytest.mark.parametrize(
    "text",
    [
        "令和7年7月30日",
        "令和７年７月３０日",
        " 令和 7年 7月 30日 ",
        "令和7年7月30",
        "R7.7.30",
        "r7.7.30",
        "R7/7/30",
        "R7-07-30",
        "Ｒ７．７．３０",
        "R07.07.30",
        "2025-07-30",
        "2025/7/30",
        "２０２５／７／３０",
        "2025年7月30日",
        "㋿7年7月30日",
    ],
)
def test_it_parses_the_accepted_spellings(text: str) -> None:
    assert parse_wareki(text) == date(2025, 7, 30)


def test_it_parses_gannen() -> None:
    assert parse_wareki("令和元年5月1日") == date(2019, 5, 1)
    assert parse_wareki("平成元年1月8日") == date(1989, 1, 8)
    assert parse_wareki("R元.5.1") == date(2019, 5, 1)


def test_it_parses_the_last_days_of_an_era() -> None:
    assert parse_wareki("平成31年4月30日") == date(2019, 4, 30)
    assert parse_wareki("S64.1.7") == date(1989, 1, 7)
    assert parse_wareki("明治元年1月25日") == date(1868, 1, 25)


@pytest.mark.parametrize(
    "day",
    [date(1868, 1, 25), date(1912, 7, 30), date(1989, 1, 7), date(2019, 4, 30), date(2024, 2, 29)],
)
def test_formatting_and_parsing_round_trip(day: date) -> None:
    assert parse_wareki(format_wareki(day)) == day
    assert parse_wareki(format_wareki(day, with_weekday=False)) == day


@pytest.mark.parametrize(
    "text",
    [
        "平成31年5月1日",
        "令和1年4月30日",
        "令和元年4月30日",
        "昭和64年1月8日",
        "H31.5.1",
        "明治元年1月24日",
    ],
)
def test_it_rejects_dates_outside_the_named_era(text: str) -> None:
    with pytest.raises(ValueError, match="期間外"):
        parse_wareki(text)


@pytest.mark.parametrize("text", ["令和7年2月30日", "令和0年7月30日", "2025-13-01", "2025-02-29"])
def test_it_rejects_days_that_do_not_exist(text: str) -> None:
    with pytest.raises(ValueError, match="存在しない日付"):
        parse_wareki(text)


@pytest.mark.parametrize(
    "text", ["", "きのう", "令和7年", "X7.7.30", "R7.7/30", "2025-7", "25-07-30", "慶応4年1月1日"]
)
def test_it_rejects_nonsense_with_a_japanese_message(text: str) -> None:
    with pytest.raises(ValueError, match="日付の形式が正しくありません"):
        parse_wareki(text)


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2025, 3, 31), 2024), (date(2025, 4, 1), 2025), (date(2026, 1, 15), 2025)],
)
def test_the_fiscal_year_runs_from_april_to_march(day: date, year: int) -> None:
    assert fiscal_year_of(day) == year


def test_a_fiscal_year_is_named_in_wareki_and_in_english() -> None:
    with translation.override("ja"):
        # 2019 began in 平成 but its fiscal year is called 令和元年度.
        assert [fiscal_year_label(y) for y in (2018, 2019, 2025)] == [
            "平成30年度",
            "令和元年度",
            "令和7年度",
        ]
    with translation.override("en"):
        assert fiscal_year_label(2025) == "FY2025"
