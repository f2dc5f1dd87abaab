"""Resource CSV import (社会資源の一括登録): many resources at once from a spreadsheet.

Two formats are read:

* the directory's own columns (COLUMNS, with Japanese headers; `template_csv` builds a
  blank file from the same definitions), and
* the 推奨データセット イベント一覧 (EVENT_COLUMNS in opendata.py), detected by its header,
  whose rows become one-off events.

Every row is validated before anything is written; a file with one bad row writes nothing.
Line numbers are the file's own: the header is line 1.

A row whose 名称 is the name of exactly one resource of the same organisation updates that
resource (its fields from the file, its places and schedules replaced by the file's);
any other row creates a new one. The page shows this plan first (`stage` keeps the file
on the server) and writes only when the person confirms it (`claim`, which succeeds once).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tsunagari.audit.models import AuditEvent, diff, record
from tsunagari.directory import recurrence, search
from tsunagari.directory.models import (
    Kind,
    Language,
    Location,
    Resource,
    Schedule,
    TargetGroup,
)
from tsunagari.geo.models import Municipality
from tsunagari.lib.text import normalize_phone, normalize_postal_code, normalize_text, to_katakana
from tsunagari.lib.wareki import parse_wareki

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
PREFECTURE_NAME = "神奈川県"
# Japan's extent, to tell a latitude from a longitude (and to catch swapped columns).
JAPAN_LATITUDE = (Decimal(20), Decimal(46))
JAPAN_LONGITUDE = (Decimal(122), Decimal(154))


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, size, header); the message says why."""


# --- Columns ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    required: bool
    help: Any  # lazy Japanese text
    example: str = ""


COLUMNS: list[Column] = [
    Column("名称", True, gettext_lazy("社会資源の名前（120文字まで）"), "サンプル 水曜ひろば"),
    Column("フリガナ", False, gettext_lazy("名称の読み（ひらがな可）"), "スイヨウヒロバ"),
    Column("内容", True, gettext_lazy("どんな場所・活動か"), "どなたでも立ち寄れる居場所です。"),
    Column(
        "種類",
        True,
        gettext_lazy("種類の名前か識別子。複数は「、」か「;」で区切る"),
        "居場所、イベント",
    ),
    Column(
        "対象", False, gettext_lazy("対象の名前か識別子。複数は「、」か「;」で区切る"), "どなたでも"
    ),
    Column(
        "対応言語",
        False,
        gettext_lazy("言語の名前か言語コード。複数は「、」で区切る"),
        "日本語、英語",
    ),
    Column("無料", False, gettext_lazy("はい／いいえ（空欄は「いいえ」）"), "はい"),
    Column("費用", False, gettext_lazy("有料の場合の金額など"), ""),
    Column("オンライン", False, gettext_lazy("オンラインで参加できるなら「はい」"), "いいえ"),
    Column("オンラインのみ", False, gettext_lazy("場所がなくオンラインだけなら「はい」"), "いいえ"),
    Column(
        "場所の名称",
        False,
        gettext_lazy("会場の名前（空欄なら名称と同じ）"),
        "サンプル 地区センター",
    ),
    Column(
        "市区町村",
        False,
        gettext_lazy("市区町村名か6桁の団体コード。オンラインのみでなければ必須"),
        "藤沢市",
    ),
    Column("郵便番号", False, gettext_lazy("7桁"), "251-0000"),
    Column("住所", False, gettext_lazy("番地まで"), "藤沢市藤沢0-0-0（サンプル）"),
    Column("緯度", False, gettext_lazy("例：35.338"), ""),
    Column("経度", False, gettext_lazy("例：139.487"), ""),
    Column(
        "住所を公開しない",
        False,
        gettext_lazy("安全のため住所を伏せる場合は「はい」。地域だけを表示します"),
        "いいえ",
    ),
    Column(
        "日程",
        False,
        gettext_lazy(
            "例：毎週水曜 10:00-12:00／第2・第4土曜 13:00〜15:00／毎月15日／毎日／"
            "2026-12-05／不定期。複数は「;」で区切る"
        ),
        "毎週水曜 10:00-12:00",
    ),
    Column("電話番号", False, gettext_lazy("例：045-000-0000"), "0466-00-0000"),
    Column("メールアドレス", False, "", ""),
    Column("URL", False, gettext_lazy("https://から"), ""),
    Column("参加方法", False, gettext_lazy("申込の要否など"), "直接お越しください。"),
]
HEADERS = [c.header for c in COLUMNS]
REQUIRED = {c.header for c in COLUMNS if c.required}

# Model field → the column it comes from, to report model validation errors by column.
RESOURCE_FIELD_COLUMNS = {
    "name": "名称",
    "name_kana": "フリガナ",
    "description": "内容",
    "fee": "費用",
    "phone": "電話番号",
    "email": "メールアドレス",
    "url": "URL",
    "how_to_join": "参加方法",
    "loc.name": "場所の名称",
    "loc.postal_code": "郵便番号",
    "loc.address": "住所",
}
EVENT_FIELD_COLUMNS = {
    "name": "イベント名",
    "name_kana": "イベント名_カナ",
    "description": "説明",
    "fee": "料金(詳細)",
    "capacity": "定員",
    "how_to_join": "参加申込方法",
    "contact_name": "連絡先名称",
    "phone": "連絡先電話番号",
    "url": "URL",
    "loc.name": "場所名称",
    "loc.address": "住所",
    "loc.access": "アクセス方法",
}


def template_csv() -> bytes:
    """A blank import file: the header and one sample row, UTF-8 with BOM for Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerow([c.example for c in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- Reading the file ---------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """The text and a label of its encoding: UTF-8 (with or without BOM), else CP932."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        label = _("UTF-8（BOM付き）") if data.startswith(b"\xef\xbb\xbf") else _("UTF-8")
        return text, label
    try:
        return data.decode("cp932"), _("Shift_JIS（CP932）")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "文字コードを判別できませんでした。UTF-8 か Shift_JIS（CP932）で"
                "保存したCSVファイルを選んでください。"
            )
        ) from None


def clean_header(text: str) -> str:
    """Header as written, without the marks people add to required columns."""
    text = normalize_text(text).replace(" ", "")
    return re.sub(r"(\*|＊|※|（必須）|\(必須\))$", "", text)


def read_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The cleaned header and (line number, cells) for each non-blank record."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(_("ファイルが空です。")) from None
    except csv.Error as e:
        raise ImportFileError(_("CSVとして読めません：%(error)s") % {"error": e}) from None
    rows: list[tuple[int, list[str]]] = []
    previous = reader.line_num
    try:
        for cells in reader:
            line, previous = previous + 1, reader.line_num
            if any(c.strip() for c in cells):
                rows.append((line, cells))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(
                    _("行数が多すぎます。一度に登録できるのは%(max)d行までです。")
                    % {"max": MAX_ROWS}
                )
    except csv.Error as e:
        raise ImportFileError(
            _("%(line)d行目がCSVとして読めません：%(error)s") % {"line": previous + 1, "error": e}
        ) from None
    return [clean_header(h) for h in header], rows


# --- Parsing cells ------------------------------------------------------------------------

_WEEKDAYS = {"月": 1, "火": 2, "水": 3, "木": 4, "金": 5, "土": 6, "日": 7}
_DASH = r"[-~〜～ー−–—―]"
_TIME = r"(\d{1,2})(?:[:：](\d{2})|時(?:(\d{1,2})分|(半))?)"
_TIME_RANGE_RE = re.compile(rf"{_TIME}\s*(?:(?:{_DASH}|から)\s*(?:{_TIME})?(?:まで)?)?")
_WEEKDAY_LIST = r"[月火水木金土日](?:曜日?)?(?:[・、,，と]?\s*[月火水木金土日](?:曜日?)?)*"
_NTH_RE = re.compile(
    rf"(?:毎月)?((?:第?\s*[1-5]|最終)(?:\s*[・、,，と]\s*(?:第?\s*[1-5]|最終))*)\s*"
    rf"(?:週の?)?\s*({_WEEKDAY_LIST})"
)
_WEEKLY_RE = re.compile(rf"(?:毎週)?\s*({_WEEKDAY_LIST})")
_MONTH_DAY_RE = re.compile(r"毎月\s*(\d{1,2})\s*日")
_DATE = (
    r"(?:(?:令和|平成)\s*(?:\d{1,2}|元)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)"
)
_DATE_RANGE_RE = re.compile(
    rf"({_DATE})\s*(?:[(（][月火水木金土日][)）])?\s*(?:{_DASH}|から)\s*({_DATE})"
)
_DATE_RE = re.compile(_DATE)
_WEEKDAY_NOTE_RE = re.compile(r"[(（][月火水木金土日](?:曜日?)?[)）]")


def _prepare(text: str) -> str:
    # Full-width digits, letters and colons to ASCII; 〜 and ～ are kept by normalize_text.
    return normalize_text(text).replace("：", ":")


def _time(hour: str, minute: str | None, minute_kanji: str | None, half: str | None) -> dt.time:
    """From 10:00, 10時, 10時30分 or 10時半."""
    h, m = int(hour), 30 if half else int(minute or minute_kanji or 0)
    if h == 24 and m == 0:
        return dt.time(23, 59)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise ValueError(_("時刻「%(h)s:%(m)02d」が正しくありません。") % {"h": hour, "m": m})
    return dt.time(h, m)


def _weekdays(text: str) -> str:
    # 「日」 inside 「曜日」 is not Sunday.
    days: list[int] = []
    for part in re.split(r"[・、,，と]", text):
        part = part.strip().removesuffix("曜日").removesuffix("曜")
        for ch in part:
            if ch in _WEEKDAYS and _WEEKDAYS[ch] not in days:
                days.append(_WEEKDAYS[ch])
    return ",".join(str(d) for d in days)


def _weeks(text: str) -> str:
    weeks = []
    for part in re.split(r"[・、,，と]", text):
        part = part.strip().removeprefix("第").strip()
        value = -1 if part == "最終" else int(part)
        if value not in weeks:
            weeks.append(value)
    return ",".join(str(w) for w in weeks)


def _date(text: str) -> dt.date:
    text = re.sub(r"\s+", "", _prepare(text)).replace(".", "-")
    text = re.sub(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$", r"\1-\2-\3", text)
    return parse_wareki(text)


def _parse_one(text: str) -> dict[str, Any]:
    original = text
    result: dict[str, Any] = {
        "frequency": "",
        "weekdays": "",
        "weeks_of_month": "",
        "day_of_month": None,
        "starts_on": None,
        "ends_on": None,
        "opens_at": None,
        "closes_at": None,
        "note": "",
    }
    if m := _TIME_RANGE_RE.search(text):
        result["opens_at"] = _time(*m.group(1, 2, 3, 4))
        if m.group(5):
            result["closes_at"] = _time(*m.group(5, 6, 7, 8))
        text = (text[: m.start()] + " " + text[m.end() :]).strip()
    text = _WEEKDAY_NOTE_RE.sub("", text).strip()
    rest = ""
    if "不定期" in text:
        result["frequency"] = recurrence.IRREGULAR
        rest = text.replace("不定期", "", 1)
    elif text.startswith("毎日"):
        result["frequency"] = recurrence.DAILY
        rest = text[2:]
    elif m := _MONTH_DAY_RE.match(text):
        result["frequency"] = recurrence.MONTHLY_DAY
        result["day_of_month"] = int(m.group(1))
        rest = text[m.end() :]
    elif m := _DATE_RANGE_RE.match(text):
        result["frequency"] = recurrence.ONCE
        result["starts_on"], result["ends_on"] = _date(m.group(1)), _date(m.group(2))
        rest = text[m.end() :]
    elif m := _DATE_RE.match(text):
        result["frequency"] = recurrence.ONCE
        result["starts_on"] = _date(m.group(0))
        rest = text[m.end() :]
    elif m := _NTH_RE.match(text):
        result["frequency"] = recurrence.MONTHLY_NTH
        result["weeks_of_month"] = _weeks(m.group(1))
        result["weekdays"] = _weekdays(m.group(2))
        rest = text[m.end() :]
    elif m := _WEEKLY_RE.match(text):
        result["frequency"] = recurrence.WEEKLY
        result["weekdays"] = _weekdays(m.group(1))
        rest = text[m.end() :]
    else:
        raise ValueError(
            _("日程「%(text)s」を読み取れません。例：毎週水曜 10:00-12:00") % {"text": original}
        )
    rest = rest.strip(" 　、,・()（）")
    if result["frequency"] == recurrence.IRREGULAR:
        result["note"] = rest[:200]
    elif rest:
        raise ValueError(
            _("日程「%(text)s」の「%(rest)s」を読み取れません。") % {"text": original, "rest": rest}
        )
    return result


def parse_schedule_text(text: str) -> list[dict[str, Any]]:
    """Schedules written as organisers write them, as Schedule field dicts.

    毎週水曜 10:00-12:00 / 第2・第4土曜 13:00〜15:00 / 毎月15日 / 毎日 / 2026-12-05 /
    令和8年12月5日 / 2026-12-05〜2026-12-07 / 不定期（月1回程度）. Full- and half-width forms,
    水 / 水曜 / 水曜日, and - ～ 〜 から for ranges are accepted; several schedules are
    separated by ; or a line break. Raises ValueError with a Japanese message.
    """
    schedules = []
    for part in re.split(r"[;；\n]|／", _prepare(text)):
        if part.strip():
            schedule = _parse_one(part.strip())
            rule = recurrence.Rule(
                frequency=schedule["frequency"],
                weekdays=recurrence.parse_ints(schedule["weekdays"]),
                weeks_of_month=recurrence.parse_ints(schedule["weeks_of_month"]),
                day_of_month=schedule["day_of_month"],
                starts_on=schedule["starts_on"],
                ends_on=schedule["ends_on"],
                opens_at=schedule["opens_at"],
                closes_at=schedule["closes_at"],
            )
            if errors := rule.errors():
                raise ValueError(" ".join(str(e) for e in errors.values()))
            schedules.append(schedule)
    return schedules


_TRUE = {"はい", "○", "〇", "◯", "1", "true", "yes", "y", "有", "あり", "する", "可"}
_FALSE = {"", "いいえ", "×", "0", "false", "no", "n", "無", "なし", "しない", "不可", "-"}


def parse_bool(text: str) -> bool:
    value = normalize_text(text).lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(_("「はい」か「いいえ」で入力してください。"))


def split_list(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[、;；,，]", normalize_text(text)) if p.strip()]


def check_digit_code(code5: str) -> str:
    """The 6-digit 全国地方公共団体コード for its first five digits (adds the check digit)."""
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return code5 + str((11 - total % 11) % 10)


def parse_decimal(text: str) -> Decimal:
    try:
        value = Decimal(normalize_text(text))
    except InvalidOperation:
        raise ValueError(_("数値で入力してください。")) from None
    if not value.is_finite():
        raise ValueError(_("数値で入力してください。"))
    return value


def coordinates(lat_text: str, lon_text: str) -> tuple[Decimal | None, Decimal | None, bool]:
    """(latitude, longitude, swapped): swapped columns are put right."""
    if not lat_text.strip() and not lon_text.strip():
        return None, None, False
    if not lat_text.strip() or not lon_text.strip():
        raise ValueError(_("緯度と経度は両方入力してください。"))
    lat, lon = parse_decimal(lat_text), parse_decimal(lon_text)
    swapped = False

    def inside(value: Decimal, extent: tuple[Decimal, Decimal]) -> bool:
        return extent[0] <= value <= extent[1]

    if inside(lon, JAPAN_LATITUDE) and inside(lat, JAPAN_LONGITUDE):
        lat, lon, swapped = lon, lat, True
    if not (inside(lat, JAPAN_LATITUDE) and inside(lon, JAPAN_LONGITUDE)):
        raise ValueError(_("緯度・経度が日本の範囲にありません（緯度20〜46、経度122〜154）。"))
    quantum = Decimal("0.000001")
    return lat.quantize(quantum), lon.quantize(quantum), swapped


# --- Lookups ------------------------------------------------------------------------------


class Lookups:
    """The taxonomies and municipalities, loaded once per import."""

    def __init__(self) -> None:
        self.kinds = self._terms(Kind.objects.filter(is_active=True))
        self.targets = self._terms(TargetGroup.objects.filter(is_active=True))
        self.languages: dict[str, str] = {}
        for language in Language.objects.all():
            self.languages[language.code.lower()] = language.code
            self.languages[language.name] = language.code
            self.languages[language.name.removesuffix("語")] = language.code
        self.municipalities = {m.code: m for m in Municipality.objects.all()}
        self.by_name: dict[str, Municipality | None] = {}
        for m in self.municipalities.values():
            self.by_name[m.name] = m
            self.by_name[PREFECTURE_NAME + m.name] = m
            short = m.short_name
            if short != m.name:
                # 緑区 and 中区 exist in two cities: a short name that is not unique matches none.
                self.by_name[short] = None if short in self.by_name else m

    @staticmethod
    def _terms(queryset: Iterable[Kind | TargetGroup]) -> dict[str, int]:
        terms: dict[str, int] = {}
        for term in queryset:
            terms[term.slug.lower()] = term.pk
            terms[normalize_text(term.name)] = term.pk
        return terms

    def municipality(self, text: str) -> Municipality:
        value = normalize_text(text).replace(" ", "")
        if re.fullmatch(r"\d{6}", value):
            found = self.municipalities.get(value)
        else:
            found = self.by_name.get(value)
        if found is None or found.kind == Municipality.Kind.PREFECTURE:
            raise ValueError(
                _(
                    "市区町村「%(value)s」が見つかりません。神奈川県内の市区町村名か6桁のコードを入力してください。"
                )
                % {"value": text}
            )
        return found


# --- Rows ---------------------------------------------------------------------------------


@dataclass
class RowError:
    line: int
    column: str
    message: str


@dataclass
class PlannedResource:
    """One valid row, ready to be saved."""

    line: int
    resource: Resource
    kinds: list[int]
    targets: list[int] = field(default_factory=list)
    languages: list[Any] = field(default_factory=list)  # Language primary keys (codes)
    location: Location | None = None
    schedules: list[dict[str, Any]] = field(default_factory=list)
    existing: Resource | None = None  # the resource this row updates; None: a new one

    @property
    def action(self) -> str:
        return "update" if self.existing is not None else "create"


# What a row sets on a resource it updates, by file format; the rest of the resource
# (its concerns, accessibility, service area, status, ...) stays as it is.
UPDATED_FIELDS = {
    "resources": [
        "name",
        "name_kana",
        "description",
        "is_free",
        "fee",
        "is_online",
        "online_only",
        "phone",
        "email",
        "url",
        "how_to_join",
        "last_verified_on",
    ],
    "events": [
        "name",
        "name_kana",
        "description",
        "is_free",
        "fee",
        "capacity",
        "how_to_join",
        "contact_name",
        "phone",
        "url",
        "last_verified_on",
    ],
}


@dataclass
class ImportPlan:
    """What a file would create or update, or why it cannot: validated in full before saving."""

    format: str  # "resources" or "events"
    encoding: str
    rows: list[PlannedResource] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notices: list[RowError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def bad_lines(self) -> int:
        return len({e.line for e in self.errors})

    @property
    def to_create(self) -> list[PlannedResource]:
        return [row for row in self.rows if row.existing is None]

    @property
    def to_update(self) -> list[PlannedResource]:
        return [row for row in self.rows if row.existing is not None]

    def summary(self) -> list[list[Any]]:
        """What the plan does, row by row: what a confirmation must find unchanged."""
        return [
            [row.line, row.action, row.existing.pk if row.existing else None, row.resource.name]
            for row in self.rows
        ]

    def match_existing(self, organization: Any) -> None:
        """Rows named as exactly one resource of the organisation update it."""
        if organization is None or not self.rows:
            return
        by_name: dict[str, list[Resource]] = {}
        names = {row.resource.name for row in self.rows}
        for resource in Resource.objects.filter(organization=organization, name__in=names):
            by_name.setdefault(resource.name, []).append(resource)
        claimed: dict[int, int] = {}
        for row in self.rows:
            found = by_name.get(row.resource.name, [])
            if len(found) > 1:
                self.errors.append(
                    RowError(
                        row.line,
                        "名称" if self.format == "resources" else "イベント名",
                        _(
                            "同じ名称の社会資源が%(n)d件登録されているため、どれを更新するか"
                            "決められません。名称を変えるか、重複を整理してください。"
                        )
                        % {"n": len(found)},
                    )
                )
            elif found:
                existing = found[0]
                if existing.pk in claimed:
                    self.errors.append(
                        RowError(
                            row.line,
                            "名称" if self.format == "resources" else "イベント名",
                            _("%(line)d行目と同じ社会資源を更新する行です。1行にまとめてください。")
                            % {"line": claimed[existing.pk]},
                        )
                    )
                else:
                    claimed[existing.pk] = row.line
                    row.existing = existing
        if self.errors:
            self.rows = [row for row in self.rows if row.line not in {e.line for e in self.errors}]

    def save(self, *, by: Any, filename: str = "") -> list[Resource]:
        """Create or update every resource with its location, schedules and terms,
        all or nothing."""
        from tsunagari.directory.services import resource_snapshot

        assert self.is_valid
        saved: list[Resource] = []
        with transaction.atomic():
            for row in self.rows:
                note = _("CSVから一括登録（%(file)s %(line)d行目）") % {
                    "file": filename,
                    "line": row.line,
                }
                if row.existing is not None:
                    resource = Resource.objects.select_for_update().get(pk=row.existing.pk)
                    before = resource_snapshot(resource)
                    fields = UPDATED_FIELDS[self.format]
                    for name in fields:
                        setattr(resource, name, getattr(row.resource, name))
                    resource.save(update_fields=[*fields, "updated_at"])
                    resource.schedules.all().delete()
                    resource.locations.all().delete()
                else:
                    resource = row.resource
                    resource.created_by = by
                    resource.save()
                if self.format == "events":
                    resource.kinds.add(*row.kinds)
                else:
                    resource.kinds.set(row.kinds)
                    resource.target_groups.set(row.targets)
                    resource.languages.set(row.languages)
                if row.location is not None:
                    row.location.resource = resource
                    row.location.save()
                for schedule in row.schedules:
                    Schedule.objects.create(resource=resource, location=row.location, **schedule)
                if row.existing is not None:
                    changes = diff(before, resource_snapshot(resource))
                    record(by, AuditEvent.Action.UPDATE, resource, changes=changes, note=note)
                else:
                    record(by, AuditEvent.Action.CREATE, resource, note=note)
                saved.append(resource)
            search.reindex([r.pk for r in saved])
        return saved


# --- Preview: the file kept on the server between the preview and the confirmation --------

PREVIEW_MAX_AGE = 30 * 60  # seconds
PREVIEW_SALT = "tsunagari.directory.import-preview"


class PreviewError(Exception):
    """The confirmation cannot go ahead; the message says why, for the person."""


@dataclass
class StagedImport:
    data: bytes
    organization_id: int | None
    filename: str
    summary: list[list[Any]]


def _staging_dir() -> Path:
    return Path(settings.VAR_DIR) / "import-previews"


def _clean_old_previews(folder: Path) -> None:
    limit = time.time() - PREVIEW_MAX_AGE - 60
    for path in folder.glob("*"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:
            pass


def stage(
    data: bytes,
    *,
    user_id: int | None,
    organization_id: int | None,
    filename: str,
    plan: ImportPlan,
) -> str:
    """Keep the uploaded file for its confirmation; returns the signed token that names it."""
    folder = _staging_dir()
    folder.mkdir(parents=True, exist_ok=True)
    _clean_old_previews(folder)
    key = secrets.token_urlsafe(18)
    (folder / f"{key}.csv").write_bytes(data)
    payload = {
        "key": key,
        "user": user_id,
        "organization": organization_id,
        "file": filename[:200],
        "summary": plan.summary(),
    }
    return signing.dumps(payload, salt=PREVIEW_SALT, compress=True)


def claim(token: str, *, user_id: int | None) -> StagedImport:
    """The staged file of a preview, exactly once: a second confirmation of the same
    preview (a double click, a resent form) finds it gone and raises PreviewError."""
    try:
        payload = signing.loads(token, salt=PREVIEW_SALT, max_age=PREVIEW_MAX_AGE)
    except signing.SignatureExpired:
        raise PreviewError(
            _(
                "確認画面を表示してから時間がたったため、登録できませんでした"
                "（確認の有効期限は%(minutes)d分です）。もう一度ファイルを選んでください。"
            )
            % {"minutes": PREVIEW_MAX_AGE // 60}
        ) from None
    except signing.BadSignature:
        raise PreviewError(
            _("確認の情報を読み取れません。もう一度ファイルを選んでください。")
        ) from None
    if user_id is None or payload.get("user") != user_id:
        raise PreviewError(_("確認の情報を読み取れません。もう一度ファイルを選んでください。"))
    path = _staging_dir() / f"{payload['key']}.csv"
    taken = path.with_suffix(".taken")
    try:
        # A rename is atomic: of two confirmations arriving together, only one finds the file.
        os.rename(path, taken)
    except FileNotFoundError:
        raise PreviewError(
            _(
                "この確認画面の内容はすでに登録したか、期限が切れています。"
                "二重に登録しないよう、何もしていません。"
            )
        ) from None
    try:
        data = taken.read_bytes()
    finally:
        taken.unlink(missing_ok=True)
    return StagedImport(
        data=data,
        organization_id=payload.get("organization"),
        filename=payload.get("file", ""),
        summary=payload.get("summary", []),
    )


class RowReader:
    """Collects the errors of one row by column while its cells are parsed."""

    def __init__(
        self, line: int, cells: dict[str, str], plan: ImportPlan, columns: dict[str, str]
    ) -> None:
        self.line = line
        self.columns = columns
        self.cells = cells
        self.plan = plan
        self.failed = False
        self.failed_columns: set[str] = set()

    def text(self, column: str) -> str:
        return normalize_text(self.cells.get(column, ""))

    def error(self, column: str, message: str) -> None:
        self.failed = True
        self.failed_columns.add(column)
        self.plan.errors.append(RowError(self.line, column, message))

    def notice(self, column: str, message: str) -> None:
        self.plan.notices.append(RowError(self.line, column, message))

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            self.error(column, _("必須の項目です。"))
        return value

    def parse(self, column: str, parser: Callable[[str], Any], default: Any = None) -> Any:
        value = self.cells.get(column, "")
        if not value.strip():
            return default
        try:
            return parser(value)
        except ValueError as e:
            self.error(column, str(e))
            return default

    def model_errors(self, error: ValidationError, prefix: str = "") -> None:
        for name, messages in error.message_dict.items():
            column = self.columns.get(prefix + name, "")
            if column in self.failed_columns:
                continue  # already said, in the import's own words
            for message in messages:
                self.error(column, message)


def _terms(reader: RowReader, column: str, known: dict[str, Any], what: str) -> list[Any]:
    found = []
    for item in split_list(reader.cells.get(column, "")):
        key = item.lower() if item.isascii() else item
        if key in known:
            if known[key] not in found:
                found.append(known[key])
        else:
            reader.error(
                column,
                _("%(what)s「%(item)s」は登録されていません。") % {"what": what, "item": item},
            )
    return found


def _phone(text: str) -> str:
    return normalize_phone(text)


def _kana(text: str) -> str:
    return to_katakana(text)


def _check_model(reader: RowReader, resource: Resource, location: Location | None) -> None:
    try:
        # Organisation and municipality are known to exist: no query per row for them.
        resource.full_clean(exclude=["created_by", "organization"])
    except ValidationError as e:
        reader.model_errors(e)
    if location is not None:
        try:
            location.full_clean(exclude=["resource", "municipality"])
        except ValidationError as e:
            reader.model_errors(e, prefix="loc.")


def _resource_row(
    reader: RowReader, lookups: Lookups, organization: Any, today: dt.date
) -> PlannedResource | None:
    name = reader.required("名称")
    description = reader.required("内容")
    if not reader.text("種類"):
        reader.error("種類", _("必須の項目です。"))
    kinds = _terms(reader, "種類", lookups.kinds, _("種類"))
    targets = _terms(reader, "対象", lookups.targets, _("対象"))
    languages = _terms(reader, "対応言語", lookups.languages, _("対応言語"))
    is_free = reader.parse("無料", parse_bool, False)
    is_online = reader.parse("オンライン", parse_bool, False)
    online_only = reader.parse("オンラインのみ", parse_bool, False)
    hide_address = reader.parse("住所を公開しない", parse_bool, False)
    phone = reader.parse("電話番号", _phone, "")
    postal_code = reader.parse("郵便番号", normalize_postal_code, "")
    schedules = reader.parse("日程", parse_schedule_text, [])
    municipality = reader.parse("市区町村", lookups.municipality)
    lat, lon = None, None
    try:
        lat, lon, swapped = coordinates(reader.cells.get("緯度", ""), reader.cells.get("経度", ""))
    except ValueError as e:
        reader.error("緯度・経度", str(e))
    else:
        if swapped:
            reader.notice("緯度・経度", _("緯度と経度が逆になっていたので入れ替えました。"))

    place_given = any(reader.text(c) for c in ("場所の名称", "住所", "郵便番号", "緯度", "経度"))
    location = None
    if municipality is not None:
        location = Location(
            name=reader.text("場所の名称") or name,
            municipality=municipality,
            postal_code=postal_code,
            address=reader.text("住所"),
            latitude=lat,
            longitude=lon,
            hide_address=hide_address,
        )
    elif not reader.text("市区町村") and (place_given or not online_only):
        reader.error(
            "市区町村", _("市区町村を入力してください（オンラインのみの場合は不要です）。")
        )

    resource = Resource(
        organization=organization,
        name=name,
        name_kana=reader.parse("フリガナ", _kana, ""),
        description=description,
        is_free=is_free,
        fee=reader.text("費用"),
        is_online=is_online or online_only,
        online_only=online_only,
        phone=phone,
        email=reader.text("メールアドレス").lower(),
        url=reader.text("URL"),
        how_to_join=reader.text("参加方法"),
        status=Resource.Status.PUBLISHED,
        last_verified_on=today,
    )
    _check_model(reader, resource, location)
    if reader.failed:
        return None
    return PlannedResource(
        line=reader.line,
        resource=resource,
        kinds=kinds,
        targets=targets,
        languages=languages,
        location=location,
        schedules=schedules,
    )


# --- The 推奨データセット イベント一覧 --------------------------------------------------------


def _event_municipality(reader: RowReader, lookups: Lookups) -> Municipality | None:
    """From the code, coping with a dropped leading zero or a missing check digit, or
    else from the name."""
    column = "都道府県コード又は市区町村コード"
    raw = reader.text(column)
    digits = re.sub(r"\D", "", raw)
    candidates: list[tuple[str, str]] = []
    if len(digits) == 6:
        candidates.append((digits, ""))
    elif len(digits) == 5:
        candidates.append(
            (
                "0" + digits,
                _("コード「%(raw)s」の先頭の0が落ちていたので補いました。") % {"raw": raw},
            )
        )
        candidates.append(
            (
                check_digit_code(digits),
                _("コード「%(raw)s」に検査数字がなかったので「%(code)s」としました。")
                % {"raw": raw, "code": check_digit_code(digits)},
            )
        )
    for code, fixed in candidates:
        found = lookups.municipalities.get(code)
        if found is not None and found.kind != Municipality.Kind.PREFECTURE:
            if fixed:
                reader.notice(column, fixed)
            return found
    name = reader.text("市区町村名")
    if name:
        try:
            return lookups.municipality(name)
        except ValueError as e:
            reader.error("市区町村名", str(e))
            return None
    reader.error(
        column,
        _("神奈川県内の市区町村のコードか市区町村名が必要です（「%(raw)s」）。") % {"raw": raw},
    )
    return None


def _event_row(
    reader: RowReader, lookups: Lookups, organization: Any, today: dt.date, event_kind: int
) -> PlannedResource | None:
    name = reader.required("イベント名")
    description = reader.required("説明")
    starts_on = reader.parse("開始日", _date)
    if not reader.text("開始日"):
        reader.error("開始日", _("必須の項目です。"))
    ends_on = reader.parse("終了日", _date)
    opens_at = reader.parse("開始時間", _clock)
    closes_at = reader.parse("終了時間", _clock)
    schedule = {
        "frequency": recurrence.ONCE,
        "starts_on": starts_on,
        "ends_on": ends_on if ends_on and ends_on != starts_on else None,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "note": reader.text("開始日時特記事項")[:200],
    }
    rule = recurrence.Rule(
        frequency=recurrence.ONCE,
        starts_on=starts_on,
        ends_on=schedule["ends_on"],
        opens_at=opens_at,
        closes_at=closes_at,
    )
    if starts_on is not None:
        for message in rule.errors().values():
            reader.error("終了日・終了時間", str(message))

    fee_kind = reader.text("料金(基本)")
    if fee_kind not in ("", "無料", "有料"):
        reader.error("料金(基本)", _("「無料」か「有料」で入力してください。"))
    municipality = _event_municipality(reader, lookups)
    lat, lon = None, None
    try:
        lat, lon, swapped = coordinates(reader.cells.get("緯度", ""), reader.cells.get("経度", ""))
    except ValueError as e:
        reader.error("緯度・経度", str(e))
    else:
        if swapped:
            reader.notice("緯度・経度", _("緯度と経度が逆になっていたので入れ替えました。"))
    address = " ".join(p for p in (reader.text("住所"), reader.text("方書")) if p)
    location = None
    if municipality is not None:
        location = Location(
            name=reader.text("場所名称") or municipality.name,
            municipality=municipality,
            address=address,
            latitude=lat,
            longitude=lon,
            access=reader.text("アクセス方法"),
        )
    contact_name = reader.text("連絡先名称")
    resource = Resource(
        organization=organization,
        name=name,
        name_kana=reader.parse("イベント名_カナ", _kana, ""),
        description=description,
        is_free=fee_kind == "無料",
        fee=reader.text("料金(詳細)"),
        capacity=reader.text("定員"),
        how_to_join=reader.text("参加申込方法"),
        contact_name=contact_name,
        phone=reader.parse("連絡先電話番号", _phone, ""),
        url=reader.text("URL"),
        status=Resource.Status.PUBLISHED,
        last_verified_on=today,
    )
    _check_model(reader, resource, location)
    if reader.failed:
        return None
    return PlannedResource(
        line=reader.line,
        resource=resource,
        kinds=[event_kind],
        location=location,
        schedules=[schedule],
    )


def _clock(text: str) -> dt.time:
    value = _prepare(text)
    if m := re.fullmatch(_TIME, value):
        return _time(*m.group(1, 2, 3, 4))
    raise ValueError(_("時刻は「10:00」の形で入力してください。"))


# --- The whole file -----------------------------------------------------------------------


def plan_import(data: bytes, organization: Any, *, today: dt.date | None = None) -> ImportPlan:
    """Read and validate a whole file; raises ImportFileError when it cannot be read at all."""
    from tsunagari.directory.opendata import EVENT_COLUMNS

    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _("ファイルが大きすぎます（上限%(mb)dMB）。ファイルを分けて登録してください。")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    text, encoding = decode(data)
    header, rows = read_rows(text)
    today = today or timezone.localdate()
    is_events = "イベント名" in header and "開始日" in header
    plan = ImportPlan(format="events" if is_events else "resources", encoding=encoding)
    known = [clean_header(h) for h in EVENT_COLUMNS] if is_events else HEADERS
    required = (
        ["イベント名", "説明", "開始日"] if is_events else sorted(REQUIRED, key=HEADERS.index)
    )

    unknown = [h for h in header if h and h not in known]
    missing = [h for h in required if h not in header]
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    for h in unknown:
        plan.errors.append(
            RowError(1, h, _("この列名は使えません。テンプレートの列名にしてください。"))
        )
    for h in missing:
        plan.errors.append(RowError(1, h, _("必須の列がありません。")))
    for h in duplicated:
        plan.errors.append(RowError(1, h, _("同じ名前の列が複数あります。")))
    if plan.errors:
        return plan
    if not rows:
        raise ImportFileError(_("登録する行がありません（見出しの行だけです）。"))

    lookups = Lookups()
    event_kind = Kind.objects.filter(slug="event").values_list("pk", flat=True).first()
    if is_events and event_kind is None:
        raise ImportFileError(
            _("種類「イベント」が登録されていないため、イベント一覧を取り込めません。")
        )
    for line, cells in rows:
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            plan.errors.append(
                RowError(
                    line,
                    "",
                    _(
                        '列の数が見出しより多くなっています（%(n)d列）。値の中の「,」は「"」で囲んでください。'
                    )
                    % {"n": len(cells)},
                )
            )
            continue
        columns = EVENT_FIELD_COLUMNS if is_events else RESOURCE_FIELD_COLUMNS
        reader = RowReader(line, dict(zip(header, cells, strict=False)), plan, columns)
        if is_events:
            assert event_kind is not None
            planned = _event_row(reader, lookups, organization, today, event_kind)
        else:
            planned = _resource_row(reader, lookups, organization, today)
        if planned is not None:
            plan.rows.append(planned)
    plan.match_existing(organization)
    return plan
