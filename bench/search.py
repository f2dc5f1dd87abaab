"""Speed of the directory search at scale: indexed search against a naive icontains scan.

    .venv/bin/python bench/search.py [--count 100000] [--runs 40] [--fresh] [--no-naive]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tsunagari .venv/bin/python bench/search.py

Uses its own database per size, never the development one: var/bench-search-<COUNT>.sqlite3
on SQLite, or "<name>_bench_search_<COUNT>" on the PostgreSQL server of DATABASE_URL
(created when missing), so a run at another --count leaves the kept 100,000 alone. It fills
it with COUNT sample resources (kept between runs unless --fresh), builds the search index,
then times six kinds of query as the JSON API answers them (search, count, one page of
20 results with their details, serialised): p50 / p95 over RUNS queries each for the index
and for the naive baseline (icontains on name and description, the same filters, the same
number of runs), with the ratio. --no-naive leaves the baseline out.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagari.settings")

from bench.benchdb import percentile, use_bench_database  # noqa: E402  (after sys.path)


def configure_database(count: int) -> str:
    """Point Django at this bench's own database for this size before anything connects."""
    return use_bench_database(
        suffix=f"_bench_search_{count}", sqlite_file=f"bench-search-{count}.sqlite3"
    )


Params = dict[str, Any]


# Word lists for realistic, entirely fictional sample text (サンプル).
AREAS = ["みなと", "さくら", "ひかり", "みどり", "かもめ", "やまゆり", "つばさ", "なぎさ", "こだま"]
NAMES = [
    "子ども食堂",
    "こども食堂",
    "地域の居場所",
    "ふれあいサロン",
    "日本語教室",
    "学習支援教室",
    "ひきこもり相談",
    "子育てひろば",
    "フードバンク",
    "シニアの体操教室",
    "ボランティアセンター",
    "若者の居場所",
    "こころの相談窓口",
    "就労体験の会",
    "多世代交流カフェ",
    "読書会",
    "囲碁・将棋の会",
    "ひとり親の交流会",
    "外国につながる子どもの学習会",
    "オンライン雑談会",
]
SENTENCES = [
    "どなたでも気軽に参加できます。",
    "地域の大人がボランティアで運営しています。",
    "温かいごはんを一緒に食べましょう。",
    "子どもは無料、大人は300円です。",
    "宿題を持ってきてください。大学生が勉強を教えます。",
    "悩みごとの相談にも応じます。",
    "専門の相談員が電話でお話を伺います。",
    "ひきこもりの方やそのご家族の相談を受け付けています。",
    "日本語を学びたい外国籍の方を歓迎します。",
    "やさしい日本語で話します。",
    "お茶を飲みながらおしゃべりしましょう。",
    "体を動かして健康づくりをします。",
    "初めての方は事前に電話でお申し込みください。",
    "食品の寄付を受け付けています。",
    "子育て中の親子が集まる場所です。",
    "高齢の方のひとり暮らしを見守っています。",
    "仕事を探している若者を応援します。",
    "絵本の読み聞かせをします。",
    "季節の行事を楽しみます。",
    "駅から歩いて5分の公民館で開いています。",
    "障害のある方も一緒に楽しめます。",
    "オンラインでも参加できます。",
    "ボランティアを募集しています。",
    "学校に行きづらい子どもの居場所です。",
    "料理教室も開いています。",
    "食堂では地元の野菜を使っています。",
    "介護をしている方の交流の場です。",
    "生活の困りごとの相談を受け付けています。",
]
RARE_SENTENCE = "毎回、紙芝居の上演があります。"  # the rare word: 紙芝居
KINDS = ["ibasho", "event", "volunteer", "food", "study", "consultation", "learning", "sport"]
TARGETS = ["everyone", "kodomo", "wakamono", "kosodate", "koreisha", "gaikoku", "hikikomori"]


def generate(count: int, seed: int = 100) -> None:
    """COUNT resources with locations, schedules and terms, inserted in bulk."""
    from django.db import transaction

    from tsunagari.directory.models import (
        Kind,
        Location,
        Resource,
        Schedule,
        SearchDocument,
        TargetGroup,
    )
    from tsunagari.geo.models import Municipality

    rng = random.Random(seed)
    kinds = {k.slug: k.pk for k in Kind.objects.all()}
    targets = {t.slug: t.pk for t in TargetGroup.objects.all()}
    places = list(Municipality.objects.selectable().values_list("pk", flat=True))
    KindLink = Resource.kinds.through
    TargetLink = Resource.target_groups.through
    start = time.perf_counter()
    with transaction.atomic():
        for model in (SearchDocument, Schedule, Location, KindLink, TargetLink, Resource):
            model.objects.all()._raw_delete(model.objects.db)
        for base in range(0, count, 5000):
            batch = []
            for i in range(base, min(base + 5000, count)):
                sentences = rng.sample(SENTENCES, 3)
                if i % 2000 == 7:
                    sentences.append(RARE_SENTENCE)
                area = rng.choice(AREAS)
                name = f"{area}{rng.choice(NAMES)} {i}号（サンプル）"
                batch.append(
                    Resource(
                        name=name,
                        name_kana=f"{area} {i:06d}",
                        provider_name=f"サンプル{area}の会",
                        description="\n".join(sentences),
                        is_free=rng.random() < 0.6,
                        is_online=rng.random() < 0.1,
                        is_sample=True,
                        status="published" if rng.random() < 0.95 else "draft",
                    )
                )
            created = Resource.objects.bulk_create(batch)
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
            locations = Location.objects.bulk_create(
                Location(
                    resource_id=r.pk,
                    name=f"{rng.choice(AREAS)}地区センター",
                    municipality_id=rng.choice(places),
                    address="（サンプル）",
                    hide_address=rng.random() < 0.05,
                )
                for r in created
            )
            Schedule.objects.bulk_create(
                Schedule(
                    resource_id=loc.resource_id,
                    location_id=loc.pk,
                    **_schedule_fields(rng),
                )
                for loc in locations
            )
            print(f"  generated {min(base + 5000, count)}", end="\r", flush=True)
    print(f"generated {count} resources in {time.perf_counter() - start:.1f} s")


def _schedule_fields(rng: random.Random) -> dict[str, Any]:
    """One schedule's recurrence (the same draws, in the same order, as always)."""
    choices: list[dict[str, Any]] = [
        {"frequency": "weekly", "weekdays": str(rng.randint(1, 7))},
        {"frequency": "monthly_nth", "weekdays": str(rng.randint(1, 7)), "weeks_of_month": "2,4"},
        {"frequency": "monthly_day", "day_of_month": rng.randint(1, 28)},
        {"frequency": "irregular"},
    ]
    return rng.choice(choices)


def build_index() -> None:
    from django.db import connection

    from tsunagari.directory.search import reindex_all

    start = time.perf_counter()
    reindex_all()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO directory_search_fts(directory_search_fts) VALUES ('optimize')"
            )
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"indexed in {time.perf_counter() - start:.1f} s")


def answer(search_function: Callable[..., Any], params: dict[str, Any]) -> int:
    """What GET /api/v1/services does: search, count, one page with details, serialised."""
    from tsunagari.directory import api

    qs = search_function(**params)
    # The index's count is capped as the API shows it; the naive baseline counts them all.
    count = qs.total().n if hasattr(qs, "total") else qs.count()
    [summary.dict() for summary in api.summaries(qs, 0, api.PER_PAGE)]
    return count


def measure(
    search_function: Callable[..., Any], variants: list[Params], runs: int
) -> tuple[float, float, float]:
    for params in variants:  # warm up caches and the tokenizer
        answer(search_function, params)
    timings, counts = [], []
    for i in range(runs):
        params = variants[i % len(variants)]
        start = time.perf_counter()
        counts.append(answer(search_function, params))
        timings.append((time.perf_counter() - start) * 1000)
    return percentile(timings, 0.5), percentile(timings, 0.95), statistics.mean(counts)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--fresh", action="store_true", help="regenerate the sample resources")
    parser.add_argument(
        "--no-naive", action="store_true", help="skip the naive baseline (icontains scan)"
    )
    args = parser.parse_args()

    where = configure_database(args.count)
    import django

    django.setup()
    from django.core.management import call_command

    from tsunagari.directory.models import Resource, SearchDocument
    from tsunagari.directory.search import naive_search, search

    print(f"bench database: {where}")
    call_command("migrate", verbosity=0, skip_checks=True)
    if args.fresh or Resource.objects.count() != args.count:
        generate(args.count)
        build_index()
    elif SearchDocument.objects.count() != args.count:
        build_index()

    wards = ["141011", "141020", "141097", "141305", "141500", "142051", "142042", "141305"]
    kinds: list[tuple[str, list[Params]]] = [
        (
            "rare word",
            [{"q": "紙芝居"}],
        ),
        ("common word", [{"q": "相談"}, {"q": "ボランティア"}, {"q": "子ども"}]),
        ("2-character word", [{"q": "食堂"}, {"q": "体操"}, {"q": "料理"}]),
        (
            "keyword + municipality",
            [{"q": "居場所", "municipality": code} for code in wards],
        ),
        (
            "keyword + kind + target",
            [
                {"q": "学習", "kind": "study", "target": "kodomo"},
                {"q": "食堂", "kind": "food", "target": "kodomo"},
                {"q": "相談", "kind": "consultation", "target": "hikikomori"},
            ],
        ),
        (
            "filters only",
            [
                {"municipality": "141003", "kind": "ibasho", "day": 6},
                {"municipality": "142051", "free": True},
                {"kind": "food", "target": "kodomo", "open_now": True},
            ],
        ),
    ]
    print(f"\n{args.count} resources, {args.runs} runs per kind, times in ms (p50 / p95)\n")
    header = (
        f"{'query kind':<26}{'matches':>9}{'index p50':>11}{'p95':>8}"
        f"{'naive p50':>11}{'p95':>8}{'p95 ratio':>11}"
    )
    print(header)
    print("-" * len(header))
    for label, variants in kinds:
        fast50, fast95, matched = measure(search, variants, args.runs)
        if args.no_naive:
            naive = f"{'not measured':>27}"
        else:
            slow50, slow95, _ = measure(naive_search, variants, args.runs)
            naive = f"{slow50:>11.1f}{slow95:>8.1f}{slow95 / fast95:>10.1f}×"
        print(f"{label:<26}{matched:>9.0f}{fast50:>11.1f}{fast95:>8.1f}{naive}")
    print("\nmatches: the count the API reports (a lower bound where the search caps it).")


if __name__ == "__main__":
    main()
