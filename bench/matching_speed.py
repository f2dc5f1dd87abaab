"""Speed of the matching engine at scale, on synthetic seeds built from the labelled set.

    .venv/bin/python bench/matching_speed.py [--seeds 100000] [--needs 10000] [--runs 200]

1. One need against SEEDS seeds (the suggestions of a need just saved): p50 / p95 of
   Corpus.rank with the need's vector known, and of embedding the need text.
2. Every need's suggestions recomputed (the nightly refresh_suggestions): NEEDS needs ×
   SEEDS seeds with Corpus.rank_many (cosines a batch of 128 needs at a time, top 20 by
   argpartition), measured in full unless --fraction says otherwise (then extrapolated,
   and the output says so).

Synthetic seeds: each is a seed of bench/data/matching with its tokens plus a few tokens
of another seed, a random place, target groups and kinds, and its embedding plus noise
(re-normalised), so that postings lists and vector geometry look like real data.
No database is used.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagari.settings")
DATA = ROOT / "bench" / "data" / "matching"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=100_000)
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--fraction", type=float, default=1.0, help="of the batch to time")
    args = parser.parse_args()

    import django

    django.setup()
    from tsunagari.matching import area, embeddings, lexical
    from tsunagari.matching.engine import Corpus, NeedQuery, Seed
    from tsunagari.matching.evaluation import need_from_json, read_jsonl, seed_from_json

    rng = random.Random(4)
    base = [seed_from_json(r) for r in read_jsonl(DATA / "seeds.jsonl")]
    real_needs = [need_from_json(r) for r in read_jsonl(DATA / "needs.jsonl")]
    base_tokens = [lexical.tokens(s.full_text) for s in base]
    base_vectors = embeddings.embed([s.full_text for s in base])
    codes = sorted(area._rows())
    kinds = sorted({k for s in base for k in s.kinds})
    groups = sorted({g for s in base for g in s.target_groups})

    started = time.perf_counter()
    seeds = []
    origin = np.empty(args.seeds, dtype=np.int32)
    for i in range(args.seeds):
        j = rng.randrange(len(base))
        origin[i] = j
        extra = rng.sample(base_tokens[rng.randrange(len(base))], k=3)
        seeds.append(
            Seed(
                id=i,
                title=base[j].title,
                text="",
                municipality_codes=(rng.choice(codes),),
                target_groups=frozenset(rng.sample(groups, k=rng.randint(1, 2))),
                kinds=frozenset(rng.sample(kinds, k=rng.randint(1, 2))),
                online=rng.random() < 0.1,
                tokens=tuple(base_tokens[j] + extra),
            )
        )
    noise = np.random.default_rng(4).normal(scale=0.03, size=(args.seeds, 512))
    vectors = base_vectors[origin] + noise.astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    corpus = Corpus(seeds, vectors)
    print(
        f"{args.seeds:,} synthetic seeds indexed in {time.perf_counter() - started:.1f} s "
        f"({len(corpus.bm25.postings):,} distinct tokens); numpy threads as configured"
    )

    # Needs: the labelled needs with a place and a distinguishing word each.
    words = ["子ども", "高齢者", "週末", "夜", "相談", "居場所", "食事", "仕事", "学習", "住まい"]
    needs = []
    for i in range(args.needs):
        need = real_needs[i % len(real_needs)]
        needs.append(
            NeedQuery(
                id=i,
                title=need.title,
                text=f"{need.text}{rng.choice(words)}",
                municipality_code=rng.choice(codes),
                target_groups=need.target_groups,
                kinds=need.kinds,
            )
        )
    need_vectors = embeddings.embed([n.full_text for n in real_needs])
    all_vectors = need_vectors[np.arange(args.needs) % len(real_needs)]

    # 1. One need at a time.
    embed_times, rank_times = [], []
    for run in range(args.runs):
        need = needs[run]
        t0 = time.perf_counter()
        vector = embeddings.embed_one(need.full_text)
        t1 = time.perf_counter()
        corpus.rank(need, vector, top=20)
        t2 = time.perf_counter()
        embed_times.append((t1 - t0) * 1000)
        rank_times.append((t2 - t1) * 1000)
    print(f"one need × {args.seeds:,} seeds, top 20 with reasons, {args.runs} runs:")
    print(
        f"  rank:        p50 {statistics.median(rank_times):6.1f} ms   "
        f"p95 {percentile(rank_times, 95):6.1f} ms   (goal p95 <= 100 ms)"
    )
    print(
        f"  embed need:  p50 {statistics.median(embed_times):6.1f} ms   "
        f"p95 {percentile(embed_times, 95):6.1f} ms"
    )
    both = [a + b for a, b in zip(embed_times, rank_times, strict=True)]
    print(
        f"  both:        p50 {statistics.median(both):6.1f} ms   p95 {percentile(both, 95):6.1f} ms"
    )

    # 2. The batch.
    count = max(1, int(args.needs * args.fraction))
    t0 = time.perf_counter()
    results = corpus.rank_many(needs[:count], all_vectors[:count], top=20)
    elapsed = time.perf_counter() - t0
    assert len(results) == count
    total = elapsed / count * args.needs
    measured = "measured" if count == args.needs else f"extrapolated from {count:,} needs"
    print(
        f"{args.needs:,} needs × {args.seeds:,} seeds, top 20 each: {total:.0f} s "
        f"({total / 60:.1f} min, {measured}; {elapsed / count * 1000:.1f} ms per need; "
        "goal <= 10 min)"
    )


if __name__ == "__main__":
    main()
