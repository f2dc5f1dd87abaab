"""When a need wants something, and when a seed meets (日程の手がかり).

A need says it in words (週末, 土日, 平日, 夜, 夕方 ...). A seed's days come from its
schedules when they are known, otherwise from the same words in its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WEEKEND = frozenset({6, 7})
WEEKDAYS = frozenset({1, 2, 3, 4, 5})
ALL_DAYS = frozenset(range(1, 8))

_DAY_WORDS: list[tuple[str, frozenset[int]]] = [
    (r"週末|土日|休日|土・日|土曜.{0,3}日曜", WEEKEND),
    (r"土曜|\(土\)|（土）", frozenset({6})),
    (r"日曜|\(日\)|（日）", frozenset({7})),
    (r"平日", WEEKDAYS),
    (r"月曜", frozenset({1})),
    (r"火曜", frozenset({2})),
    (r"水曜", frozenset({3})),
    (r"木曜", frozenset({4})),
    (r"金曜", frozenset({5})),
    (r"毎日|年中無休|24時間", ALL_DAYS),
]
_EVENING = re.compile(r"夜|夕方|夕刻|ナイト|仕事帰り|1[7-9]時|2[0-3]時|1[7-9]:|2[0-3]:")


@dataclass(frozen=True)
class When:
    days: frozenset[int] = frozenset()
    evening: bool = False

    def __bool__(self) -> bool:
        return bool(self.days) or self.evening


# "平日は参加できない": a day word followed by a refusal is not a wish.
_REFUSED = re.compile(r"^.{0,6}?(できない|出来ない|無理|難しい|行けない|以外|ではなく|じゃなく)")


def _said(pattern: str, text: str) -> bool:
    return any(not _REFUSED.match(text[m.end() :]) for m in re.finditer(pattern, text))


_ANY = re.compile("|".join(p for p, _days in _DAY_WORDS) + "|" + _EVENING.pattern)


def read(text: str) -> When:
    if not _ANY.search(text):
        return When()
    days: set[int] = set()
    for pattern, found in _DAY_WORDS:
        if _said(pattern, text):
            days |= found
    return When(frozenset(days), _said(_EVENING.pattern, text))


def label(wanted: When) -> str:
    """Japanese words for what a need asked: 土日, 平日, 夜."""
    parts = []
    if wanted.days:
        if wanted.days <= WEEKEND:
            parts.append(
                "土日" if wanted.days == WEEKEND else ("土曜" if 6 in wanted.days else "日曜")
            )
        elif wanted.days <= WEEKDAYS:
            parts.append("平日")
    if wanted.evening:
        parts.append("夜")
    return "・".join(parts)
