"""Speed of the public dashboard /visible/ and its counts: tallies against the naive counts.

    .venv/bin/python bench/visible.py [--runs 30] [--naive-runs 5] [--fresh]
    BENCH_SCALE=0.01 .venv/bin/python bench/visible.py          (a quick run)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tsunagari .venv/bin/python bench/visible.py

At BENCH_SCALE=1 (the default) the bench database holds 100,000 resources (one to three
places each across the municipalities and wards, one or two kinds and target groups; 95%
published), 10,000 needs, 1,000,000 self-check responses (bench/surveys.py's generator, with
the self-check's own tallies) and 5,000 collaborations over four fiscal years with their
parties; the scale multiplies every count. It uses its own database per scale, never the
development one: var/bench-visible-<scale>.sqlite3 on SQLite, "<name>_bench_visible_<scale>"
on the PostgreSQL server of DATABASE_URL (kept between runs unless --fresh), built with
bulk_create and counted once with `rebuild_tallies`.

Then it times, in process (p50 / p95 in ms): each function of insights/tallies.py against
its naive_ twin (the same counts straight from the data) with the ratio; GET /visible/
through Django's test client with the page cache off, with the tallies and with the naive
counts (the tallies' "built" mark removed, so the functions fall back), and filtered by the
newest fiscal year and by one municipality (tallied); and what one change costs to keep
the tallies in step (a resource, a need, a collaboration recounted).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagari.settings")
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")  # time the page, not the cache

from bench.benchdb import percentile, use_bench_database  # noqa: E402  (after sys.path)

RESOURCES, NEEDS, RESPONSES, COLLABORATIONS = 100_000, 10_000, 1_000_000, 5_000
KINDS = ["ibasho", "event", "volunteer", "food", "study", "consultation", "learning", "sport"]
TARGETS = ["everyone", "kodomo", "wakamono", "kosodate", "koreisha", "gaikoku", "hikikomori"]
TARGET_P95_MS = 200


def scaled(count: int, scale: float) -> int:
    return max(1, round(count * scale))


def generate(scale: float, seed: int = 16) -> None:
    """Resources, needs and collaborations in bulk (no signals: rebuild_tallies counts)."""
    from django.db import transaction
    from django.utils import timezone

    from tsunagari.collaborations.models import (
        Collaboration,
        CollaborationMessage,
        CollaborationParty,
    )
    from tsunagari.directory.models import Kind, Location, Resource, TargetGroup
    from tsunagari.geo.models import Municipality
    from tsunagari.matching.models import Need
    from tsunagari.members.models import Organization

    rng = random.Random(seed)
    kinds = {k.slug: k.pk for k in Kind.objects.all()}
    targets = {t.slug: t.pk for t in TargetGroup.objects.all()}
    places = list(Municipality.objects.selectable().values_list("pk", flat=True))
    organizations = list(Organization.objects.values_list("pk", flat=True))
    KindLink = Resource.kinds.through
    TargetLink = Resource.target_groups.through
    NeedLink = Need.target_groups.through
    OrgPlace = Organization.municipalities.through
    start = time.perf_counter()
    with transaction.atomic():
        for model in (
            CollaborationMessage,
            CollaborationParty,
            Collaboration,
            NeedLink,
            Need,
            Location,
            KindLink,
            TargetLink,
            Resource,
        ):
            model.objects.all()._raw_delete(model.objects.db)
        count = scaled(RESOURCES, scale)
        for base in range(0, count, 5000):
            created = Resource.objects.bulk_create(
                Resource(
                    name=f"居場所 {i}号（サンプル）",
                    provider_name="サンプルの会",
                    description="（サンプル）",
                    is_sample=True,
                    status="published" if rng.random() < 0.95 else "draft",
                )
                for i in range(base, min(base + 5000, count))
            )
            KindLink.objects.bulk_create(
                KindLink(resource_id=r.pk, kind_id=kinds[k])
                for r in created
                for k in rng.sample(KINDS, rng.choice((1, 1, 2)))
            )
            TargetLink.objects.bulk_create(
                TargetLink(resource_id=r.pk, targetgroup_id=targets[t])
                for r in created
                for t in rng.sample(TARGETS, rng.choice((1, 2)))
            )
            Location.objects.bulk_create(
                Location(resource_id=r.pk, name="地区センター", municipality_id=place)
                for r in created
                for place in rng.sample(places, rng.choice((1, 1, 1, 2, 3)))
            )
            print(f"  resources {min(base + 5000, count)}", end="\r", flush=True)
        needs = Need.objects.bulk_create(
            (
                Need(
                    title=f"ニーズ {i}（サンプル）",
                    description="（サンプル）",
                    organization_id=rng.choice(organizations),
                    municipality_id=rng.choice(places),
                    status=rng.choice(["open", "open", "open", "matched", "closed"]),
                )
                for i in range(scaled(NEEDS, scale))
            ),
            batch_size=5000,
        )
        NeedLink.objects.bulk_create(
            (
                NeedLink(need_id=n.pk, targetgroup_id=targets[t])
                for n in needs
                for t in rng.sample(TARGETS, rng.choice((1, 2)))
            ),
            batch_size=5000,
        )
        OrgPlace.objects.all()._raw_delete(OrgPlace.objects.db)
        OrgPlace.objects.bulk_create(
            OrgPlace(organization_id=o, municipality_id=p)
            for o in organizations
            for p in rng.sample(places, rng.choice((1, 2, 3)))
        )
        statuses = ["proposed", "accepted", "in_progress", "completed", "declined", "withdrawn"]
        collaborations = []
        for i in range(scaled(COLLABORATIONS, scale)):
            proposer, partner = rng.sample(organizations, 2)
            collaborations.append(
                Collaboration(
                    proposer_id=proposer,
                    partner_id=partner,
                    need_id=rng.choice(needs).pk if rng.random() < 0.5 else None,
                    title=f"連携 {i}（サンプル）",
                    status=rng.choice(statuses),
                    cross_sector=rng.random() < 0.4,
                )
            )
        collaborations = Collaboration.objects.bulk_create(collaborations, batch_size=5000)
        CollaborationParty.objects.bulk_create(
            (
                CollaborationParty(
                    collaboration_id=c.pk, organization_id=org, role=role, status="accepted"
                )
                for c in collaborations
                for org, role in ((c.proposer_id, "lead"), (c.partner_id or 0, "partner"))
            ),
            batch_size=5000,
        )
        # Four fiscal years (auto_now_add ignores a value given to bulk_create).
        this_year = timezone.localdate().year
        ids = [c.pk for c in collaborations]
        for n in range(4):
            moment = timezone.make_aware(dt.datetime(this_year - n, 6, 1, 10))
            Collaboration.objects.filter(pk__in=ids[n::4]).update(created_at=moment)
    print(
        f"generated {count} resources, {len(needs)} needs, {len(collaborations)} "
        f"collaborations in {time.perf_counter() - start:.1f} s"
    )


def timed(call: Callable[[], Any], runs: int) -> tuple[float, float]:
    call()  # warm up
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    return percentile(timings, 0.5), percentile(timings, 0.95)


def row(label: str, fast: tuple[float, float], slow: tuple[float, float] | None) -> str:
    if slow is None:
        return f"{label:<44}{fast[0]:>9.1f}{fast[1]:>8.1f}{'not measured':>28}"
    ratio = slow[1] / max(fast[1], 0.001)
    return f"{label:<44}{fast[0]:>9.1f}{fast[1]:>8.1f}{slow[0]:>11.1f}{slow[1]:>8.1f}{ratio:>9.0f}×"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--naive-runs", type=int, default=5)
    parser.add_argument("--fresh", action="store_true", help="regenerate the data")
    args = parser.parse_args()
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    label = f"{scale:g}".replace(".", "_")
    where = use_bench_database(
        suffix=f"_bench_visible_{label}", sqlite_file=f"bench-visible-{label}.sqlite3"
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from bench import surveys
    from tsunagari.collaborations.models import Collaboration
    from tsunagari.directory.models import Resource
    from tsunagari.insights import tallies
    from tsunagari.insights.models import Tally
    from tsunagari.matching.models import Need
    from tsunagari.surveys.models import SelfCheckResponse

    print(f"bench database: {where} (BENCH_SCALE={scale:g})")
    call_command("migrate", verbosity=0, skip_checks=True, stdout=io.StringIO())
    if args.fresh or Resource.objects.count() != scaled(RESOURCES, scale):
        generate(scale)
        Tally.objects.filter(metric=tallies.BUILT).delete()
    responses = scaled(RESPONSES, scale)
    if args.fresh or SelfCheckResponse.objects.count() != responses:
        surveys.generate(responses)
        surveys.build_tallies()
    if not tallies.tallies_built():
        out = io.StringIO()
        call_command("rebuild_tallies", stdout=out)
        print(out.getvalue().strip())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")

    years = sorted(
        {
            tallies.fiscal_year_of(c)
            for c in Collaboration.objects.values_list("created_at", flat=True)
        }
    )
    year = years[-1]
    calls: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        (
            "resources_by_municipality()",
            tallies.resources_by_municipality,
            tallies.naive_resources_by_municipality,
        ),
        (
            "resources_by_municipality(opportunities)",
            lambda: tallies.resources_by_municipality(opportunities=True),
            lambda: tallies.naive_resources_by_municipality(opportunities=True),
        ),
        ("needs_and_seeds()", tallies.needs_and_seeds, tallies.naive_needs_and_seeds),
        (
            "collaboration_funnel()",
            tallies.collaboration_funnel,
            tallies.naive_collaboration_funnel,
        ),
        (
            f"collaboration_funnel({year}, 141003)",
            lambda: tallies.collaboration_funnel(fiscal_year=year, municipality="141003"),
            lambda: tallies.naive_collaboration_funnel(fiscal_year=year, municipality="141003"),
        ),
    ]
    print(
        f"\n{Resource.objects.count():,} resources, {Need.objects.count():,} needs, "
        f"{SelfCheckResponse.objects.count():,} self-check responses, "
        f"{Collaboration.objects.count():,} collaborations; times in ms\n"
    )
    header = f"{'':<44}{'tallied p50':>11}{'p95':>6}{'naive p50':>11}{'p95':>8}{'p95 ratio':>10}"
    print(header)
    print("-" * len(header))
    for name, fast, slow in calls:
        assert fast() == slow(), name  # the same answer, or the timing means nothing
        print(row(name, timed(fast, args.runs), timed(slow, args.naive_runs)))

    def dashboard(functions: Any) -> None:
        """What one dashboard view reads: every count for the prefecture and each year."""
        functions.resources_by_municipality()
        functions.resources_by_municipality(opportunities=True)
        functions.needs_and_seeds()
        for fy in [None, *years]:
            functions.collaboration_funnel(fiscal_year=fy)

    naive = argparse.Namespace(
        resources_by_municipality=tallies.naive_resources_by_municipality,
        needs_and_seeds=tallies.naive_needs_and_seeds,
        collaboration_funnel=tallies.naive_collaboration_funnel,
    )
    print(
        row(
            "all the counts of one dashboard view",
            timed(lambda: dashboard(tallies), args.runs),
            timed(lambda: dashboard(naive), args.naive_runs),
        )
    )

    client = Client()
    response = client.get("/visible/", secure=True)
    assert response.status_code == 200, response.status_code
    page = timed(lambda: client.get("/visible/", secure=True), args.runs)
    built = Tally.objects.get(metric=tallies.BUILT)
    built.delete()  # the functions fall back to the naive counts
    try:
        naive_page = timed(lambda: client.get("/visible/", secure=True), args.naive_runs)
    finally:
        built.save()
    print(row("GET /visible/ (page cache off)", page, naive_page))
    # The filters reuse the same charts: one year, one municipality's page (tallied only).
    for query in (f"?fiscal_year={year}", "?municipality=141003"):
        url = "/visible/" + query
        assert client.get(url, secure=True).status_code == 200, url
        print(row("GET " + url, timed(lambda u=url: client.get(u, secure=True), args.runs), None))  # type: ignore[misc]

    # What keeping in step costs: one object recounted, as after an edit.
    some = {
        "a resource": (tallies.RESOURCE, Resource.objects.order_by("?").first()),
        "a need": (tallies.NEED, Need.objects.order_by("?").first()),
        "a collaboration": (tallies.COLLABORATION, Collaboration.objects.order_by("?").first()),
    }
    print()
    for what, (source, obj) in some.items():
        assert obj is not None
        changed: dict[str, set[int]] = {source: {obj.pk}}
        p50, p95 = timed(lambda c=changed: tallies.apply(c), args.runs)  # type: ignore[misc]
        print(f"{'recount after a change to ' + what:<44}{p50:>9.1f}{p95:>8.1f}")
    verdict = "OK" if page[1] <= TARGET_P95_MS else "OVER"
    print(
        f"\n/visible/ p95 {page[1]:.1f} ms (target ≤ {TARGET_P95_MS} ms: {verdict}); "
        f"ratio: naive p95 over tallied p95. {timezone.now():%Y-%m-%d %H:%M}"
    )


if __name__ == "__main__":
    main()
