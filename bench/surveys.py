"""Speed of the self-check aggregates at 1,000,000 responses: tallies against a naive scan.

    .venv/bin/python bench/surveys.py [--count 1000000] [--runs 30] [--fresh] [--no-naive]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tsunagari .venv/bin/python bench/surveys.py

Uses its own database per size, never the development one: var/bench-surveys-<COUNT>.sqlite3
on SQLite, or "<name>_bench_surveys_<COUNT>" on the PostgreSQL server of DATABASE_URL
(created when missing). It fills it with COUNT sample responses (kept between runs unless
--fresh) spread over 36 months, every municipality and ward plus "not answered", eight age
bands, with answers close to the national survey's distribution (direct "lonely" ≈ 39%,
indirect 7–12 ≈ 46%); builds the tallies with services.rebuild_tallies (again whenever a
tally table is empty, e.g. SelfCheckHelpTally in a database generated before it existed;
migration surveys.0006 builds SelfCheckMonthTally from the tallies already there); then
times, in process, the results page and GET /api/v1/selfcheck/aggregates for several filter
combinations (p50 / p95 over RUNS requests each), and next to them the naive baseline: the
same GROUP BYs over the response table instead of the tallies, with the ratio (3–17 s a row
at 1,000,000: --no-naive skips it and prints "not measured").
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagari.settings")

from bench.benchdb import percentile, use_bench_database  # noqa: E402  (after sys.path)

MONTHS = 36
# Share of each direct level 1..5 (national survey, 令和4〜6年 rounded) and, for each,
# the weights of the answers 1..4 to each indirect item, tuned so that indirect 7–12 is
# about 46% and 10–12 about 6%, as in 令和6年.
DIRECT_WEIGHTS = [21.5, 40.0, 19.0, 15.0, 4.5]
ITEM_WEIGHTS = {
    1: [55, 35, 9, 1],
    2: [30, 46, 20, 4],
    3: [14, 40, 37, 9],
    4: [7, 30, 46, 17],
    5: [3, 16, 46, 35],
}
AGE_BANDS = ["16-19", "20s", "30s", "40s", "50s", "60s", "70s", "80+"]
AGE_WEIGHTS = [4, 10, 12, 15, 16, 16, 16, 8, 3]  # the last: not answered
HELPS = ["talk", "hobby", "place", "work", "housing", "childcare", "money", "mind", "care"]


def configure_database(count: int) -> str:
    """Point Django at this bench's own database for this size before anything connects."""
    return use_bench_database(
        suffix=f"_bench_surveys_{count}", sqlite_file=f"bench-surveys-{count}.sqlite3"
    )


COLUMNS = [
    "id",
    "answered_on",
    "scale_version",
    "wording",
    "channel",
    "indirect_1",
    "indirect_2",
    "indirect_3",
    "indirect_score",
    "indirect_band",
    "direct",
    "age_band",
    "municipality_id",
    "helps",
]


def sample_rows(count: int, seed: int = 5) -> Any:
    """COUNT response rows (tuples in COLUMNS order), generated lazily. The places are
    read now, not at the first row: that comes inside COPY, when the connection is busy."""
    from django.utils import timezone

    from tsunagari.geo.models import Municipality
    from tsunagari.surveys import aggregates, scoring

    rng = random.Random(seed)
    today = timezone.localdate()
    first = aggregates.add_months(today.replace(day=1), 1 - MONTHS)
    days = (today - first).days + 1
    places = list(Municipality.objects.selectable().values_list("code", flat=True))
    place_choices = [*places, None]
    place_weights = [1.0] * len(places) + [len(places) * 0.1]
    bands = {s: scoring.band_of(s).value for s in range(3, 13)}
    ages = [*AGE_BANDS, ""]
    return _rows(rng, count, first, days, place_choices, place_weights, bands, ages)


def _rows(
    rng: random.Random,
    count: int,
    first: dt.date,
    days: int,
    place_choices: list[str | None],
    place_weights: list[float],
    bands: dict[int, str],
    ages: list[str],
) -> Any:
    from tsunagari.surveys import scoring

    for _ in range(count):
        direct = rng.choices((1, 2, 3, 4, 5), DIRECT_WEIGHTS)[0]
        a, b, c = rng.choices((1, 2, 3, 4), ITEM_WEIGHTS[direct], k=3)
        helps = ",".join(rng.sample(HELPS, rng.choice((0, 0, 1, 1, 2))))
        yield (
            # A random key like models.random_key (drawn from the seed: the same data again).
            uuid.UUID(int=rng.getrandbits(128), version=4).hex,
            first + dt.timedelta(days=rng.randrange(days)),
            scoring.SCALE_VERSION,
            "ja" if rng.random() < 0.9 else "easy",
            "web" if rng.random() < 0.85 else "paper",
            a,
            b,
            c,
            a + b + c,
            bands[a + b + c],
            direct,
            rng.choices(ages, AGE_WEIGHTS)[0],
            rng.choices(place_choices, place_weights)[0],
            helps,
        )


def generate(count: int) -> None:
    """Bulk insert: COPY on PostgreSQL, executemany in one transaction on SQLite."""
    from django.db import connection, transaction

    from tsunagari.surveys.models import SelfCheckHelpTally, SelfCheckResponse, SelfCheckTally

    table = SelfCheckResponse._meta.db_table
    start = time.perf_counter()
    with transaction.atomic():
        SelfCheckTally.objects.all()._raw_delete(SelfCheckTally.objects.db)
        SelfCheckHelpTally.objects.all()._raw_delete(SelfCheckHelpTally.objects.db)
        SelfCheckResponse.objects.all()._raw_delete(SelfCheckResponse.objects.db)
        rows = sample_rows(count)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                copy_sql = f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN"
                with cursor.cursor.copy(copy_sql) as copy:
                    for done, row in enumerate(rows, 1):
                        copy.write_row(row)
                        if done % 100_000 == 0:
                            print(f"  generated {done}", end="\r", flush=True)
            else:
                marks = ", ".join(["%s"] * len(COLUMNS))
                sql = f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({marks})"
                batch: list[tuple[Any, ...]] = []
                for done, row in enumerate(rows, 1):
                    batch.append(row)
                    if len(batch) == 50_000:
                        cursor.executemany(sql, batch)
                        batch = []
                        print(f"  generated {done}", end="\r", flush=True)
                cursor.executemany(sql, batch)
    print(f"generated {count} responses in {time.perf_counter() - start:.1f} s")


def build_tallies() -> None:
    from django.db import connection

    from tsunagari.surveys.models import SelfCheckHelpTally, SelfCheckTally
    from tsunagari.surveys.services import rebuild_tallies

    start = time.perf_counter()
    counted = rebuild_tallies()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
    rows = SelfCheckTally.objects.count()
    help_rows = SelfCheckHelpTally.objects.count()
    elapsed = time.perf_counter() - start
    print(
        f"tallies rebuilt from {counted} responses into {rows} rows "
        f"(+ {help_rows} help rows) in {elapsed:.1f} s"
    )


def naive(filters: Any) -> int:
    """The same GROUP BYs as aggregates.compute, over the response table."""
    from django.db.models import Count, Q, Value
    from django.db.models.functions import Concat, TruncMonth

    from tsunagari.geo.models import Municipality
    from tsunagari.surveys import aggregates
    from tsunagari.surveys.models import Help, SelfCheckResponse

    last_day = aggregates.add_months(filters.end, 1) - dt.timedelta(days=1)
    base = SelfCheckResponse.objects.filter(
        answered_on__gte=filters.start, answered_on__lte=last_day
    ).order_by()
    city_q = Q(municipality_id=filters.city) | Q(municipality__parent_id=filters.city)
    narrowed = base.filter(city_q) if filters.city else base
    everything = narrowed.filter(age_band=filters.age_band) if filters.age_band else narrowed
    lonely = {
        "total": Count("id"),
        "indirect": Count("id", filter=Q(indirect_score__gte=7)),
        "direct": Count("id", filter=Q(direct__gte=3)),
    }
    rows = 0
    cities = dict(Municipality.objects.values_list("code", "parent_id"))
    rows += len(everything.values("indirect_band", "direct").annotate(n=Count("id")))
    by_age = narrowed
    by_city = base.filter(age_band=filters.age_band) if filters.age_band else base
    per_city: dict[str, int] = {}
    grouped = by_city.values("municipality_id").annotate(
        total=Count("id"),
        indirect=Count("id", filter=Q(indirect_score__gte=7)),
        direct=Count("id", filter=Q(direct__gte=3)),
    )
    for code, total, _indirect, _direct in grouped.values_list(
        "municipality_id", "total", "indirect", "direct"
    ):
        key = cities.get(code or "") or code or ""
        per_city[key] = per_city.get(key, 0) + total
    rows += len(per_city)
    rows += len(by_age.values("age_band").annotate(**lonely))
    rows += len(everything.annotate(m=TruncMonth("answered_on")).values("m").annotate(**lonely))
    # What would help: "talk,money" is matched as ",talk,money," (care ≠ childcare).
    chosen = everything.exclude(helps="").annotate(padded=Concat(Value(","), "helps", Value(",")))
    rows += len(
        chosen.aggregate(
            answered=Count("id"),
            **{code: Count("id", filter=Q(padded__contains=f",{code},")) for code in Help.values},
        )
    )
    return rows


def timed(call: Callable[[], Any], runs: int) -> tuple[float, float]:
    call()  # warm up
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    return percentile(timings, 0.5), percentile(timings, 0.95)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--fresh", action="store_true", help="regenerate the sample responses")
    parser.add_argument(
        "--no-naive", action="store_true", help="skip the naive baseline (3–17 s a row at 1M)"
    )
    args = parser.parse_args()

    where = configure_database(args.count)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from tsunagari.surveys import aggregates
    from tsunagari.surveys.models import (
        SelfCheckHelpTally,
        SelfCheckMonthTally,
        SelfCheckResponse,
        SelfCheckTally,
    )

    print(f"bench database: {where}")
    call_command("migrate", verbosity=0, skip_checks=True, stdout=io.StringIO())
    if args.fresh or SelfCheckResponse.objects.count() != args.count:
        generate(args.count)
        build_tallies()
    elif not all(
        model.objects.exists()
        for model in (SelfCheckTally, SelfCheckHelpTally, SelfCheckMonthTally)
    ):
        build_tallies()

    last_fy = aggregates.fiscal_year_of(timezone.localdate()) - 1
    quarter = aggregates.period_key(timezone.localdate().replace(day=1), aggregates.BY_QUARTER)
    variants = [
        ("default (this fiscal year)", ""),
        ("one city (141003 Yokohama)", "city=141003"),
        ("one age band (70s)", "age_band=70s"),
        (f"fiscal year {last_fy}", f"fiscal_year={last_fy}"),
        (f"fiscal year {last_fy} by month", f"period=FY{last_fy}&by=month"),
        (f"quarter {quarter} by month", f"period={quarter}&by=month"),
    ]
    client = Client()
    print(f"\n{args.count:,} responses, {args.runs} requests per row, times in ms (p50 / p95)\n")
    header = (
        f"{'filters':<28}{'page p50':>9}{'p95':>7}{'API p50':>9}{'p95':>7}"
        f"{'naive p50':>11}{'p95':>8}{'p95 ratio':>11}"
    )
    print(header)
    print("-" * len(header))
    for label, query in variants:
        page = f"/selfcheck/results/?{query}"
        api = f"/api/v1/selfcheck/aggregates?{query}"
        for url in (page, api):
            status = client.get(url, secure=True).status_code
            assert status == 200, (url, status)
        page50, page95 = timed(partial(client.get, page, secure=True), args.runs)
        api50, api95 = timed(partial(client.get, api, secure=True), args.runs)
        if args.no_naive:
            baseline = f"{'not measured':>30}"
        else:
            params: dict[str, Any] = dict(p.split("=") for p in query.split("&") if p)
            filters = aggregates.make_filters(**params)
            naive50, naive95 = timed(partial(naive, filters), max(3, args.runs // 6))
            baseline = f"{naive50:>11.1f}{naive95:>8.1f}{naive95 / max(page95, api95):>10.1f}×"
        print(f"{label:<28}{page50:>9.1f}{page95:>7.1f}{api50:>9.1f}{api95:>7.1f}{baseline}")
    print("\nratio: naive p95 over the slower of page and API p95 (tallies).")


if __name__ == "__main__":
    main()
