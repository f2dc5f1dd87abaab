"""Open data out: the events CSV (推奨データセット イベント一覧) and iCalendar feeds.

Events CSV: one row per upcoming occurrence of the published resources of kind "event".
A one-off schedule (a date or a run of dates) is one row while it has not ended; a
recurring schedule gives one row per date in the next EVENT_DAYS days; irregular
schedules (不定期) have no dates and are left out.

iCalendar (RFC 5545): one VEVENT per schedule of a published resource. Recurring schedules
become RRULEs that expand to the same dates as recurrence.Rule; times are in Asia/Tokyo
with its VTIMEZONE; a schedule without times is an all-day event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vRecur

from tsunagari.directory import recurrence
from tsunagari.directory.models import Location, Resource, ResourceQuerySet, Schedule

TOKYO = ZoneInfo("Asia/Tokyo")
EVENT_DAYS = 90
PREFECTURE_CODE = "140007"
PREFECTURE_NAME = "神奈川県"
ICAL_WEEKDAYS = {1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}

# 推奨データセット イベント一覧: the 32 columns, in order (* required in the standard).
EVENT_COLUMNS = [
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "イベント名",
    "イベント名_カナ",
    "イベント名_英語",
    "開始日",
    "終了日",
    "開始時間",
    "終了時間",
    "開始日時特記事項",
    "説明",
    "料金(基本)",
    "料金(詳細)",
    "連絡先名称",
    "連絡先電話番号",
    "連絡先内線番号",
    "主催者",
    "場所名称",
    "住所",
    "方書",
    "緯度",
    "経度",
    "アクセス方法",
    "駐車場情報",
    "定員",
    "参加申込終了日",
    "参加申込終了時間",
    "参加申込方法",
    "URL",
    "備考",
]


def detail_url(resource: Resource) -> str:
    """The resource's public page on this site, as an absolute address."""
    return settings.SITE_URL.rstrip("/") + reverse("directory:detail", args=[resource.pk])


def with_schedules(resources: ResourceQuerySet) -> ResourceQuerySet:
    """Everything the open data needs, in a fixed number of queries."""
    return resources.select_related("organization").prefetch_related(
        Prefetch("locations", queryset=Location.objects.select_related("municipality")),
        Prefetch(
            "schedules",
            queryset=Schedule.objects.select_related("location__municipality"),
        ),
        "accessibility",
    )


def place_of(resource: Resource, schedule: Schedule) -> Location | None:
    if schedule.location is not None:
        return schedule.location
    locations = list(resource.locations.all())
    return locations[0] if locations else None


# --- Events CSV ---------------------------------------------------------------------------


def _occurrences(schedule: Schedule, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """(start, end) of each row the schedule gives."""
    rule = schedule.rule
    if rule.frequency == recurrence.IRREGULAR:
        return []
    if rule.frequency == recurrence.ONCE:
        assert rule.starts_on is not None
        end = rule.ends_on or rule.starts_on
        return [(rule.starts_on, end)] if end >= today else []
    last = today + dt.timedelta(days=EVENT_DAYS - 1)
    return [(day, day) for day in rule.occurrences(today, last)]


def event_rows(resources: Iterable[Resource], today: dt.date) -> list[list[str]]:
    """The events CSV's rows (without the header), sorted by date and time."""
    found: list[tuple[dt.date, dt.time, str, int, Resource, Schedule, dt.date]] = []
    for resource in resources:
        for schedule in resource.schedules.all():
            for start, end in _occurrences(schedule, today):
                opens = schedule.opens_at or dt.time(0, 0)
                found.append((start, opens, resource.name, schedule.pk, resource, schedule, end))
    found.sort(key=lambda f: f[:4])
    rows = []
    for number, (start, _opens, _name, _pk, resource, schedule, end) in enumerate(found, start=1):
        rows.append(_event_row(number, resource, schedule, start, end))
    return rows


def _event_row(
    number: int, resource: Resource, schedule: Schedule, start: dt.date, end: dt.date
) -> list[str]:
    place = place_of(resource, schedule)
    if place is not None:
        municipality = place.municipality
        code, town = municipality.code, municipality.name
        place_name, address = place.name, place.public_address
        coordinates = place.public_coordinates
        access = "" if place.hide_address else place.access
    else:
        code, town = PREFECTURE_CODE, ""
        place_name = address = _("オンライン") if resource.online_only else ""
        coordinates, access = None, ""
    notes = "、".join(n for n in (schedule.note, resource.hours_note) if n)
    parking = any(a.slug == "parking" for a in resource.accessibility.all())
    remarks = []
    if resource.is_sample:
        remarks.append(_("サンプル（架空のデータです）"))
    if resource.online_only:
        remarks.append(_("オンラインのみ"))
    elif resource.is_online:
        remarks.append(_("オンライン参加可"))
    if resource.last_verified_on:
        remarks.append(_("最終確認日 %(date)s") % {"date": resource.last_verified_on.isoformat()})
    return [
        code,
        str(number),
        PREFECTURE_NAME,
        town,
        resource.name,
        resource.name_kana,
        "",
        start.isoformat(),
        end.isoformat(),
        f"{schedule.opens_at:%H:%M}" if schedule.opens_at else "",
        f"{schedule.closes_at:%H:%M}" if schedule.closes_at else "",
        notes,
        resource.description,
        _("無料") if resource.is_free else _("有料"),
        resource.fee,
        resource.contact_name or resource.provider,
        resource.phone,
        "",
        resource.provider,
        place_name,
        address,
        "",
        f"{coordinates[0]:.6f}" if coordinates else "",
        f"{coordinates[1]:.6f}" if coordinates else "",
        access,
        _("駐車場あり") if parking else "",
        resource.capacity,
        "",
        "",
        resource.how_to_join,
        resource.url or detail_url(resource),
        "、".join(remarks),
    ]


def upcoming_events(today: dt.date | None = None) -> list[list[str]]:
    today = today or timezone.localdate()
    resources = with_schedules(Resource.objects.published().filter(kinds__slug="event"))
    return event_rows(resources.distinct().order_by("id"), today)


# --- iCalendar ----------------------------------------------------------------------------


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _anchor(resource: Resource, rule: recurrence.Rule) -> dt.date | None:
    """The first date of a recurring rule: RFC 5545 wants DTSTART to be an occurrence."""
    start = rule.starts_on or timezone.localdate(resource.created_at)
    return rule.next_date(start)


def recurrence_rule(rule: recurrence.Rule, first: dt.date) -> dict[str, Any] | None:
    """The RRULE parts for a schedule rule, None for a single date."""
    days = [ICAL_WEEKDAYS[d] for d in rule.weekdays if d in ICAL_WEEKDAYS]
    parts: dict[str, Any]
    match rule.frequency:
        case recurrence.WEEKLY:
            parts = {"FREQ": "WEEKLY", "BYDAY": days}
        case recurrence.DAILY:
            parts = {"FREQ": "WEEKLY", "BYDAY": days} if days else {"FREQ": "DAILY"}
        case recurrence.MONTHLY_NTH:
            parts = {
                "FREQ": "MONTHLY",
                "BYDAY": [f"{w}{d}" for w in rule.weeks_of_month for d in days],
            }
        case recurrence.MONTHLY_DAY:
            day = rule.day_of_month or 1
            if day == 31:
                parts = {"FREQ": "MONTHLY", "BYMONTHDAY": [-1]}
            elif day > 28:
                # 毎月30日 meets on the last day of a shorter month: 30 or else the last day.
                parts = {"FREQ": "MONTHLY", "BYMONTHDAY": [day, -1], "BYSETPOS": [1]}
            else:
                parts = {"FREQ": "MONTHLY", "BYMONTHDAY": [day]}
        case recurrence.ONCE:
            if not rule.ends_on or rule.ends_on == first:
                return None
            # A run of dates meets every day of the run.
            parts = {"FREQ": "DAILY", "COUNT": (rule.ends_on - first).days + 1}
        case _:
            return None
    return parts


def _until(rule: recurrence.Rule, timed: bool) -> dt.date | dt.datetime | None:
    if rule.ends_on is None or rule.frequency == recurrence.ONCE:
        return None
    if not timed:
        return rule.ends_on
    # With a zoned DTSTART, UNTIL must be in UTC (RFC 5545 3.3.10).
    end_of_day = dt.datetime.combine(rule.ends_on, dt.time(23, 59, 59), tzinfo=TOKYO)
    return end_of_day.astimezone(dt.UTC)


def within(rule: recurrence.Rule, first: dt.date, last: dt.date) -> recurrence.Rule:
    """The rule cut to the days [first, last] (the awareness month's May)."""
    starts_on = max(rule.starts_on, first) if rule.starts_on else first
    ends_on = rule.ends_on
    if ends_on is None and rule.frequency == recurrence.ONCE:
        ends_on = rule.starts_on  # a single date stays one
    ends_on = min(ends_on, last) if ends_on else last
    return replace(rule, starts_on=starts_on, ends_on=ends_on)


def schedule_event(
    resource: Resource,
    schedule: Schedule,
    host: str,
    *,
    rule: recurrence.Rule | None = None,
    uid: str = "",
) -> Event | None:
    """The schedule as a VEVENT; `rule` (the schedule's rule cut to some days, see
    `within`) and `uid` let another feed publish a part of it under its own UID."""
    rule = rule or schedule.rule
    if rule.frequency == recurrence.IRREGULAR:
        return None
    first = rule.starts_on if rule.frequency == recurrence.ONCE else _anchor(resource, rule)
    if first is None or (rule.ends_on is not None and first > rule.ends_on):
        return None
    event = Event()
    event.add("uid", uid or f"schedule-{schedule.pk}@{host}")
    event.add("dtstamp", resource.updated_at.astimezone(dt.UTC))
    event.add("summary", resource.name)
    timed = rule.opens_at is not None
    if timed:
        assert rule.opens_at is not None
        event.add("dtstart", dt.datetime.combine(first, rule.opens_at, tzinfo=TOKYO))
        if rule.closes_at:
            event.add("dtend", dt.datetime.combine(first, rule.closes_at, tzinfo=TOKYO))
    else:
        event.add("dtstart", first)
        event.add("dtend", first + dt.timedelta(days=1))
    parts = recurrence_rule(rule, first)
    if parts is not None:
        if until := _until(rule, timed):
            parts["UNTIL"] = until
        event.add("rrule", vRecur(parts))
    place = place_of(resource, schedule)
    if place is not None:
        event.add("location", f"{place.name} {place.public_address}".strip())
        if coordinates := place.public_coordinates:
            event.add("geo", coordinates)
    elif resource.online_only:
        event.add("location", _("オンライン"))
    event.add("description", _description(resource, schedule))
    event.add("url", detail_url(resource))
    return event


def _description(resource: Resource, schedule: Schedule) -> str:
    lines = [resource.description, "", _("日程：%(text)s") % {"text": schedule.describe()}]
    if resource.is_free:
        lines.append(_("費用：無料"))
    else:
        lines.append(_("費用：%(fee)s") % {"fee": resource.fee or _("有料")})
    lines.append(_("提供：%(provider)s") % {"provider": resource.provider})
    if resource.phone:
        lines.append(_("電話：%(phone)s") % {"phone": resource.phone})
    if resource.is_sample:
        lines.append(_("サンプル（架空のデータです）"))
    return "\n".join(lines)


def new_calendar(name: str) -> Calendar:
    """An empty feed with this site's PRODID and the calendar's name."""
    cal = Calendar()
    cal.add("prodid", "-//Kanagawa Tsunagari Network//Directory//JA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Tokyo")
    return cal


def serialise(cal: Calendar) -> bytes:
    """RFC 5545 text: CRLF lines folded at 75 octets, with a VTIMEZONE for every TZID used."""
    cal.add_missing_timezones()
    return cal.to_ical()


def calendar(name: str, resources: Iterable[Resource]) -> bytes:
    """An iCalendar feed of every schedule of the given resources."""
    cal = new_calendar(name)
    host = site_host()
    for resource in resources:
        for schedule in resource.schedules.all():
            if (event := schedule_event(resource, schedule, host)) is not None:
                cal.add_component(event)
    return serialise(cal)


def feed_resources(resources: ResourceQuerySet) -> Sequence[Resource]:
    return list(with_schedules(resources.published()).distinct().order_by("id"))
