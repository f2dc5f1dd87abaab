"""Public JSON API of the directory: GET /api/v1/services and /api/v1/services/{id}.

The same search as the public search page (search.search), paginated. Places whose
address is hidden (hide_address) show only their municipality: no name, address or
coordinates ever leave the server for them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from ninja import Field, Query, Router, Schema

from tsunagari.directory import recurrence, search
from tsunagari.directory.models import (
    AccessibilityFeature,
    Concern,
    Kind,
    Language,
    Location,
    Resource,
    ResourceQuerySet,
    Schedule,
    TargetGroup,
)
from tsunagari.geo.models import Municipality
from tsunagari.lib import pagecache
from tsunagari.lib.apierrors import ApiProblem

router = Router(tags=["directory"])

PER_PAGE = 20


class TermRef(Schema):
    slug: str
    name: str


class LanguageRef(Schema):
    code: str
    name: str


class MunicipalityRef(Schema):
    code: str
    name: str


class ServiceSummary(Schema):
    id: int
    name: str
    provider: str
    kinds: list[TermRef]
    target_groups: list[TermRef]
    municipalities: list[MunicipalityRef] = Field(description="場所と対象地域の市区町村")
    is_free: bool
    is_online: bool
    next_date: dt.date | None = Field(description="次の開催日 (next date it meets)")
    url: str = Field(description="公開ページのURL")
    last_verified_on: dt.date | None = Field(description="最終確認日")
    stale: bool = Field(description="12か月以上確認されていない")


class ServicePage(Schema):
    count: int = Field(
        description="件数。count_is_lower_bound が true のときは下限: 1,000件より多く見つかった"
        " (the number of results; a lower bound when count_is_lower_bound)"
    )
    count_is_lower_bound: bool = Field(
        False,
        description="true: 1,000件より多く見つかった。数えるのを1,000件でやめたので count と"
        " pages は下限で、pages より後のページにも結果がある (more than 1,000 results: count"
        " and pages are lower bounds, and pages after `pages` have results too)",
    )
    page: int
    pages: int
    results: list[ServiceSummary]


TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"


def _hhmm(value: dt.time | None) -> str | None:
    """A time of day as HH:MM: the schedules have no seconds and no time zone (JST)."""
    return value.strftime("%H:%M") if value is not None else None


class ScheduleOut(Schema):
    description: str = Field(description="日程（例：第2・第4土曜 10:00〜12:00）")
    frequency: str
    weekdays: list[int] = Field(description="ISO weekdays, 1 = Monday")
    weeks_of_month: list[int] = Field(description="第何週 (-1 = 最終)")
    day_of_month: int | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    opens_at: str | None = Field(pattern=TIME_PATTERN, description="開始時刻 HH:MM (JST)")
    closes_at: str | None = Field(pattern=TIME_PATTERN, description="終了時刻 HH:MM (JST)")
    next_date: dt.date | None


class LocationOut(Schema):
    municipality: MunicipalityRef
    address_hidden: bool = Field(description="住所を公開しない場所（地域のみ表示）")
    name: str | None
    postal_code: str | None
    address: str | None
    latitude: float | None
    longitude: float | None
    access: str | None


class ServiceDetail(ServiceSummary):
    name_kana: str
    description: str
    concerns: list[TermRef]
    languages: list[LanguageRef]
    accessibility: list[TermRef]
    accessibility_note: str
    service_area: list[MunicipalityRef]
    online_only: bool
    fee: str
    capacity: str
    how_to_join: str
    hours_note: str
    is_24h: bool
    contact_name: str
    phone: str
    email: str
    website: str
    schedules: list[ScheduleOut]
    locations: list[LocationOut]


class ServiceFilters(Schema):
    q: str = Field("", max_length=200, description="キーワード（すべての語を含む）")
    municipality: str | None = Field(
        None, pattern=r"^\d{6}$", description="市区町村コード（区は市・県全域の資源も含む）"
    )
    kind: str | None = Field(None, max_length=40, description="種類の識別子")
    target: str | None = Field(None, max_length=40, description="対象の識別子")
    concern: str | None = Field(None, max_length=40, description="相談の分野の識別子")
    day: int | None = Field(None, ge=1, le=7, description="曜日 (ISO: 1 = 月曜 ... 7 = 日曜)")
    open_now: bool = Field(False, description="今ひらいている")
    free: bool = Field(False, description="無料")
    online: bool = Field(False, description="オンライン")
    lang: str | None = Field(None, max_length=16, description="言語コード (BCP 47)")
    accessibility: str | None = Field(None, max_length=40, description="配慮の識別子")
    page: int = Field(1, ge=1, le=100_000)


# The filters whose values only the database knows: (parameter, model, field).
CHOICES: list[tuple[str, Any, str]] = [
    ("municipality", Municipality, "pk"),
    ("kind", Kind, "slug"),
    ("target", TargetGroup, "slug"),
    ("concern", Concern, "slug"),
    ("lang", Language, "pk"),
    ("accessibility", AccessibilityFeature, "slug"),
]


def parameter_choices() -> dict[str, list[str]]:
    """The values each of those filters accepts, for the OpenAPI document (an enum).

    An empty value is no filter, except for the municipality (its pattern refuses it).
    """
    return {
        name: ([] if name == "municipality" else [""])
        + sorted(str(v) for v in model.objects.values_list(field, flat=True))
        for name, model, field in CHOICES
    }


def _check_exists(filters: ServiceFilters) -> None:
    """Unknown codes and slugs are bad parameters (422), not empty results."""
    errors = {
        name: "該当するものがありません (unknown value)"
        for name, model, field in CHOICES
        if getattr(filters, name)
        and not model.objects.filter(**{field: getattr(filters, name)}).exists()
    }
    if errors:
        raise ApiProblem("Some parameters name nothing known.", errors)


def _public_details(qs: ResourceQuerySet) -> ResourceQuerySet:
    return qs.select_related("organization").prefetch_related(
        "kinds",
        "target_groups",
        "service_area",
        Prefetch("locations", queryset=Location.objects.select_related("municipality")),
        "schedules",
    )


def _terms(terms: Any) -> list[TermRef]:
    return [TermRef(slug=t.slug, name=t.name) for t in terms]


def _municipalities(resource: Resource) -> list[MunicipalityRef]:
    seen: dict[str, str] = {}
    for location in resource.locations.all():
        seen.setdefault(location.municipality.pk, location.municipality.name)
    for area in resource.service_area.all():
        seen.setdefault(area.pk, area.name)
    return [MunicipalityRef(code=code, name=name) for code, name in seen.items()]


def _summary_fields(resource: Resource, today: dt.date) -> dict[str, Any]:
    return {
        "id": resource.pk,
        "name": resource.name,
        "provider": resource.provider,
        "kinds": _terms(resource.kinds.all()),
        "target_groups": _terms(resource.target_groups.all()),
        "municipalities": _municipalities(resource),
        "is_free": resource.is_free,
        "is_online": resource.is_online,
        "next_date": resource.next_date(today),
        "url": f"/resources/{resource.pk}/",
        "last_verified_on": resource.last_verified_on,
        "stale": resource.is_stale(today),
    }


def summaries(qs: ResourceQuerySet, start: int, stop: int) -> list[ServiceSummary]:
    """One page of search results as summaries, read as plain values.

    Six queries whatever the page size, and no model instances: building ORM objects and
    related managers for a page cost more than the search itself.
    """
    rows = list(
        qs.values(
            "pk",
            "name",
            "provider_name",
            "organization__name",
            "is_free",
            "is_online",
            "last_verified_on",
        )[start:stop]
    )
    ids = [row["pk"] for row in rows]
    kinds: dict[int, list[TermRef]] = defaultdict(list)
    for rid, slug, name in (
        Resource.kinds.through.objects.filter(resource_id__in=ids)
        .order_by("kind__sort_order", "kind_id")
        .values_list("resource_id", "kind__slug", "kind__name")
    ):
        kinds[rid].append(TermRef(slug=slug, name=name))
    targets: dict[int, list[TermRef]] = defaultdict(list)
    for rid, slug, name in (
        Resource.target_groups.through.objects.filter(resource_id__in=ids)
        .order_by("targetgroup__sort_order", "targetgroup_id")
        .values_list("resource_id", "targetgroup__slug", "targetgroup__name")
    ):
        targets[rid].append(TermRef(slug=slug, name=name))
    places: dict[int, dict[str, str]] = defaultdict(dict)
    for rid, code, name in (
        Location.objects.filter(resource_id__in=ids)
        .order_by("sort_order", "id")
        .values_list("resource_id", "municipality_id", "municipality__name")
    ):
        places[rid].setdefault(code, name)
    for rid, code, name in Resource.service_area.through.objects.filter(
        resource_id__in=ids
    ).values_list("resource_id", "municipality_id", "municipality__name"):
        places[rid].setdefault(code, name)
    today = timezone.localdate()
    next_dates: dict[int, list[dt.date]] = defaultdict(list)
    for schedule in Schedule.objects.filter(resource_id__in=ids).values(*RULE_FIELDS):
        rid = schedule.pop("resource_id")
        rule = recurrence.Rule(
            **{
                **schedule,
                "weekdays": recurrence.parse_ints(schedule["weekdays"]),
                "weeks_of_month": recurrence.parse_ints(schedule["weeks_of_month"]),
            }
        )
        if (day := rule.next_date(today)) is not None:
            next_dates[rid].append(day)
    stale_before = Resource.stale_before(today)
    return [
        ServiceSummary(
            id=row["pk"],
            name=row["name"],
            provider=row["organization__name"] or row["provider_name"],
            kinds=kinds[row["pk"]],
            target_groups=targets[row["pk"]],
            municipalities=[
                MunicipalityRef(code=code, name=name) for code, name in places[row["pk"]].items()
            ],
            is_free=row["is_free"],
            is_online=row["is_online"],
            next_date=min(next_dates[row["pk"]], default=None),
            url=f"/resources/{row['pk']}/",
            last_verified_on=row["last_verified_on"],
            stale=row["last_verified_on"] is None or row["last_verified_on"] < stale_before,
        )
        for row in rows
    ]


RULE_FIELDS = [
    "resource_id",
    "frequency",
    "weekdays",
    "weeks_of_month",
    "day_of_month",
    "starts_on",
    "ends_on",
    "opens_at",
    "closes_at",
]


def _location(location: Location) -> LocationOut:
    municipality = MunicipalityRef(code=location.municipality.pk, name=location.municipality.name)
    if location.hide_address:
        return LocationOut(
            municipality=municipality,
            address_hidden=True,
            name=None,
            postal_code=None,
            address=None,
            latitude=None,
            longitude=None,
            access=None,
        )
    coordinates = location.public_coordinates
    return LocationOut(
        municipality=municipality,
        address_hidden=False,
        name=location.name,
        postal_code=location.postal_code,
        address=location.address,
        latitude=coordinates[0] if coordinates else None,
        longitude=coordinates[1] if coordinates else None,
        access=location.access,
    )


@router.get("/services", response=ServicePage, summary="社会資源の検索 (search services)")
def list_services(
    request: HttpRequest, filters: Query[ServiceFilters]
) -> ServicePage | HttpResponse:
    if filters.open_now or request.user.is_authenticated:
        return _service_page(filters)  # 「今ひらいている」 changes with the hour
    # The same search from anyone gives the same page, until a resource changes: kept
    # as the JSON text itself, so that a second request neither queries nor serialises.
    body = pagecache.remember(
        "api-services",
        ("directory", "members", "geo"),
        [filters.model_dump_json()],
        lambda: _service_page(filters).model_dump_json().encode(),
    )
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def _service_page(filters: ServiceFilters) -> ServicePage:
    _check_exists(filters)
    qs = search.search(
        q=filters.q,
        municipality=filters.municipality,
        kind=filters.kind,
        target=filters.target,
        concern=filters.concern,
        day=filters.day,
        open_now=filters.open_now,
        free=filters.free,
        online=filters.online,
        lang=filters.lang,
        accessibility=filters.accessibility,
    )
    total = qs.total()
    pages = max(1, math.ceil(total.n / PER_PAGE))
    start = (filters.page - 1) * PER_PAGE
    results = summaries(qs, start, start + PER_PAGE) if start < total.n or total.at_least else []
    return ServicePage(
        count=total.n,
        count_is_lower_bound=total.at_least,
        page=filters.page,
        pages=pages,
        results=results,
    )


@router.get("/services/{service_id}", response=ServiceDetail, summary="社会資源 (one service)")
def get_service(request: HttpRequest, service_id: int) -> ServiceDetail:
    qs = _public_details(Resource.objects.published()).prefetch_related(
        "concerns", "languages", "accessibility"
    )
    resource = qs.filter(pk=service_id).first()
    if resource is None:
        raise Http404
    today = timezone.localdate()
    with translation.override("ja"):
        schedules = [
            ScheduleOut(
                description=s.describe(),
                frequency=s.frequency,
                weekdays=list(s.rule.weekdays),
                weeks_of_month=list(s.rule.weeks_of_month),
                day_of_month=s.day_of_month,
                starts_on=s.starts_on,
                ends_on=s.ends_on,
                opens_at=_hhmm(s.opens_at),
                closes_at=_hhmm(s.closes_at),
                next_date=s.next_date(today),
            )
            for s in resource.schedules.all()
        ]
    return ServiceDetail(
        **_summary_fields(resource, today),
        name_kana=resource.name_kana,
        description=resource.description,
        concerns=_terms(resource.concerns.all()),
        languages=[
            LanguageRef(code=lang.code, name=lang.name) for lang in resource.languages.all()
        ],
        accessibility=_terms(resource.accessibility.all()),
        accessibility_note=resource.accessibility_note,
        service_area=[MunicipalityRef(code=m.pk, name=m.name) for m in resource.service_area.all()],
        online_only=resource.online_only,
        fee=resource.fee,
        capacity=resource.capacity,
        how_to_join=resource.how_to_join,
        hours_note=resource.hours_note,
        is_24h=resource.is_24h,
        contact_name=resource.contact_name,
        phone=resource.phone,
        email=resource.email,
        website=resource.url,
        schedules=schedules,
        locations=[_location(loc) for loc in resource.locations.all()],
    )
