"""Finding resources (資源の検索): keywords through the full-text index, plus filters.

Keywords are tokenised by tokens.py and looked up in the index of search_models.py
(SQLite FTS5, PostgreSQL tsvector/GIN); both databases answer the same set of resources.
Call `reindex(resource)` after saving a resource with its terms, places and schedules.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Concat, Replace
from django.db.models.lookups import Contains
from django.utils import timezone, translation

from tsunagari.directory import recurrence, tokens
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
from tsunagari.directory.search_models import SearchDocument
from tsunagari.directory.signals import resources_changed
from tsunagari.geo.models import Municipality
from tsunagari.lib import pagecache

PREFECTURE = "140007"  # 神奈川県: a resource serving it serves every municipality
WEEKDAY_WORDS = {d: f"{name}曜 {name}曜日" for d, name in recurrence.WEEKDAY_NAMES.items()}
BATCH = 500
RANK_LIMIT = 1000  # more matches than this are listed newest first, not ranked
COUNT_CAP = RANK_LIMIT  # a search shows "1,000件以上" rather than count further


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


def facet_tokens(resource: Resource) -> list[str]:
    """The filters a resource passes, as tokens no typed word can produce (they hold "_").

    search() ANDs them with the keywords in one index lookup. Areas: in_<code> for the
    municipality of each place and its city; serves_<code> for each service area and its
    city; servesall_<code> for each service area itself. Days: day_<1-7> for weekly,
    第n曜日 and daily schedules, dom_<1-31> for 毎月n日, once for one-off events; whether
    a schedule has ended or is open at a moment is checked exactly at search time.
    """
    facets = {f"kind_{t.pk}" for t in resource.kinds.all()} | {
        f"target_{t.pk}" for t in resource.target_groups.all()
    }
    facets |= {f"concern_{t.pk}" for t in resource.concerns.all()}
    facets |= {f"access_{t.pk}" for t in resource.accessibility.all()}
    facets |= {f"lang_{lang.code.lower()}" for lang in resource.languages.all()}
    flags = {
        "is_published": resource.status == Resource.Status.PUBLISHED,
        "is_free": resource.is_free,
        "is_online": resource.is_online,
        "is_24h": resource.is_24h,
    }
    facets |= {token for token, held in flags.items() if held}
    areas = list(resource.service_area.all())
    if resource.is_online and not areas:
        facets.add("online_anywhere")
    for location in resource.locations.all():
        facets |= {f"in_{code}" for code in _self_and_city(location.municipality)}
    for area in areas:
        facets |= {f"serves_{code}" for code in _self_and_city(area)}
        facets.add(f"servesall_{area.pk}")
    for schedule in resource.schedules.all():
        rule = schedule.rule
        if rule.frequency in (recurrence.WEEKLY, recurrence.MONTHLY_NTH, recurrence.DAILY):
            days = set(rule.weekdays) or ({*range(1, 8)} if rule.frequency == "daily" else set())
            facets |= {f"day_{d}" for d in days}
        elif rule.frequency == recurrence.MONTHLY_DAY and schedule.day_of_month:
            facets.add(f"dom_{schedule.day_of_month}")
        elif rule.frequency == recurrence.ONCE:
            facets.add("once")
    return sorted(facets)


def _self_and_city(municipality: Municipality) -> list[str]:
    return [municipality.pk] + ([municipality.parent_id] if municipality.parent_id else [])


def document_tokens(resource: Resource) -> tuple[list[str], list[str]]:
    """The tokens indexed for a resource: its name's, and everything else's."""
    title, body = document_text(resource)
    title_tokens = [t for line in title.split("\n") for t in tokens.document_tokens(line)]
    body_tokens = [t for line in body.split("\n") for t in tokens.document_tokens(line)]
    return title_tokens, body_tokens


def build_document(resource: Resource) -> SearchDocument:
    title_tokens, body_tokens = document_tokens(resource)
    facets = facet_tokens(resource)
    if connection.vendor == "postgresql":
        # The tsvector is all PostgreSQL reads. Keeping the token text beside it would more
        # than double the rows that a count of a common word has to visit.
        vector = tokens.tsvector_literal([(title_tokens, "A"), (body_tokens, "D"), (facets, "")])
        return SearchDocument(resource_id=resource.pk, vector=vector)
    return SearchDocument(
        resource_id=resource.pk,
        title=" ".join(title_tokens),
        body=" ".join(body_tokens),
        facets=" ".join(facets),
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
    ids = [resources.pk] if isinstance(resources, Resource) else list(resources)
    for chunk in _chunks(ids, BATCH):
        found = _with_index_details(Resource.objects.filter(pk__in=chunk))
        documents = [build_document(r) for r in found]
        with transaction.atomic():
            SearchDocument.objects.filter(resource_id__in=chunk).delete()
            SearchDocument.objects.bulk_create(documents)
    if ids:
        pagecache.bump("directory")  # what a search finds has changed
        resources_changed.send(sender=Resource, ids=ids)


def reindex_all() -> int:
    """Rebuild the whole index; returns the number of resources indexed."""
    with transaction.atomic():
        SearchDocument.objects.all().delete()
    pagecache.bump("directory")
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
    """SQLite FTS5 relevance: lower is better; the name counts ten times the rest, facets 0."""

    output_field = models.FloatField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        column = self.get_source_expressions()[0]
        table = compiler.quote_name(column.alias)
        return f"bm25({table}, 10.0, 1.0, 0.0)", []


class TsRank(models.Func):
    """PostgreSQL relevance: higher is better; the name is weighted A, the rest D."""

    template = "ts_rank(%(expressions)s::tsquery)"
    output_field = models.FloatField()


def _register_lookups() -> None:
    from tsunagari.directory.search_models import SearchIndexEntry, TokenVectorField

    SearchIndexEntry._meta.get_field("title").register_lookup(Fts5Match)
    TokenVectorField.register_lookup(TsMatch)


_register_lookups()


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
    """The filters in plain SQL: the naive baseline, and the definition facets must meet."""
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


class _Nothing(Exception):
    """A filter value that exists nowhere: nothing can match."""


def _term_token(prefix: str, model: type[models.Model], value: Any, field: str) -> list[str]:
    pk = model._default_manager.filter(**{field: _slug(value)}).values_list("pk", flat=True)
    found = list(pk[:1])
    if not found:
        raise _Nothing
    return [f"{prefix}_{str(found[0]).lower()}"]


def _area_tokens(code: str, *, online: bool) -> list[str]:
    """in_/serves_/servesall_ tokens meaning what _in_area means in SQL."""
    parent = Municipality.objects.filter(pk=code).values_list("parent_id", flat=True)
    found = list(parent[:1])
    if not found:
        raise _Nothing
    group = [f"in_{code}", f"serves_{code}", f"servesall_{PREFECTURE}"]
    if found[0]:
        group.append(f"servesall_{found[0]}")
    if online:
        group.append("online_anywhere")
    return group


def _open_tokens(moment: dt.datetime) -> list[str]:
    """Schedules that can be open on this date (a superset; times are checked in SQL)."""
    day = moment.date()
    last_day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    month_days = range(day.day, 32) if day == last_day else [day.day]
    return ["is_24h", "once", f"day_{day.isoweekday()}", *(f"dom_{d}" for d in month_days)]


def _ended_on_weekday(day: int, today: dt.date) -> set[int]:
    """Resources whose day_<n> token comes only from schedules that have ended (few)."""

    def meets(schedule: Schedule) -> bool:
        weekdays = schedule.rule.weekdays
        return day in weekdays or (schedule.frequency == recurrence.DAILY and not weekdays)

    frequencies = [recurrence.WEEKLY, recurrence.MONTHLY_NTH, recurrence.DAILY]
    # Unordered: ordered by id, SQLite would rather scan every schedule than use the index
    # of the ended ones (directory_schedule_ended).
    ended_schedules = Schedule.objects.filter(
        frequency__in=frequencies, ends_on__lt=today
    ).order_by()
    ended = {s.resource_id for s in ended_schedules if meets(s)}
    if not ended:
        return set()
    current = Schedule.objects.filter(frequency__in=frequencies, resource_id__in=ended).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    ended -= {s.resource_id for s in current if meets(s)}
    ended -= set(Resource.objects.filter(pk__in=ended, is_24h=True).values_list("pk", flat=True))
    return ended


@dataclass(frozen=True)
class Total:
    """How many resources a search found: exactly `n`, or, with `at_least`, more than
    COUNT_CAP (n is then COUNT_CAP). Counting every one of 50,000 matches of a common
    word would cost as much as the rest of the search, for a number nobody reads."""

    n: int
    at_least: bool = False


class SearchResults(ResourceQuerySet):
    """A search's results. total() is what a person is shown: the index's count, capped
    at COUNT_CAP (while nothing else filters), else a count capped the same way in SQL.
    count() stays exact, for the callers that need every result (e.g. a paginator).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.index_count: int | None = None  # the index's count, up to COUNT_CAP + 1
        self._counted_where: Any = None

    def _clone(self) -> SearchResults:
        clone: SearchResults = super()._clone()  # type: ignore[misc]
        clone.index_count = self.index_count
        clone._counted_where = self._counted_where
        return clone

    def _index_counted(self) -> bool:
        query = self.query
        return (
            self.index_count is not None
            and self._result_cache is None
            and query.where == self._counted_where
            and not query.is_sliced
            and not query.distinct
            and not query.combinator
        )

    def count(self) -> int:
        counted = self.index_count if self._index_counted() else None
        if counted is not None and counted <= COUNT_CAP:
            return counted
        return super().count()

    def total(self) -> Total:
        """The number of results as shown to a person: exact up to COUNT_CAP."""
        if self._index_counted() and self.index_count is not None:
            n = self.index_count
        elif self._result_cache is not None:
            n = len(self._result_cache)
        else:
            n = self.order_by()[: COUNT_CAP + 1].count()
        return Total(COUNT_CAP, at_least=True) if n > COUNT_CAP else Total(n)


class _Index:
    """The database's full-text index: one expression, a count, and a filter on it."""

    def __init__(self, query: tokens.Query, facets: list[list[str]]) -> None:
        self.sqlite = connection.vendor == "sqlite"
        syntax = "fts5" if self.sqlite else "tsquery"
        keywords = (tokens.fts5_expression if self.sqlite else tokens.tsquery_expression)(query)
        self.keywords = keywords if query else ""
        parts = [p for p in (self.keywords, tokens.facet_expression(facets, syntax=syntax)) if p]
        self.expression = (" AND " if self.sqlite else " & ").join(parts)

    def count(self, *, excluding: Iterable[int] = (), limit: int) -> int:
        """How many documents match, apart from `excluding`, counting no further than
        `limit`: the index stops after that many rows instead of visiting them all."""
        ids = list(excluding)
        sql = "SELECT count(*) FROM (SELECT 1 FROM "
        if self.sqlite:
            sql += "directory_search_fts WHERE directory_search_fts MATCH %s"
            if ids:
                sql += " AND rowid NOT IN (SELECT value FROM json_each(%s))"
        else:
            sql += "directory_searchdocument WHERE vector @@ (%s)::tsquery"
            if ids:
                sql += " AND NOT (resource_id = ANY(%s))"
        sql += " LIMIT %s) AS found"
        params: list[Any] = [self.expression]
        if ids:
            params.append(json.dumps(ids) if self.sqlite else ids)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit])
            return int(cursor.fetchone()[0])

    def filter(self, qs: ResourceQuerySet, *, ranked: bool) -> ResourceQuerySet:
        """Resources matching the expression; by relevance when ranked, else newest first."""
        if self.sqlite:
            qs = qs.filter(fts_entry__title__fts5=self.expression)
            if ranked and self.keywords:
                return qs.annotate(rank=Bm25(F("fts_entry__title"))).order_by(
                    "rank", "name_kana", "pk"
                )
            if ranked:
                return qs.order_by("name_kana", "name", "pk")
            return qs.order_by(F("fts_entry__resource_id").desc())
        qs = qs.filter(search_document__vector__tsmatch=self.expression)
        if ranked and self.keywords:
            rank = TsRank(F("search_document__vector"), Value(self.keywords))
            return qs.annotate(rank=rank).order_by("-rank", "name_kana", "pk")
        if ranked:
            return qs.order_by("name_kana", "name", "pk")
        return qs.order_by("-pk")


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
) -> SearchResults:
    """Published resources matching every keyword and every filter given.

    q: keywords; every word must match (子ども/こども/子供, full and half width and the
    variants in tokens.VARIANTS find each other; an everyday word of the lay-language
    table, data/lay_terms.tsv, also finds the words of its line: お年寄り → 高齢者).
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

    Keywords and filters are one lookup in the full-text index (facet_tokens); only
    what depends on the date (an ended schedule, opening hours) is checked afterwards.
    Order: up to RANK_LIMIT results are ranked: by relevance (bm25 on SQLite, ts_rank on
    PostgreSQL, the name counting most) with keywords, by reading (name_kana) without.
    More results than that are listed newest first (by id): ranking tens of thousands
    of matches would cost more than the search, and a person narrows such a list rather
    than reading it. The set of results is exact either way, and pages do not overlap.
    total() of the results is what to show as their number: exact up to COUNT_CAP, else
    "more than COUNT_CAP" (count() is always exact, and costs a full count).
    """
    base = SearchResults(Resource)
    query = tokens.parse_query(q or "")
    if not query and q and q.strip():
        return base.none()  # only particles or symbols: nothing to look for
    facets: list[list[str]] = [] if include_unpublished else [["is_published"]]
    try:
        if municipality and _code(municipality) != PREFECTURE:
            facets.append(_area_tokens(_code(municipality), online=online))
        for prefix, model, value, field in (
            ("kind", Kind, kind, "slug"),
            ("target", TargetGroup, target, "slug"),
            ("concern", Concern, concern, "slug"),
            ("access", AccessibilityFeature, accessibility, "slug"),
            ("lang", Language, lang, "code"),
        ):
            if value:
                facets.append(_term_token(prefix, model, value, field))
    except _Nothing:
        return base.none()
    facets += [[flag] for flag, wanted in (("is_free", free), ("is_online", online)) if wanted]
    if day:
        facets.append(["is_24h", f"day_{int(day)}"])
    moment = timezone.localtime(at or timezone.now()) if (open_now or at) else None
    if moment:
        facets.append(_open_tokens(moment))
    if not query and not facets:
        return base.order_by("name_kana", "name", "pk")

    index = _Index(query, facets)
    ended = _ended_on_weekday(int(day), timezone.localdate()) if day else set()
    # Up to COUNT_CAP + 1: enough to choose the order and to show "more than COUNT_CAP".
    count = index.count(excluding=ended, limit=max(RANK_LIMIT, COUNT_CAP) + 1)
    found = index.filter(base, ranked=count <= RANK_LIMIT)
    if ended:
        found = found.exclude(pk__in=ended)
    assert isinstance(found, SearchResults)
    qs = found
    if moment:
        # Exact opening hours, for the few candidates the index left.
        open_schedules = Schedule.objects.filter(_open_at(moment), resource_id=OuterRef("pk"))
        return qs.filter(Q(is_24h=True) | Exists(open_schedules))
    qs.index_count = count
    qs._counted_where = qs.query.where
    return qs


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
