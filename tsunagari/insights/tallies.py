"""The dashboard's heavy counts, one function each (the contract the charts build on).

Each function answers from the data directly today; the tallies work makes the same
functions read `Tally` rows kept in step with the data, with the same results (a test
compares both). Municipality codes are the 33 municipalities': a ward's rows count for its
city. Only published resources and member-visible data count; no suppression here (the
charts apply lib/disclosure.py for public viewers).
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count

from tsunagari.geo.models import Municipality

OPPORTUNITY_KINDS = ("event", "volunteer")  # the directory's kinds that are chances to take part


def city_of() -> dict[str, str]:
    """Every municipality or ward code → the code of its municipality (a ward → its city)."""
    return {
        m.code: (m.parent_id or m.code)
        for m in Municipality.objects.exclude(kind=Municipality.Kind.PREFECTURE).only(
            "code", "parent_id"
        )
    }


def resources_by_municipality(*, opportunities: bool = False) -> dict[str, int]:
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


def needs_and_seeds() -> dict[tuple[str, str], tuple[int, int]]:
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


def collaboration_funnel(
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
    counts = dict(qs.values_list("status").annotate(n=Count("id", distinct=True)))
    accepted = sum(counts.get(s, 0) for s in (S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED))
    return {
        "proposed": sum(counts.values()),
        "accepted": accepted,
        "completed": counts.get(S.COMPLETED, 0),
        "cross_sector": qs.filter(cross_sector=True).count(),
    }
