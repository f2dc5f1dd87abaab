"""The dashboard's heavy counts, one function each (the contract the charts build on).

Each function reads `Tally` rows kept in step with the data (`apply` below, called after
each commit by the receivers in insights/signals.py) and answers exactly what its `naive_`
twin counts from the data directly (a test compares both; bench/visible.py times both).
Until `rebuild_tallies` has run once (a fresh install, an upgrade) there are no tallies to
trust, and the functions fall back to the naive counts. Municipality codes are the 33
municipalities': a ward's rows count for its city. Only published resources and
member-visible data count; no suppression here (the charts apply lib/disclosure.py for
public viewers).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count

from tsunagari.geo.models import Municipality
from tsunagari.insights.models import Tally
from tsunagari.lib import wareki
from tsunagari.lib.memo import per_scope

OPPORTUNITY_KINDS = ("event", "volunteer")  # the directory's kinds that are chances to take part


@per_scope
def city_of() -> dict[str, str]:
    """Every municipality or ward code → the code of its municipality (a ward → its city)."""
    return {
        m.code: m.city_code
        for m in Municipality.objects.exclude(kind=Municipality.Kind.PREFECTURE).only(
            "code", "parent_id"
        )
    }


def naive_resources_by_municipality(*, opportunities: bool = False) -> dict[str, int]:
    """Published resources with a place in each municipality (each resource counted once per
    municipality). opportunities=True: only events and volunteering (OPPORTUNITY_KINDS)."""
    from tsunagari.directory.models import Location, Resource

    locations = Location.objects.filter(resource__status=Resource.Status.PUBLISHED)
    if opportunities:
        locations = locations.filter(resource__kinds__slug__in=OPPORTUNITY_KINDS)
    cities = city_of()
    seen: dict[str, set[int]] = defaultdict(set)
    for code, resource_id in locations.values_list("municipality_id", "resource_id").distinct():
        if code in cities:
            seen[cities[code]].add(resource_id)
    return {code: len(ids) for code, ids in seen.items()}


def naive_needs_and_seeds() -> dict[tuple[str, str], tuple[int, int]]:
    """(municipality code, target group slug) → (open needs, seeds): open needs in the
    municipality for the target group, and published resources with a place there for it."""
    from tsunagari.directory.models import Location, Resource
    from tsunagari.matching.models import Need

    cities = city_of()
    needs: dict[tuple[str, str], int] = defaultdict(int)
    for code, slug, n in (
        Need.objects.filter(status=Need.Status.OPEN, target_groups__isnull=False)
        .values_list("municipality_id", "target_groups__slug")
        .annotate(n=Count("id"))
    ):
        if code in cities:
            needs[(cities[code], slug)] += n
    seeds: dict[tuple[str, str], set[int]] = defaultdict(set)
    for code, slug, resource_id in (
        Location.objects.filter(
            resource__status=Resource.Status.PUBLISHED,
            resource__target_groups__isnull=False,
        )
        .values_list("municipality_id", "resource__target_groups__slug", "resource_id")
        .distinct()
    ):
        if code in cities:
            seeds[(cities[code], slug)].add(resource_id)
    keys = set(needs) | set(seeds)
    return {key: (needs.get(key, 0), len(seeds.get(key, ()))) for key in keys}


def naive_collaboration_funnel(
    *, fiscal_year: int | None = None, municipality: str | None = None
) -> dict[str, int]:
    """How far the collaborations started in the fiscal year (April–March; None: all) got:
    {"proposed": all of them, "accepted": those accepted or further, "completed": completed,
    "cross_sector": those across sectors}. municipality: collaborations with a party (or
    the need) in that municipality."""
    import datetime as dt

    from django.db.models import Q

    from tsunagari.collaborations.models import Collaboration

    qs = Collaboration.objects.all()
    if fiscal_year is not None:
        start = dt.date(fiscal_year, 4, 1)
        qs = qs.filter(
            created_at__date__gte=start, created_at__date__lt=dt.date(fiscal_year + 1, 4, 1)
        )
    if municipality is not None:
        codes = [c for c, city in city_of().items() if city == municipality]
        qs = qs.filter(
            Q(need__municipality_id__in=codes)
            | Q(parties__organization__municipalities__code__in=codes)
        ).distinct()
    S = Collaboration.Status
    # order_by(): with distinct(), the default ordering (-updated_at, -id) would be grouped
    # by too, one row per collaboration, and dict() would keep only the last count.
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("id", distinct=True)))
    accepted = sum(counts.get(s, 0) for s in (S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED))
    return {
        "proposed": sum(counts.values()),
        "accepted": accepted,
        "completed": counts.get(S.COMPLETED, 0),
        "cross_sector": qs.filter(cross_sector=True).count(),
    }


# The Tally metrics this module keeps.
RESOURCES = "resources"
OPPORTUNITIES = "opportunities"
NEEDS = "needs"
SEEDS = "seeds"
COLLABORATIONS = "collaborations"
BUILT = "tallies_built"  # one row, written by rebuild_tallies: the tallies can be trusted
METRICS = (RESOURCES, OPPORTUNITIES, NEEDS, SEEDS, COLLABORATIONS, BUILT)
STAGES = ("proposed", "accepted", "completed", "cross_sector")


def tallies_built() -> bool:
    return Tally.objects.filter(metric=BUILT).exists()


def resources_by_municipality(*, opportunities: bool = False) -> dict[str, int]:
    """Published resources with a place in each municipality (each resource counted once per
    municipality). opportunities=True: only events and volunteering (OPPORTUNITY_KINDS)."""
    if not tallies_built():
        return naive_resources_by_municipality(opportunities=opportunities)
    metric = OPPORTUNITIES if opportunities else RESOURCES
    return dict(
        Tally.objects.filter(metric=metric, fiscal_year=0, value__gt=0).values_list(
            "municipality", "value"
        )
    )


def needs_and_seeds() -> dict[tuple[str, str], tuple[int, int]]:
    """(municipality code, target group slug) → (open needs, seeds): open needs in the
    municipality for the target group, and published resources with a place there for it."""
    if not tallies_built():
        return naive_needs_and_seeds()
    result: dict[tuple[str, str], tuple[int, int]] = {}
    for metric, code, slug, value in Tally.objects.filter(
        metric__in=(NEEDS, SEEDS), fiscal_year=0, value__gt=0
    ).values_list("metric", "municipality", "key", "value"):
        needs, seeds = result.get((code, slug), (0, 0))
        result[(code, slug)] = (value, seeds) if metric == NEEDS else (needs, value)
    return result


def collaboration_funnel(
    *, fiscal_year: int | None = None, municipality: str | None = None
) -> dict[str, int]:
    """How far the collaborations started in the fiscal year (April–March; None: all) got:
    {"proposed": all of them, "accepted": those accepted or further, "completed": completed,
    "cross_sector": those across sectors}. municipality: collaborations with a party (or
    the need) in that municipality."""
    if not tallies_built():
        return naive_collaboration_funnel(fiscal_year=fiscal_year, municipality=municipality)
    result = dict.fromkeys(STAGES, 0)
    if municipality == "":  # "" is the prefecture's cell, not a municipality
        return result
    result.update(
        Tally.objects.filter(
            metric=COLLABORATIONS,
            municipality=municipality or "",
            fiscal_year=fiscal_year or 0,
            key__in=STAGES,
        ).values_list("key", "value")
    )
    return result


# --- Keeping the tallies in step ---------------------------------------------------------
#
# Each resource, need and collaboration contributes +1 to a set of cells (metric,
# municipality, key, fiscal year); `Counted` remembers that set. After a change, `apply`
# locks the objects' Counted rows (two changes to one object take turns), computes their
# cells afresh from the committed data, and adds the difference to Tally with one atomic
# upsert (`value = value + delta`), so changes to different objects never wait for each
# other's reads nor lose each other's counts. Locks are taken in one order (Counted by
# source and id, then Tally cells sorted), so two batches cannot deadlock.

Cell = tuple[str, str, str, int]
RESOURCE, NEED, COLLABORATION = "resource", "need", "collaboration"
SOURCES = (COLLABORATION, NEED, RESOURCE)  # the lock order
CHUNK = 2000


def fiscal_year_of(moment: object) -> int:
    """April–March, in local time (as the naive funnel's created_at__date)."""
    from django.utils import timezone

    return wareki.fiscal_year_of(timezone.localtime(moment).date())  # type: ignore[arg-type]


def resource_cells(ids: list[int], cities: dict[str, str]) -> dict[int, set[Cell]]:
    from tsunagari.directory.models import Location, Resource

    published = set(
        Resource.objects.filter(pk__in=ids, status=Resource.Status.PUBLISHED).values_list(
            "pk", flat=True
        )
    )
    if not published:
        return {}
    places: dict[int, set[str]] = defaultdict(set)
    for resource_id, code in Location.objects.filter(resource_id__in=published).values_list(
        "resource_id", "municipality_id"
    ):
        if code in cities:
            places[resource_id].add(cities[code])
    chances = set(
        Resource.kinds.through.objects.filter(
            resource_id__in=places, kind__slug__in=OPPORTUNITY_KINDS
        ).values_list("resource_id", flat=True)
    )
    groups: dict[int, set[str]] = defaultdict(set)
    for resource_id, slug in Resource.target_groups.through.objects.filter(
        resource_id__in=places
    ).values_list("resource_id", "targetgroup__slug"):
        groups[resource_id].add(slug)
    result: dict[int, set[Cell]] = {}
    for resource_id, where in places.items():
        cells: set[Cell] = set()
        for city in where:
            cells.add((RESOURCES, city, "", 0))
            if resource_id in chances:
                cells.add((OPPORTUNITIES, city, "", 0))
            cells.update((SEEDS, city, slug, 0) for slug in groups[resource_id])
        result[resource_id] = cells
    return result


def need_cells(ids: list[int], cities: dict[str, str]) -> dict[int, set[Cell]]:
    from tsunagari.matching.models import Need

    result: dict[int, set[Cell]] = defaultdict(set)
    for need_id, code, slug in Need.objects.filter(
        pk__in=ids, status=Need.Status.OPEN, target_groups__isnull=False
    ).values_list("pk", "municipality_id", "target_groups__slug"):
        if code in cities:
            result[need_id].add((NEEDS, cities[code], slug, 0))
    return result


def collaboration_cells(ids: list[int], cities: dict[str, str]) -> dict[int, set[Cell]]:
    from tsunagari.collaborations.models import Collaboration, CollaborationParty
    from tsunagari.members.models import Organization

    S = Collaboration.Status
    rows = list(
        Collaboration.objects.filter(pk__in=ids).values_list(
            "pk", "status", "cross_sector", "created_at", "need__municipality_id"
        )
    )
    if not rows:
        return {}
    parties: dict[int, set[int]] = defaultdict(set)
    for collaboration_id, organization_id in CollaborationParty.objects.filter(
        collaboration_id__in=[row[0] for row in rows]
    ).values_list("collaboration_id", "organization_id"):
        parties[collaboration_id].add(organization_id)
    places: dict[int, set[str]] = defaultdict(set)
    for organization_id, code in Organization.municipalities.through.objects.filter(
        organization_id__in={o for orgs in parties.values() for o in orgs}
    ).values_list("organization_id", "municipality_id"):
        if code in cities:
            places[organization_id].add(cities[code])
    result: dict[int, set[Cell]] = {}
    for pk, status, cross_sector, created_at, need_place in rows:
        stages = ["proposed"]
        if status in (S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED):
            stages.append("accepted")
        if status == S.COMPLETED:
            stages.append("completed")
        if cross_sector:
            stages.append("cross_sector")
        where = {""} | {city for o in parties[pk] for city in places[o]}
        if need_place in cities:
            where.add(cities[need_place])
        year = fiscal_year_of(created_at)
        result[pk] = {
            (COLLABORATIONS, city, stage, fy)
            for city in where
            for stage in stages
            for fy in (0, year)
        }
    return result


CELLS = {RESOURCE: resource_cells, NEED: need_cells, COLLABORATION: collaboration_cells}


def add_to_tallies(deltas: dict[Cell, int]) -> None:
    """Add each delta to its cell in one statement per batch, creating missing cells
    (`value = value + excluded.value`: atomic on both databases)."""
    from django.db import connection
    from django.utils import timezone

    changes = sorted((cell, n) for cell, n in deltas.items() if n)
    if not changes:
        return
    table = connection.ops.quote_name(Tally._meta.db_table)
    key = connection.ops.quote_name("key")
    now = timezone.now()
    with connection.cursor() as cursor:
        for start in range(0, len(changes), 500):
            batch = changes[start : start + 500]
            marks = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(batch))
            params: list[Any] = []
            for (metric, municipality, slug, year), n in batch:
                params += [metric, municipality, slug, year, n, now]
            sql = (
                f"INSERT INTO {table} (metric, municipality, {key}, fiscal_year, value, "  # noqa: S608
                f"updated_at) VALUES {marks} ON CONFLICT (metric, municipality, {key}, "
                f"fiscal_year) DO UPDATE SET value = {table}.value + excluded.value, "
                f"updated_at = excluded.updated_at"
            )  # quoted names, values bound
            cursor.execute(sql, params)


def apply(changed: dict[str, set[int]]) -> None:
    """Bring the tallies in step with these objects (ids by source), whatever they were
    counted under before and whether they still exist."""
    from django.db import transaction

    from tsunagari.insights.models import Counted

    cities = city_of()
    with transaction.atomic():
        deltas: dict[Cell, int] = defaultdict(int)
        for source in SOURCES:
            ids = sorted(changed.get(source, ()))
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                Counted.objects.bulk_create(
                    [Counted(source=source, object_id=pk) for pk in chunk], ignore_conflicts=True
                )
                before = {
                    row.object_id: row
                    for row in Counted.objects.select_for_update()
                    .filter(source=source, object_id__in=chunk)
                    .order_by("object_id")
                }
                after = CELLS[source](chunk, cities)
                keep, gone, fresh = [], [], []
                for pk in chunk:
                    old = {tuple(c) for c in before[pk].cells} if pk in before else set()
                    new = after.get(pk, set())
                    for cell in old - new:
                        deltas[cell] -= 1
                    for cell in new - old:
                        deltas[cell] += 1
                    if pk not in before:  # its row went with a delete committed meanwhile
                        if new:
                            fresh.append(Counted(source=source, object_id=pk, cells=sorted(new)))
                        continue
                    if new:
                        before[pk].cells = sorted(new)
                        keep.append(before[pk])
                    else:
                        gone.append(pk)
                Counted.objects.bulk_update(keep, ["cells"])
                Counted.objects.filter(source=source, object_id__in=gone).delete()
                Counted.objects.bulk_create(
                    fresh,
                    update_conflicts=True,
                    unique_fields=["source", "object_id"],
                    update_fields=["cells"],
                )
        add_to_tallies(deltas)


def rebuild() -> dict[str, int]:
    """Count everything afresh (a fresh install, after an import or a bulk change made
    without signals); returns how many objects of each source are counted. Idempotent.
    On PostgreSQL the changes made meanwhile wait for it (their `apply` then sees the
    rebuilt cells), so nothing is lost."""
    from django.db import connection, transaction

    from tsunagari.collaborations.models import Collaboration
    from tsunagari.directory.models import Resource
    from tsunagari.insights.models import Counted
    from tsunagari.matching.models import Need

    models: dict[str, Any] = {RESOURCE: Resource, NEED: Need, COLLABORATION: Collaboration}
    cities = city_of()
    counted: dict[str, int] = {}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {Counted._meta.db_table} IN EXCLUSIVE MODE")
        Counted.objects.all().delete()
        Tally.objects.filter(metric__in=METRICS).delete()
        totals: dict[Cell, int] = defaultdict(int)
        for source in SOURCES:
            ids = list(models[source].objects.order_by("pk").values_list("pk", flat=True))
            counted[source] = 0
            for start in range(0, len(ids), CHUNK):
                cells = CELLS[source](ids[start : start + CHUNK], cities)
                Counted.objects.bulk_create(
                    [
                        Counted(source=source, object_id=pk, cells=sorted(c))
                        for pk, c in cells.items()
                    ],
                    batch_size=1000,
                )
                counted[source] += len(cells)
                for c in cells.values():
                    for cell in c:
                        totals[cell] += 1
        Tally.objects.bulk_create(
            [
                Tally(metric=m, municipality=code, key=k, fiscal_year=fy, value=n)
                for (m, code, k, fy), n in sorted(totals.items())
            ]
            + [Tally(metric=BUILT, value=1)],
            batch_size=1000,
        )
    return counted
