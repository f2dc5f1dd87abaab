"""Sample courses (one full, with a waitlist) for `make demo`, every one marked 【サンプル】.

They take place at the places of the 【サンプル】 organisations' resources (the
directory's samples), in different municipalities; one is online; one is full with a
waitlist; one was held last week (for the attendance and certificate demo). Sample
participants are 【サンプル】 people with example.jp addresses. Created once: a second
run finds them by title and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tsunagari.directory.models import Location
from tsunagari.directory.sample import DEMO_STAFF_ORGANISATIONS
from tsunagari.geo.models import Municipality
from tsunagari.supporters.models import Course, Registration
from tsunagari.supporters.registrations import new_code

MARK = "【サンプル】"
NOTE = "※これはデモ用のサンプルです。実際の講座ではありません。"
DESCRIPTION = (
    "孤独・孤立について知り、身近な人に気づいて声をかけるための講座です。"
    "講義と短い個人ワークで約90分、参加費は無料です。\n" + NOTE
)


@dataclass(frozen=True)
class Spec:
    title: str
    days: int  # from today; negative: held already
    capacity: int
    confirmed: int
    waitlisted: int = 0
    online: bool = False
    hour: int = 14


SPECS = [
    Spec(MARK + "つながりサポーター養成講座（地区センター会場）", 14, 20, 3),
    Spec(MARK + "つながりサポーター養成講座（満席・キャンセル待ちあり）", 10, 5, 5, waitlisted=2),
    Spec(MARK + "つながりサポーター養成講座（オンライン）", 21, 30, 2, online=True, hour=19),
    Spec(MARK + "つながりサポーター養成講座（先週開催）", -7, 15, 6, hour=10),
]


# The sample organisations whose 【サンプル】 staff accounts `load_demo` makes: their
# places come first, so that a demo visitor signed in as their staff runs the courses.


def _places(count: int) -> list[Location]:
    """Public places of sample resources run by sample organisations, one per
    municipality (the demo staff's organisations first)."""
    found: list[Location] = []
    seen: set[str] = set()
    first = [MARK + name for name in DEMO_STAFF_ORGANISATIONS]
    qs = (
        Location.objects.filter(
            resource__is_sample=True,
            resource__organization__is_sample=True,
            resource__status="published",
            hide_address=False,
            latitude__isnull=False,
        )
        .select_related("municipality", "resource__organization")
        .order_by("id")
    )
    ordered = sorted(qs, key=lambda loc: loc.resource.organization.name not in first)  # type: ignore[union-attr]
    for location in ordered:
        city = location.municipality.city_code
        if city in seen:
            continue
        seen.add(city)
        found.append(location)
        if len(found) == count:
            break
    return found


def _city(location: Location) -> Municipality:
    place = location.municipality
    return place.parent if place.parent is not None else place


def load_sample_courses() -> list[str]:
    """Create the samples unless they exist; return lines saying what was made."""
    existing = set(Course.objects.filter(is_sample=True).values_list("title", flat=True))
    todo = [spec for spec in SPECS if spec.title not in existing]
    if not todo:
        return []
    places = _places(len(SPECS))
    if len(places) < len(SPECS) - 1:
        return ["サンプルの社会資源の場所が足りないため、サンプル講座は作りませんでした。"]
    prefecture = Municipality.objects.get(code="140007")
    now = timezone.localtime()
    made = []
    with transaction.atomic():
        venues = iter(places)
        for spec in SPECS:
            venue = None if spec.online else next(venues)
            if spec.title in existing:
                continue
            starts = (now + dt.timedelta(days=spec.days)).replace(
                hour=spec.hour, minute=0, second=0, microsecond=0
            )
            organization = venue.resource.organization if venue else places[0].resource.organization
            course = Course.objects.create(
                title=spec.title,
                description=DESCRIPTION,
                organization=organization,
                instructor=MARK + "講師",
                format=Course.Format.ONLINE if spec.online else Course.Format.IN_PERSON,
                location=venue,
                online_url="https://meet.example.jp/sample-tsunagari" if spec.online else "",
                municipality=_city(venue) if venue else prefecture,
                starts_at=starts,
                capacity=spec.capacity,
                deadline=starts - dt.timedelta(days=2),
                target="どなたでも",
                status=Course.Status.PUBLISHED,
                is_sample=True,
            )
            registered = starts - dt.timedelta(days=20)
            for n in range(spec.confirmed + spec.waitlisted):
                Registration.objects.create(
                    course=course,
                    status=Registration.Status.CONFIRMED
                    if n < spec.confirmed
                    else Registration.Status.WAITLISTED,
                    code=new_code(),
                    name=f"{MARK}参加者{n + 1}",
                    email=f"sample-participant{course.pk}-{n + 1}@example.jp",
                    municipality=course.municipality if course.municipality != prefecture else None,
                    registered_at=registered + dt.timedelta(hours=n),
                )
            made.append(spec.title)
    from tsunagari.lib import pagecache

    pagecache.bump("supporters")
    return [
        f"サンプルの講座を{len(made)}件作成しました（満席でキャンセル待ちのあるもの1件を含む）。"
    ]
