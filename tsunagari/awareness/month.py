"""The May of one year: member events from the directory and the month's own items.

What counts as an event of the month (decided here, documented in the README):

* a resource of the directory that is **published** (`Resource.objects.published()`),
* run by an organisation that is a **member** (構成員) — on the month's last day for a
  May that has passed, today for the current or a coming May; the demo's 【サンプル】
  members count, as the directory shows their resources too,
* with at least one **schedule that meets in May** (recurrence.py): a date or a run of
  dates inside May, or a recurring rule with a day in May; 不定期 (irregular) schedules
  have no dates and are left out,
* and not only a consultation window (相談窓口 is a standing service, found on /consult/).

Each resource is listed once per municipality it meets in (a ward counts as its city)
under its first kind, with the days of May it meets; nothing is entered twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tsunagari.awareness.models import AwarenessItem
from tsunagari.core.wording import EASY_LANGUAGE
from tsunagari.directory import opendata
from tsunagari.directory.models import Kind, Location, Resource, Schedule
from tsunagari.directory.recurrence import WEEKDAY_LABELS
from tsunagari.geo.models import Municipality
from tsunagari.lib.wareki import format_wareki_month
from tsunagari.members.models import Organization

MAY = 5
CONSULTATION = "consultation"
BANNER_FROM = (4, 1)  # the home page announces the month from 1 April …
BANNER_UNTIL = (5, 31)  # … to its last day


def may_days(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, MAY, 1), dt.date(year, MAY, 31)


def month_label(year: int) -> str:
    """令和9年5月; 2027年5月 in やさしい日本語; May 2027 in English."""
    language = get_language() or "ja"
    if language.startswith("en"):
        return f"May {year}"
    if language == EASY_LANGUAGE:
        return f"{year}年5月"
    return format_wareki_month(may_days(year)[0])


def week_of_may(day: dt.date) -> int:
    """第1週 = 1–7 May, 第2週 = 8–14, …, 第5週 = 29–31."""
    return (day.day - 1) // 7 + 1


def year_to_show(today: dt.date | None = None) -> int:
    """The May of this year until it ends, then next year's."""
    today = today or timezone.localdate()
    return today.year if today <= may_days(today.year)[1] else today.year + 1


def banner_year(today: dt.date | None = None) -> int | None:
    """The year whose month the home page announces (1 April–31 May), else None."""
    today = today or timezone.localdate()
    if dt.date(today.year, *BANNER_FROM) <= today <= dt.date(today.year, *BANNER_UNTIL):
        return today.year
    return None


def membership_day(year: int, today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return min(today, may_days(year)[1])


def area_of(municipality: Municipality | None) -> Municipality | None:
    """The municipality a place is grouped under: a ward counts as its city."""
    if municipality is not None and municipality.kind == Municipality.Kind.WARD:
        return municipality.parent
    return municipality


@dataclass
class MonthEvent:
    """One resource meeting in May in one municipality (None: online only)."""

    resource: Resource
    area: Municipality | None
    kind: Kind | None
    days: list[dt.date] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)
    places: list[Location] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.resource.pk

    @property
    def days_text(self) -> str:
        return days_text(self.days)

    @property
    def rules(self) -> list[str]:
        return [schedule.describe() for schedule in self.schedules]


def days_text(days: list[dt.date]) -> str:
    """The days of May an event meets: 5月6日（水）、13日（水）… or Wed 6, Wed 13 May;
    a run of more than ten days as its first and last day."""
    english = (get_language() or "ja").startswith("en")
    if len(days) > 10:
        return _("%(first)s〜%(last)s（%(count)d日）") % {
            "first": days_text(days[:1]),
            "last": days_text(days[-1:]),
            "count": len(days),
        }
    if english:
        return ", ".join(f"{d:%a} {d.day}" for d in days) + " May"
    parts = [f"{d.day}日（{WEEKDAY_LABELS[d.isoweekday()]}）" for d in days]
    return "5月" + "、".join(parts)


@dataclass
class KindGroup:
    kind: Kind | None
    events: list[MonthEvent]


@dataclass
class AreaGroup:
    area: Municipality | None  # None: online
    kinds: list[KindGroup]

    @property
    def count(self) -> int:
        return sum(len(k.events) for k in self.kinds)


@dataclass(frozen=True)
class Filters:
    municipality: str = ""
    kind: str = ""
    target: str = ""
    week: int | None = None
    day: dt.date | None = None
    mode: str = ""  # "online" or "in_person"


def member_resources(year: int, today: dt.date | None = None) -> list[Resource]:
    """Published resources of the members, with all the page shows, in a fixed number
    of queries."""
    members = Organization.objects.members_on(
        membership_day(year, today), include_samples=True
    ).values("pk")
    qs = (
        Resource.objects.published()
        .filter(organization__in=members)
        .select_related("organization")
        .prefetch_related(
            "kinds",
            "target_groups",
            Prefetch(
                "locations",
                queryset=Location.objects.select_related("municipality__parent"),
            ),
            Prefetch(
                "schedules",
                queryset=Schedule.objects.select_related("location__municipality__parent"),
            ),
        )
        .order_by("name", "pk")
    )
    return list(qs)


def _day_wanted(day: dt.date, filters: Filters) -> bool:
    if filters.day is not None and day != filters.day:
        return False
    return filters.week is None or week_of_may(day) == filters.week


def _matches(resource: Resource, area: Municipality | None, filters: Filters) -> bool:
    if filters.kind and not any(k.slug == filters.kind for k in resource.kinds.all()):
        return False
    if filters.target and not any(t.slug == filters.target for t in resource.target_groups.all()):
        return False
    if filters.mode == "online" and not resource.is_online:
        return False
    in_person = not resource.online_only and area is not None
    return filters.mode != "in_person" or in_person


def _in_municipality(places: Iterable[Location], code: str) -> bool:
    return any(p.municipality_id == code or p.municipality.parent_id == code for p in places)


def month_events(
    year: int, filters: Filters | None = None, *, today: dt.date | None = None
) -> list[MonthEvent]:
    """Every member event meeting in May of `year` that passes the filters."""
    filters = filters or Filters()
    first, last = may_days(year)
    found: dict[tuple[int, str], MonthEvent] = {}
    for resource in member_resources(year, today):
        kinds = list(resource.kinds.all())
        if not kinds or all(k.slug == CONSULTATION for k in kinds):
            continue
        kind = next((k for k in kinds if k.slug != CONSULTATION), None)
        for schedule in resource.schedules.all():
            days = [d for d in schedule.occurrences(first, last) if _day_wanted(d, filters)]
            if not days:
                continue
            place = opendata.place_of(resource, schedule)
            area = area_of(place.municipality) if place is not None else None
            if not _matches(resource, area, filters):
                continue
            if filters.municipality and (
                place is None or not _in_municipality([place], filters.municipality)
            ):
                continue
            key = (resource.pk, area.code if area else "")
            event = found.setdefault(key, MonthEvent(resource, area, kind))
            event.days = sorted({*event.days, *days})
            event.schedules.append(schedule)
            if place is not None and place not in event.places:
                event.places.append(place)
    return sorted(found.values(), key=lambda e: (e.days[0], e.resource.name, e.pk))


def group_events(events: Iterable[MonthEvent]) -> list[AreaGroup]:
    """By municipality (in code order, online last), then by kind (in the terms' order)."""
    by_area: dict[str, list[MonthEvent]] = defaultdict(list)
    areas: dict[str, Municipality | None] = {}
    for event in events:
        code = event.area.code if event.area else ""
        by_area[code].append(event)
        areas[code] = event.area
    groups = []
    for code in sorted(by_area, key=lambda c: (c == "", c)):
        by_kind: dict[int, list[MonthEvent]] = defaultdict(list)
        kinds: dict[int, Kind | None] = {}
        for event in by_area[code]:
            kind_id = event.kind.pk if event.kind else 0
            by_kind[kind_id].append(event)
            kinds[kind_id] = event.kind
        ordered = sorted(
            by_kind,
            key=lambda k: (kinds[k].sort_order, k) if kinds[k] is not None else (10**6, k),  # type: ignore[union-attr]
        )
        groups.append(AreaGroup(areas[code], [KindGroup(kinds[k], by_kind[k]) for k in ordered]))
    return groups


def month_items(year: int) -> list[AwarenessItem]:
    return list(AwarenessItem.objects.overlapping(*may_days(year)))


def map_places(events: Iterable[MonthEvent]) -> list[dict[str, Any]]:
    """The public pins of the events, as the directory's map script reads them."""
    places = []
    for event in events:
        for place in event.places:
            if (coordinates := place.public_coordinates) is not None:
                places.append(
                    {"name": event.resource.name, "lat": coordinates[0], "lon": coordinates[1]}
                )
    return places


def counts_by_area(events: Iterable[MonthEvent]) -> list[tuple[str, int]]:
    """(municipality label, number of events), most first, for the flyer."""
    counts: dict[str, int] = defaultdict(int)
    for event in events:
        counts[event.area.label if event.area else _("オンライン")] += 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


# --- iCalendar --------------------------------------------------------------------------


def calendar(year: int, *, today: dt.date | None = None) -> bytes:
    """RFC 5545 feed of the month: each member event's schedules cut to May (a RRULE that
    ends on 31 May, or a single date), and each month's item as an all-day event."""
    first, last = may_days(year)
    host = opendata.site_host()
    cal = opendata.new_calendar(_("孤独・孤立対策強化月間 %(year)d年5月") % {"year": year})
    for event in month_events(year, today=today):
        for schedule in event.schedules:
            vevent = opendata.schedule_event(
                event.resource,
                schedule,
                host,
                rule=opendata.within(schedule.rule, first, last),
                uid=f"awareness-{year}-schedule-{schedule.pk}@{host}",
            )
            if vevent is not None:
                cal.add_component(vevent)
    for item in month_items(year):
        cal.add_component(item_event(item, year, host))
    return opendata.serialise(cal)


def item_event(item: AwarenessItem, year: int, host: str) -> Any:
    from icalendar import Event

    start, end = item.days_in(*may_days(year))
    event = Event()
    event.add("uid", f"awareness-{year}-item-{item.pk}@{host}")
    event.add("dtstamp", item.updated_at.astimezone(dt.UTC))
    event.add("summary", item.title)
    event.add("dtstart", start)
    event.add("dtend", end + dt.timedelta(days=1))
    lines = [item.description, _("出典：%(source)s") % {"source": item.source}]
    if item.is_sample:
        lines.append(_("サンプル（架空のデータです）"))
    event.add("description", "\n".join(line for line in lines if line))
    if item.url:
        event.add("url", item.url)
    return event
