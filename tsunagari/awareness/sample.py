"""Sample May awareness month items for `make demo`, every one marked 【サンプル】.

The month of the next May (this May until it ends): three made-up month's items with
example.org addresses, and May dates on a few 【サンプル】 events of the 【サンプル】
member organisations (the directory's sample one-off events fall in the next 60 days,
rarely in May). Nothing here describes a real line, event or organisation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tsunagari.awareness import month
from tsunagari.awareness.models import AwarenessItem
from tsunagari.directory.models import Resource, Schedule
from tsunagari.directory.search import reindex

SAMPLE_MARK = "【サンプル】"
SAMPLE_SOURCE = "デモ用サンプルデータ（架空の取組です）"
MAY_NOTE = "孤独・孤立対策強化月間の特別回（サンプル）"
MAY_EVENTS = 6  # sample resources that get a May date


@dataclass(frozen=True)
class SampleItem:
    title: str
    kind: str
    days: tuple[int, int]
    description: str
    url: str


ITEMS = [
    SampleItem(
        title=SAMPLE_MARK + "強化月間 特別電話相談（架空）",
        kind=AwarenessItem.Kind.NATIONAL_LINE,
        days=(1, 31),
        description="月間中だけ時間を延長する、という想定の架空の相談窓口です。",
        url="https://example.org/sample/awareness-month/special-line/",
    ),
    SampleItem(
        title=SAMPLE_MARK + "県の啓発イベント「つながるひろば」（架空）",
        kind=AwarenessItem.Kind.PREFECTURE_EVENT,
        days=(16, 16),
        description="パネル展示とミニ講演を行う、という想定の架空のイベントです。",
        url="https://example.org/sample/awareness-month/hiroba/",
    ),
    SampleItem(
        title=SAMPLE_MARK + "つながりサポーター養成講座 月間特別回（架空）",
        kind=AwarenessItem.Kind.OTHER,
        days=(23, 23),
        description="身近な人の声に気づくための入門講座、という想定の架空の講座です。",
        url="https://example.org/sample/awareness-month/supporter-course/",
    ),
]


def load_sample_awareness_month(today: dt.date | None = None) -> list[str]:
    """Create the samples unless they exist; return lines saying what was made."""
    year = month.year_to_show(today or timezone.localdate())
    lines = []
    with transaction.atomic():
        made = 0
        for spec in ITEMS:
            first, last = spec.days
            _item, created = AwarenessItem.objects.get_or_create(
                title=spec.title,
                starts_on=dt.date(year, 5, first),
                defaults={
                    "kind": spec.kind,
                    "ends_on": dt.date(year, 5, last),
                    "description": spec.description,
                    "url": spec.url,
                    "source": SAMPLE_SOURCE,
                    "is_sample": True,
                },
            )
            made += created
        if made:
            lines.append(
                f"{year}年5月の孤独・孤立対策強化月間のサンプルの取組を{made}件作成しました。"
            )
        dated = _date_sample_events(year)
        if dated:
            lines.append(f"サンプルの催し{dated}件に{year}年5月の日程を追加しました。")
    return lines


def _date_sample_events(year: int) -> int:
    """A May date on a few sample events of sample members, once per year."""
    first, last = month.may_days(year)
    if Schedule.objects.filter(note=MAY_NOTE, starts_on__range=(first, last)).exists():
        return 0
    candidates = list(
        Resource.objects.published()
        .filter(is_sample=True, organization__is_sample=True, kinds__slug="event")
        .exclude(locations=None)
        .distinct()
        .order_by("pk")[:MAY_EVENTS]
    )
    for n, resource in enumerate(candidates):
        day = first + dt.timedelta(days=2 + n * 4)  # spread over the month
        Schedule.objects.create(
            resource=resource,
            location=resource.locations.first(),
            frequency=Schedule.Frequency.ONCE,
            starts_on=day,
            opens_at=dt.time(13, 30),
            closes_at=dt.time(15, 30),
            note=MAY_NOTE,
        )
    reindex([r.pk for r in candidates])
    return len(candidates)
