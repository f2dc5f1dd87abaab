"""Lines for the tests, beside the ones the migration loaded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tsunagari.helplines.models import NationalLine


def make_line(name: str = "【テスト】相談ダイヤル", **fields: Any) -> NationalLine:
    values: dict[str, Any] = {
        "name_en": "Test line",
        "kind": "phone",
        "phone": "0120-000-000",
        "hours_ja": "平日9時〜17時",
        "hours_en": "Weekdays 09:00-17:00",
        "free": True,
        "languages": ["ja"],
        "targets": ["everyone"],
        "for_everyone": True,
        "scope": "national",
        "source_url": "https://example.jp/line",
        "source_seen": dt.date(2025, 4, 1),
        "status": "published",
        "position": 100,
    }
    values.update(fields)
    return NationalLine.objects.create(name_ja=name, **values)
