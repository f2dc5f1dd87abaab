"""Load the national lines from a CSV of the reference list's shape.

Columns: name_ja, name_en, kind (phone|sns|chat|emergency), phone, sns_or_url, hours_ja,
hours_en, free (yes|no), languages (codes separated by ";"), targets (codes separated by
";"), scope (national|kanagawa), source_url, source_seen (YYYY-MM-DD), notes.

`parse` checks every row and reports each bad one by its line number; `apply` writes
only a file without errors, in one transaction, and is idempotent (a line is found again
by its Japanese name). The data migration and the `load_national_lines` command share
both, so a fresh install and a reload treat a row the same way.

What a reload keeps: the secretariat's decisions. A retired line stays retired, a period
entered for #9999 stays, and a source the secretariat re-verified later than the CSV's
seen date is not replaced by the older one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from tsunagari.helplines import labels

DATA_FILE = Path(__file__).parent / "data" / "national_consultation_windows.csv"

COLUMNS = (
    "name_ja",
    "name_en",
    "kind",
    "phone",
    "sns_or_url",
    "hours_ja",
    "hours_en",
    "free",
    "languages",
    "targets",
    "scope",
    "source_url",
    "source_seen",
    "notes",
)
KINDS = ("phone", "sns", "chat", "emergency")
SCOPES = ("national", "kanagawa")
# Derived from the hours as the list writes them: "24時間…", "電話は24時間…" and a
# period-limited line that runs 24 hours in its periods. "月・木・金は24時間" is not.
_24H_RE = re.compile(r"^(?:電話は)?24時間|実施期間中は24時間")
_PERIOD_ONLY = "期間限定"
# Fields the CSV decides; the source and the status follow their own rules in `apply`.
CONTENT_FIELDS = (
    "name_en",
    "kind",
    "phone",
    "url",
    "hours_ja",
    "hours_en",
    "free",
    "languages",
    "targets",
    "for_everyone",
    "scope",
    "is_24h",
    "period_only",
    "notes",
    "position",
)
SOURCE_FIELDS = ("source_url", "source_seen")
PUBLISHED, PENDING, RETIRED = "published", "pending", "retired"


@dataclass(frozen=True)
class Problem:
    line: int  # the line of the file (the header is line 1)
    name: str
    message: str

    def __str__(self) -> str:
        return f"{self.line}行目（{self.name or '名称なし'}）: {self.message}"


@dataclass
class Parsed:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class Outcome:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)


def _codes(value: str, known: dict[str, Any], what: str, problems: list[str]) -> list[str]:
    codes = [c.strip() for c in value.split(";") if c.strip()]
    unknown = [c for c in codes if c not in known]
    if unknown:
        problems.append(f"{what}のコードが不明です: {', '.join(unknown)}")
    return codes


def parse_row(
    raw: dict[str, str], position: int, today: dt.date
) -> tuple[dict[str, Any], list[str], list[str]]:
    """One row's model fields, its errors and its warnings (Japanese, for the secretariat)."""
    value = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    errors: list[str] = []
    warnings: list[str] = []
    if not value["name_ja"]:
        errors.append("name_ja（名称）がありません。")
    if not value["name_en"]:
        errors.append("name_en（英語の名称）がありません。")
    if value["kind"] not in KINDS:
        errors.append(f"kind は {'・'.join(KINDS)} のどれかにしてください（{value['kind']!r}）。")
    if not value["phone"] and not value["sns_or_url"]:
        errors.append("phone と sns_or_url のどちらかが必要です。")
    if value["free"] not in ("yes", "no"):
        errors.append(f"free は yes か no にしてください（{value['free']!r}）。")
    if value["scope"] not in SCOPES:
        errors.append(f"scope は national か kanagawa にしてください（{value['scope']!r}）。")
    languages = _codes(value["languages"], labels.LANGUAGES, "languages", errors)
    targets = _codes(value["targets"], labels.TARGETS, "targets", errors)
    if not value["source_url"]:
        errors.append("source_url（出典URL）がありません。出典のない窓口は登録できません。")
    else:
        try:
            URLValidator(schemes=["http", "https"])(value["source_url"])
        except ValidationError:
            errors.append(f"source_url が http(s) のURLではありません（{value['source_url']!r}）。")
    seen: dt.date | None = None
    if value["source_seen"]:
        try:
            seen = dt.date.fromisoformat(value["source_seen"])
        except ValueError:
            errors.append(
                f"source_seen は 2025-07-30 の形の日付にしてください（{value['source_seen']!r}）。"
            )
        else:
            if seen > today:
                errors.append(f"source_seen が未来の日付です（{value['source_seen']}）。")
    else:
        warnings.append(
            "source_seen（情報確認日）がないため「確認待ち」で登録します。"
            "事務局が出典を確認すると公開されます。"
        )
    fields = {
        "name_ja": value["name_ja"],
        "name_en": value["name_en"],
        "kind": value["kind"],
        "phone": value["phone"],
        "url": value["sns_or_url"],
        "hours_ja": value["hours_ja"],
        "hours_en": value["hours_en"],
        "free": value["free"] == "yes",
        "languages": languages,
        "targets": targets,
        "for_everyone": "everyone" in targets,
        "scope": value["scope"],
        "is_24h": bool(_24H_RE.search(value["hours_ja"])),
        "period_only": _PERIOD_ONLY in value["hours_ja"],
        "notes": value["notes"],
        "position": position,
        "source_url": value["source_url"],
        "source_seen": seen,
    }
    return fields, errors, warnings


def parse(text: str, *, today: dt.date | None = None) -> Parsed:
    """Check every row of the CSV text (UTF-8, with or without a BOM)."""
    today = today or dt.date.today()
    parsed = Parsed()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        parsed.errors.append(Problem(1, "", f"列がありません: {', '.join(missing)}"))
        return parsed
    reader.fieldnames = header
    seen_names: dict[str, int] = {}
    for index, raw in enumerate(reader, start=1):
        line = reader.line_num
        if not any((v or "").strip() for v in raw.values() if isinstance(v, str)):
            continue
        fields, errors, warnings = parse_row(raw, index, today)
        name = fields["name_ja"]
        if name in seen_names:
            errors.append(f"同じ名称の行が{seen_names[name]}行目にもあります。")
        elif name:
            seen_names[name] = line
        parsed.errors.extend(Problem(line, name, m) for m in errors)
        parsed.warnings.extend(Problem(line, name, m) for m in warnings)
        if not errors:
            parsed.rows.append(fields)
    return parsed


def read(path: Path = DATA_FILE, *, today: dt.date | None = None) -> Parsed:
    return parse(path.read_text(encoding="utf-8"), today=today)


def _source_to_keep(stored: Any, row: dict[str, Any]) -> tuple[str, dt.date | None]:
    """The CSV's source, unless the stored one was seen later (a re-verification)."""
    if row["source_seen"] is None and stored.source_seen is not None:
        return stored.source_url, stored.source_seen
    if stored.source_seen is not None and row["source_seen"] < stored.source_seen:
        return stored.source_url, stored.source_seen
    return row["source_url"], row["source_seen"]


def _status(current: str | None, source_url: str, source_seen: dt.date | None) -> str:
    if current == RETIRED:
        return RETIRED
    return PUBLISHED if source_url and source_seen is not None else PENDING


def apply(rows: list[dict[str, Any]], *, model: Any, on_change: Any = None) -> Outcome:
    """Create or update one line per row, in one transaction.

    `model` is NationalLine (or the migration's historical model); `on_change(line,
    before, after)` is called for each created (before is None) or updated line, for
    the audit trail.
    """
    outcome = Outcome()
    with transaction.atomic():
        existing = {line.name_ja: line for line in model.objects.select_for_update()}
        for row in rows:
            line = existing.pop(row["name_ja"], None)
            if line is None:
                status = _status(None, row["source_url"], row["source_seen"])
                line = model.objects.create(**row, status=status)
                outcome.created.append(line.name_ja)
                if on_change:
                    on_change(line, None, {**row, "status": status})
                continue
            source_url, source_seen = _source_to_keep(line, row)
            wanted = {name: row[name] for name in CONTENT_FIELDS}
            wanted.update(source_url=source_url, source_seen=source_seen)
            wanted["status"] = _status(line.status, source_url, source_seen)
            before = {name: getattr(line, name) for name in wanted}
            changed = [name for name, v in wanted.items() if before[name] != v]
            if not changed:
                outcome.unchanged.append(line.name_ja)
                continue
            for name in changed:
                setattr(line, name, wanted[name])
            line.save(update_fields=[*changed, "updated_at"])
            outcome.updated.append(line.name_ja)
            if on_change:
                on_change(
                    line,
                    {n: before[n] for n in changed},
                    {n: wanted[n] for n in changed},
                )
        outcome.not_in_file = sorted(existing)
    return outcome
