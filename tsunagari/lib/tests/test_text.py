from __future__ import annotations

import pytest

from tsunagari.lib.text import (
    is_katakana_reading,
    normalize_phone,
    normalize_postal_code,
    normalize_text,
    reading_sort_key,
    to_katakana,
)

# normalize_text


def test_it_turns_full_width_ascii_into_half_width() -> None:
    assert normalize_text("ＡＢＣ　ａｂｃ　１２３") == "ABC abc 123"
    assert normalize_text("ｉｎｆｏ＠ｅｘａｍｐｌｅ．ｊｐ") == "info@example.jp"
    assert normalize_text("１－２－３") == "1-2-3"


def test_it_turns_half_width_katakana_into_full_width_with_voicing_marks() -> None:
    assert normalize_text("ｶﾞｯｺｳ ﾊﾟﾝ ｰ｡") == "ガッコウ パン ー。"


@pytest.mark.parametrize(
    "kept", ["10時～12時", "10時〜12時", "①②③", "Ⅱ期", "㈱つながり", "￥1,000", "ー"]
)
def test_it_keeps_characters_nfkc_would_damage(kept: str) -> None:
    assert normalize_text(kept) == kept


def test_it_collapses_spaces_within_lines_and_strips_the_ends() -> None:
    assert normalize_text("　 横浜市　　中区 \u00a0 本町 ") == "横浜市 中区 本町"


def test_it_normalises_line_endings_and_keeps_the_lines() -> None:
    assert normalize_text("一行目  \r\n二行目\r三行目\n") == "一行目\n二行目\n三行目"


def test_it_removes_control_characters_but_keeps_newlines_and_tabs() -> None:
    assert normalize_text("a\x00b\x07c\td\u200be\ufeff\nf") == "abc\tde\nf"


# normalize_phone


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("045-123-4567", "045-123-4567"),
        ("0466-12-3456", "0466-12-3456"),
        ("03-1234-5678", "03-1234-5678"),
        ("0451234567", "0451234567"),
        ("(045)123-4567", "045-123-4567"),
        ("045(123)4567", "045-123-4567"),
        ("045 123 4567", "045-123-4567"),
    ],
)
def test_it_keeps_the_users_grouping_for_landlines(typed: str, expected: str) -> None:
    assert normalize_phone(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("09012345678", "090-1234-5678"),
        ("080-1234-5678", "080-1234-5678"),
        ("0701-234-5678", "070-1234-5678"),
        ("05012345678", "050-1234-5678"),
        ("0120123456", "0120-123-456"),
        ("0120-12-3456", "0120-123-456"),
        ("08001234567", "0800-123-4567"),
    ],
)
def test_it_applies_the_fixed_grouping_of_mobile_and_toll_free(typed: str, expected: str) -> None:
    assert normalize_phone(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("０９０－１２３４－５６７８", "090-1234-5678"),
        ("０４５ー１２３ー４５６７", "045-123-4567"),
        ("045‐123―4567", "045-123-4567"),
        ("045−123−4567", "045-123-4567"),
        ("（０４５）１２３－４５６７", "045-123-4567"),
    ],
)
def test_it_accepts_full_width_digits_and_any_dash(typed: str, expected: str) -> None:
    assert normalize_phone(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("+81 45-123-4567", "045-123-4567"),
        ("+81-90-1234-5678", "090-1234-5678"),
        ("+819012345678", "090-1234-5678"),
        ("+81 (0)45 123 4567", "045-123-4567"),
        ("＋８１　３－１２３４－５６７８", "03-1234-5678"),
    ],
)
def test_it_converts_plus_81_to_the_domestic_form(typed: str, expected: str) -> None:
    assert normalize_phone(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "電話なし",
        "045-123-456",
        "045-123-45678",
        "0901234567",
        "001-234-5678",
        "1234567890",
        "+1 212 555 0100",
        "045-123-4567 内線12",
        "189",
        "#7119",
    ],
)
def test_it_rejects_implausible_numbers_with_a_japanese_message(typed: str) -> None:
    with pytest.raises(ValueError, match="電話番号の形式が正しくありません。例：045-123-4567"):
        normalize_phone(typed)


def test_it_accepts_short_codes_only_when_allowed() -> None:
    assert normalize_phone("189", allow_short=True) == "189"
    assert normalize_phone("＃７１１９", allow_short=True) == "#7119"
    assert normalize_phone("045-123-4567", allow_short=True) == "045-123-4567"
    with pytest.raises(ValueError):
        normalize_phone("#71", allow_short=True)


# normalize_postal_code


@pytest.mark.parametrize(
    "typed",
    [
        "231-0023",
        "2310023",
        "〒231-0023",
        "〒 231-0023",
        "２３１００２３",
        "２３１－００２３",
        "231 0023",
    ],
)
def test_it_normalises_postal_codes(typed: str) -> None:
    assert normalize_postal_code(typed) == "231-0023"


@pytest.mark.parametrize("typed", ["", "231-002", "23100234", "231-00-23", "横浜市"])
def test_it_rejects_malformed_postal_codes(typed: str) -> None:
    with pytest.raises(ValueError, match="郵便番号"):
        normalize_postal_code(typed)


# katakana readings


def test_it_converts_hiragana_and_half_width_kana_to_katakana() -> None:
    assert to_katakana("やまだ　たろう") == "ヤマダ タロウ"
    assert to_katakana("ｶﾅｶﾞﾜ ﾂﾅｶﾞﾘ") == "カナガワ ツナガリ"
    assert to_katakana("ゔぁいおりん・ゝ") == "ヴァイオリン・ヽ"
    assert to_katakana("  えぬぴーおー\n ほうじん ") == "エヌピーオー ホウジン"


def test_it_leaves_katakana_and_ascii_alone() -> None:
    assert to_katakana("エヌピーオー ABC 123") == "エヌピーオー ABC 123"


@pytest.mark.parametrize(
    "reading", ["ヤマダ タロウ", "カナガワ・ツナガリ", "エヌピーオー", "NPOホウジン 2"]
)
def test_it_accepts_katakana_readings(reading: str) -> None:
    assert is_katakana_reading(reading)


@pytest.mark.parametrize(
    "reading", ["", " ", "やまだ", "山田", "ヤマダ（タロウ）", "ヤマダ&タロウ"]
)
def test_it_rejects_readings_that_are_not_katakana(reading: str) -> None:
    assert not is_katakana_reading(reading)


def test_the_sort_key_is_the_reading_or_the_fallback() -> None:
    assert reading_sort_key("ヨコハマ", "横浜") == "ヨコハマ"
    assert reading_sort_key("よこはま", "横浜") == "ヨコハマ"
    assert reading_sort_key("", "横浜") == "横浜"
    assert reading_sort_key(None, "あおば") == "アオバ"
    names = [("カワサキ", "川崎"), ("", "相模原"), ("アツギ", "厚木")]
    assert sorted(names, key=lambda n: reading_sort_key(*n)) == [
        ("アツギ", "厚木"),
        ("カワサキ", "川崎"),
        ("", "相模原"),
    ]
