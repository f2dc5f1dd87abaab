"""Schedules in the forms Japanese organisers use, as pure functions over dates.

毎週水曜 / 第2・第4土曜 / 毎月15日 / 毎日 / a single date or a run of dates / 不定期.
Weekdays are ISO numbers (1 = Monday ... 7 = Sunday); week -1 is the last of the month.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import get_language, pgettext, pgettext_lazy
from django.utils.translation import gettext as _

from tsunagari.lib.wareki import format_wareki

# The Japanese names, as the search index and the CSV import read them.
WEEKDAY_NAMES = {1: "月", 2: "火", 3: "水", 4: "木", 5: "金", 6: "土", 7: "日"}
# The same names for display, in the reader's language.
WEEKDAY_LABELS = {
    1: pgettext_lazy("weekday", "月"),
    2: pgettext_lazy("weekday", "火"),
    3: pgettext_lazy("weekday", "水"),
    4: pgettext_lazy("weekday", "木"),
    5: pgettext_lazy("weekday", "金"),
    6: pgettext_lazy("weekday", "土"),
    7: pgettext_lazy("weekday", "日"),
}
WEEK_LABELS = {
    1: pgettext_lazy("week of the month", "第1"),
    2: pgettext_lazy("week of the month", "第2"),
    3: pgettext_lazy("week of the month", "第3"),
    4: pgettext_lazy("week of the month", "第4"),
    5: pgettext_lazy("week of the month", "第5"),
    -1: pgettext_lazy("week of the month", "最終"),
}
# How far ahead next_date looks: a rule that meets less than once a year is not a schedule.
HORIZON_DAYS = 400

WEEKLY = "weekly"
MONTHLY_NTH = "monthly_nth"
MONTHLY_DAY = "monthly_day"
DAILY = "daily"
ONCE = "once"
IRREGULAR = "irregular"


def format_day(day: dt.date) -> str:
    """令和8年12月5日（土） for Japanese readers, Sat 5 Dec 2026 for English ones."""
    if (get_language() or "ja").startswith("en"):
        return f"{day:%a} {day.day} {day:%b %Y}"
    return format_wareki(day, with_weekday=True)


def parse_ints(text: str) -> tuple[int, ...]:
    """ "2,4" → (2, 4); blanks and duplicates dropped, order kept."""
    seen: list[int] = []
    for part in (text or "").replace("、", ",").replace("・", ",").split(","):
        part = part.strip()
        if part and int(part) not in seen:
            seen.append(int(part))
    return tuple(seen)


def week_of_month(day: dt.date) -> int:
    """1 for the first seven days of the month, 2 for the next seven, ..."""
    return (day.day - 1) // 7 + 1


def is_last_week(day: dt.date) -> bool:
    return day.day + 7 > calendar.monthrange(day.year, day.month)[1]


@dataclass(frozen=True)
class Rule:
    frequency: str
    weekdays: tuple[int, ...] = field(default_factory=tuple)
    weeks_of_month: tuple[int, ...] = field(default_factory=tuple)
    day_of_month: int | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    opens_at: dt.time | None = None
    closes_at: dt.time | None = None

    def errors(self) -> dict[str, str]:
        """Field errors in Japanese; empty when the rule is complete and consistent."""
        errors: dict[str, str] = {}
        if any(d not in WEEKDAY_NAMES for d in self.weekdays):
            errors["weekdays"] = _("曜日が正しくありません。")
        if any(w not in (1, 2, 3, 4, 5, -1) for w in self.weeks_of_month):
            errors["weeks_of_month"] = _("第何週は1〜5か「最終」で指定してください。")
        if self.frequency in (WEEKLY, MONTHLY_NTH) and not self.weekdays:
            errors["weekdays"] = _("曜日を選んでください。")
        if self.frequency == MONTHLY_NTH and not self.weeks_of_month:
            errors["weeks_of_month"] = _("第何週かを選んでください。")
        if self.frequency == MONTHLY_DAY and not (
            self.day_of_month and 1 <= self.day_of_month <= 31
        ):
            errors["day_of_month"] = _("日付（1〜31）を入力してください。")
        if self.frequency == ONCE and not self.starts_on:
            errors["starts_on"] = _("開催日を入力してください。")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("終了日は開始日より後にしてください。")
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("終了時刻は開始時刻より後にしてください。")
        return errors

    def meets_on(self, day: dt.date) -> bool:
        if self.starts_on and day < self.starts_on:
            return False
        if self.ends_on and day > self.ends_on:
            return False
        iso = day.isoweekday()
        match self.frequency:
            case "daily":
                return not self.weekdays or iso in self.weekdays
            case "weekly":
                return iso in self.weekdays
            case "monthly_nth":
                if iso not in self.weekdays:
                    return False
                return week_of_month(day) in self.weeks_of_month or (
                    -1 in self.weeks_of_month and is_last_week(day)
                )
            case "monthly_day":
                last = calendar.monthrange(day.year, day.month)[1]
                # 毎月31日 meets on the last day of shorter months.
                return self.day_of_month is not None and day.day == min(self.day_of_month, last)
            case "once":
                # A run of dates (a three-day event) or a single day.
                return self.starts_on is not None and (
                    day == self.starts_on or (self.ends_on is not None and day <= self.ends_on)
                )
        return False  # irregular: no known dates

    def occurrences(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Days in [start, end] on which the rule meets."""
        if self.frequency == IRREGULAR:
            return []
        first = max(start, self.starts_on) if self.starts_on else start
        last = min(end, self.ends_on) if self.ends_on else end
        if self.frequency == ONCE and self.starts_on:
            last = min(last, self.ends_on or self.starts_on)
        days = []
        day = first
        while day <= last:
            if self.meets_on(day):
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    def next_date(self, today: dt.date) -> dt.date | None:
        if self.frequency == IRREGULAR:
            return None
        end = today + dt.timedelta(days=HORIZON_DAYS)
        if self.ends_on:
            end = min(end, self.ends_on)
        day = max(today, self.starts_on) if self.starts_on else today
        while day <= end:
            if self.meets_on(day):
                return day
            day += dt.timedelta(days=1)
        return None

    def is_open_at(self, moment: dt.datetime) -> bool:
        """Open now: meets today and the time is within the hours (all day if none)."""
        if not self.meets_on(moment.date()):
            return False
        now = moment.time()
        if self.opens_at and now < self.opens_at:
            return False
        return self.closes_at is None or now < self.closes_at

    def describe(self) -> str:
        """The rule as organisers write it: 毎週水曜 10:00〜12:00."""
        separator = pgettext("list separator", "・")
        days = separator.join(str(WEEKDAY_LABELS[d]) for d in self.weekdays if d in WEEKDAY_LABELS)
        match self.frequency:
            case "weekly":
                text = _("毎週%(days)s曜") % {"days": days}
            case "monthly_nth":
                weeks = separator.join(
                    str(WEEK_LABELS[w]) for w in self.weeks_of_month if w in WEEK_LABELS
                )
                text = _("%(weeks)s%(days)s曜") % {"weeks": weeks, "days": days}
            case "monthly_day":
                text = _("毎月%(day)d日") % {"day": self.day_of_month or 0}
            case "daily":
                text = _("毎日") if not days else _("毎週%(days)s曜") % {"days": days}
            case "once":
                assert self.starts_on is not None
                text = format_day(self.starts_on)
                if self.ends_on and self.ends_on != self.starts_on:
                    text += pgettext("from … to …", "〜") + format_day(self.ends_on)
            case _:
                text = _("不定期")
        if self.opens_at:
            closes = f"{self.closes_at:%H:%M}" if self.closes_at else ""
            text += f" {self.opens_at:%H:%M}{pgettext('from … to …', '〜')}{closes}"
        return text
