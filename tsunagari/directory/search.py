"""Finding resources (資源の検索): keywords through the full-text index, plus filters.

Keywords are tokenised by tokens.py and looked up in the index of search_models.py
(SQLite FTS5, PostgreSQL tsvector/GIN); both databases answer the same set of resources.
Call `reindex(resource)` after saving a resource with its terms, places and schedules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.db import connection, models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Replace
from django.db.models.lookups import Contains
from django.utils import timezone, translation

from tsunagari.directory import recurrence, tokens
from tsunagari.directory.models import Location, Resource, ResourceQuerySet, Schedule
from tsunagari.directory.search_models import SearchDocument
from tsunagari.geo.models import Municipality

PREFECTURE = "140007"  # 神奈川県: a resource serving it serves every municipality
WEEKDAY_WORDS = {d: f"{name}曜 {name}曜日" for d, name in recurrence.WEEKDAY_NAMES.items()}
BATCH = 500


# ---------------------------------------------------------------------------------------
# The index


def document_text(resource: Resource) -> tuple[str, str]:
    """What a resident can read about a resource, as (title, body) text to index.

    Hidden addresses (hide_address) contribute only their municipality: neither the
    place's name, nor its address, nor how to get there is searchable.
    """
    title = " ".join([resource.name, resource.name_kana, resource.provider])
    body: list[str] = [resource.description, resource.how_to_join, resource.hours_note]
    for terms in (
        resource.kinds.all(),
        resource.target_groups.all(),
        resource.concerns.all(),
        resource.accessibility.all(),
    ):
        body.extend(t.name for t in terms)
    # Japanese goes without saying; indexing it would make "日本語" find everything.
    body.extend(lang.name for lang in resource.languages.all() if lang.code != "ja")
    body.append(resource.accessibility_note)
    if resource.is_free:
        body.append("無料")
    if resource.is_online:
        body.append("オンライン")
    if resource.is_24h:
        body.append("24時間")
    for location in resource.locations.all():
        body.append(location.municipality.name)
        if not location.hide_address:
            body.extend([location.name, location.address, location.access])
    for area in resource.service_area.all():
        body.append(area.name)
    with translation.override("ja"):
        for schedule in resource.schedules.all():
            body.extend([schedule.describe(), _weekday_words(schedule)])
    return title, "\n".join(t for t in body if t)


def _weekday_words(schedule: Schedule) -> str:
    """土曜 土曜日 for each weekday the schedule meets, so "居場所 土曜" finds 第2・第4土曜."""
    rule = schedule.rule
    days: set[int] = set()
    if rule.frequency in (recurrence.WEEKLY, recurrence.MONTHLY_NTH, recurrence.DAILY):
        days = set(rule.weekdays) or ({*range(1, 8)} if rule.frequency == "daily" else set())
    elif rule.frequency == recurrence.ONCE and rule.starts_on:
        end = rule.ends_on or rule.starts_on
        days = {d.isoweekday() for d in rule.occurrences(rule.starts_on, end)[:7]}
    return " ".join(WEEKDAY_WORDS[d] for d in sorted(days) if d in WEEKDAY_WORDS)


def build_document(resource: Resource) -> SearchDocument:
    title, body = document_text(resource)
    title_tokens = [t for line in title.split("\n") for t in tokens.document_tokens(line)]
    body_tokens = [t for line in body.split("\n") for t in tokens.document_tokens(line)]
    vector = ""
    if connection.vendor == "postgresql":
        vector = tokens.tsvector_literal([(title_tokens, "A"), (body_tokens, "D")])
    return SearchDocument(
        resource_id=resource.pk,
        title=" ".join(title_tokens),
        body=" ".join(body_tokens),
        vector=vector,
    )


def _with_index_details(qs: models.QuerySet[Resource]) -> models.QuerySet[Resource]:
    return qs.select_related("organization").prefetch_related(
        "kinds",
        "target_groups",
        "concerns",
        "languages",
        "accessibility",
        "service_area",
        "locations__municipality",
        "schedules",
    )


def _chunks(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    it = iter(ids)
    while chunk := list(islice(it, size)):
        yield chunk


def reindex(resources: Resource | Iterable[int]) -> None:
    """Bring the index up to date for these resources (idempotent).

    Ids of deleted resources are simply dropped from the index.
    """
    ids: Iterable[int] = [resources.pk] if isinstance(resources, Resource) else resources
    for chunk in _chunks(ids, BATCH):
        found = _with_index_details(Resource.objects.filter(pk__in=chunk))
        documents = [build_document(r) for r in found]
        with transaction.atomic():
            SearchDocument.objects.filter(resource_id__in=chunk).delete()
            SearchDocument.objects.bulk_create(documents)


def reindex_all() -> int:
    """Rebuild the whole index; returns the number of resources indexed."""
    with transaction.atomic():
        SearchDocument.objects.all().delete()
    ids = list(Resource.objects.order_by("pk").values_list("pk", flat=True))
    reindex(ids)
    return len(ids)


# ---------------------------------------------------------------------------------------
# Keyword matching in each database


class Fts5Match(models.Lookup[Any]):
    """`<fts table> MATCH '<query>'` on SQLite, for any column of SearchIndexEntry."""

    lookup_name = "fts5"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        table = compiler.quote_name(self.lhs.alias)
        rhs, params = self.process_rhs(compiler, connection)
        return f"{table} MATCH {rhs}", tuple(params)


class TsMatch(models.Lookup[Any]):
    """`vector @@ '<query>'::tsquery` on PostgreSQL (a literal tsquery: no parsing)."""

    lookup_name = "tsmatch"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ ({rhs})::tsquery", (*lhs_params, *rhs_params)


class Bm25(models.Func):
    """SQLite FTS5 relevance: lower is better; the name counts ten times the rest."""

    output_field = models.FloatField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        column = self.get_source_expressions()[0]
        table = compiler.quote_name(column.alias)
        return f"bm25({table}, 10.0, 1.0)", []


class TsRank(models.Func):
    """PostgreSQL relevance: higher is better; the name is weighted A, the rest D."""

    template = "ts_rank(%(expressions)s::tsquery)"
    output_field = models.FloatField()


def _register_lookups() -> None:
    from tsunagari.directory.search_models import SearchIndexEntry, TokenVectorField

    SearchIndexEntry._meta.get_field("title").register_lookup(Fts5Match)
    TokenVectorField.register_lookup(TsMatch)


_register_lookups()


def _keyword_filter(qs: ResourceQuerySet, query: tokens.Query) -> ResourceQuerySet:
    if connection.vendor == "sqlite":
        qs = qs.filter(fts_entry__title__fts5=tokens.fts5_expression(query))
        return qs.annotate(rank=Bm25(F("fts_entry__title"))).order_by("rank", "name_kana", "pk")
    expression = tokens.tsquery_expression(query)
    qs = qs.filter(search_document__vector__tsmatch=expression)
    rank = TsRank(F("search_document__vector"), Value(expression))
    return qs.annotate(rank=rank).order_by("-rank", "name_kana", "pk")


# ---------------------------------------------------------------------------------------
# Filters


def _code(value: Any) -> str:
    return str(getattr(value, "pk", value))


def _slug(value: Any) -> str:
    return str(getattr(value, "slug", getattr(value, "code", value)))


def _in_area(code: str, *, online: bool) -> Q:
    """Located in the area, or serving it (or its city, or the whole prefecture).

    A ward matches resources located in the ward or serving the ward, its city or the
    prefecture; a city also matches what is located in or serves one of its wards. An
    online resource with no service area can be used from anywhere, so it matches only
    when the person asked for online resources as well.
    """
    area = Municipality.objects.filter(Q(pk=code) | Q(parent_id=code)).values_list(
        "pk", "parent_id"
    )
    located = {pk for pk, _parent in area}
    if not located:
        return Q(pk__in=[])  # an unknown code finds nothing
    served = located | {parent for pk, parent in area if pk == code and parent} | {PREFECTURE}
    through = Resource.service_area.through
    # IN (subquery) rather than correlated EXISTS: both databases build the id set once.
    condition = Q(
        pk__in=Location.objects.filter(municipality_id__in=located).values("resource_id")
    ) | Q(pk__in=through.objects.filter(municipality_id__in=served).values("resource_id"))
    if online:
        condition |= Q(is_online=True) & ~Q(pk__in=through.objects.values("resource_id"))
    return condition


def _has_weekday(field: str, number: int) -> Q:
    """The comma-separated numbers in `field` ("2,4", "2・4") include `number`."""
    listed: Any = F(field)
    for separator in (" ", "、", "・"):
        listed = Replace(listed, Value(separator), Value("," if separator != " " else ""))
    padded = Concat(Value(","), listed, Value(","), output_field=models.CharField())
    return Q(Contains(padded, f",{number},"))


def _meets_on_weekday(day: int, today: dt.date) -> Q:
    """Schedules that meet every week or month on this weekday (and have not ended)."""
    return (
        Q(frequency__in=[recurrence.WEEKLY, recurrence.MONTHLY_NTH, recurrence.DAILY])
        & _has_weekday("weekdays", day)
        | Q(frequency=recurrence.DAILY, weekdays="")
    ) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))


def _open_at(moment: dt.datetime) -> Q:
    """Schedules open at this moment: recurrence.Rule.is_open_at, in SQL."""
    day, now = moment.date(), moment.time()
    iso = day.isoweekday()
    last_day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    weeks = _has_weekday("weeks_of_month", recurrence.week_of_month(day))
    if recurrence.is_last_week(day):
        weeks |= _has_weekday("weeks_of_month", -1)
    monthly_day = Q(day_of_month=day.day)
    if day == last_day:
        monthly_day |= Q(day_of_month__gt=day.day)
    meets = (
        Q(frequency=recurrence.DAILY) & (Q(weekdays="") | _has_weekday("weekdays", iso))
        | Q(frequency=recurrence.WEEKLY) & _has_weekday("weekdays", iso)
        | Q(frequency=recurrence.MONTHLY_NTH) & _has_weekday("weekdays", iso) & weeks
        | Q(frequency=recurrence.MONTHLY_DAY) & monthly_day
        | Q(frequency=recurrence.ONCE, starts_on__isnull=False)
        & (Q(starts_on=day) | Q(ends_on__isnull=False, ends_on__gte=day))
    )
    return (
        meets
        & (Q(starts_on__isnull=True) | Q(starts_on__lte=day))
        & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        & (Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        & (Q(closes_at__isnull=True) | Q(closes_at__gt=now))
    )


def _filter(
    qs: ResourceQuerySet,
    *,
    municipality: Any,
    kind: Any,
    target: Any,
    concern: Any,
    day: int | None,
    open_now: bool,
    at: dt.datetime | None,
    free: bool,
    online: bool,
    lang: Any,
    accessibility: Any,
) -> ResourceQuerySet:
    if municipality and _code(municipality) != PREFECTURE:
        qs = qs.filter(_in_area(_code(municipality), online=online))
    if kind:
        qs = qs.filter(kinds__slug=_slug(kind))
    if target:
        qs = qs.filter(target_groups__slug=_slug(target))
    if concern:
        qs = qs.filter(concerns__slug=_slug(concern))
    if lang:
        qs = qs.filter(languages__code=_slug(lang))
    if accessibility:
        qs = qs.filter(accessibility__slug=_slug(accessibility))
    if free:
        qs = qs.filter(is_free=True)
    if online:
        qs = qs.filter(is_online=True)
    if day:
        today = timezone.localdate()
        meets = Schedule.objects.filter(_meets_on_weekday(int(day), today))
        qs = qs.filter(Q(is_24h=True) | Q(pk__in=meets.values("resource_id")))
    if open_now or at:
        moment = timezone.localtime(at or timezone.now())
        open_schedules = Schedule.objects.filter(_open_at(moment))
        qs = qs.filter(Q(is_24h=True) | Q(pk__in=open_schedules.values("resource_id")))
    return qs


def search(
    *,
    q: str = "",
    municipality: Any = None,
    kind: Any = None,
    target: Any = None,
    concern: Any = None,
    day: int | None = None,
    open_now: bool = False,
    at: dt.datetime | None = None,
    free: bool = False,
    online: bool = False,
    lang: Any = None,
    accessibility: Any = None,
    include_unpublished: bool = False,
) -> ResourceQuerySet:
    """Published resources matching every keyword and every filter given.

    q: keywords; every word must match (子ども/こども/子供, full and half width and the
    variants in tokens.VARIANTS find each other). Ordered by relevance (bm25 on SQLite,
    ts_rank on PostgreSQL, the name counting most), else by reading (name_kana).
    municipality: a 6-digit code. A ward matches what is located in it or serves it, its
    city or the whole prefecture; a city also matches its wards; 140007 (the prefecture)
    matches everything. Online resources without a service area match an area only
    together with online=True (they can be used from anywhere).
    kind, target, concern, accessibility: term slugs; lang: a language code.
    day: ISO weekday 1-7: resources meeting every week or month on that day (weekly,
    第n曜日, daily), or open 24 hours; one-off events are found by date, not weekday.
    open_now / at: open at this moment (now by default): 24 hours, or a schedule that
    meets today (recurrence.Rule.is_open_at) with the time within its hours.
    free, online: only free of charge / usable online.
    """
    qs = Resource.objects.all() if include_unpublished else Resource.objects.published()
    qs = _filter(
        qs,
        municipality=municipality,
        kind=kind,
        target=target,
        concern=concern,
        day=day,
        open_now=open_now,
        at=at,
        free=free,
        online=online,
        lang=lang,
        accessibility=accessibility,
    )
    query = tokens.parse_query(q or "")
    if query:
        return _keyword_filter(qs, query)
    if q and q.strip():
        return qs.none()  # only particles or symbols: nothing to look for
    return qs.order_by("name_kana", "name", "pk")


def naive_search(
    *, q: str = "", include_unpublished: bool = False, **filters: Any
) -> ResourceQuerySet:
    """The baseline for bench/search.py: each word icontains in the name or description."""
    qs = Resource.objects.all() if include_unpublished else Resource.objects.published()
    defaults: dict[str, Any] = dict.fromkeys(
        ["municipality", "kind", "target", "concern", "day", "at", "lang", "accessibility"]
    )
    defaults.update(open_now=False, free=False, online=False)
    defaults.update(filters)
    qs = _filter(qs, **defaults)
    for word in (q or "").split():
        qs = qs.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return qs.order_by("name_kana", "name", "pk")
