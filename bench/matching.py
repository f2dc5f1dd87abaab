"""Relevance of the matching engine on the labelled set (bench/data/matching).

    .venv/bin/python bench/matching.py            # figures for each signal and the hybrid
    .venv/bin/python bench/matching.py --tune     # search weights on the TRAIN split only

Runs the engine through the same code as `manage.py rank_seeds` (tsunagari.matching.
evaluation) and prints nDCG@5, nDCG@10, MRR (first seed graded 2... or 1) and recall@10
(of seeds graded 1 or 2) on the train split (odd need numbers) and the held-out test split
(even need numbers). Unjudged pairs count as 0.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import os
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagari.settings")
DATA = ROOT / "bench" / "data" / "matching"

Qrels = dict[str, dict[str, int]]


def load_qrels(path: Path) -> Qrels:
    qrels: Qrels = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            qrels.setdefault(row["need_id"], {})[row["seed_id"]] = int(row["grade"])
    return qrels


def split_of(need_id: str) -> str:
    """Train: odd need numbers (n01, n03 ...); test: even ones."""
    return "train" if int(need_id.lstrip("n")) % 2 else "test"


def dcg(grades: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def metrics(ranked: list[str], judged: dict[str, int]) -> dict[str, float]:
    grades = [judged.get(s, 0) for s in ranked]
    ideal = sorted(judged.values(), reverse=True)
    relevant = {s for s, g in judged.items() if g > 0}
    first = next((i for i, g in enumerate(grades) if g > 0), None)
    return {
        "nDCG@5": dcg(grades[:5]) / (dcg(ideal[:5]) or 1),
        "nDCG@10": dcg(grades[:10]) / (dcg(ideal[:10]) or 1),
        "MRR": 1 / (first + 1) if first is not None else 0.0,
        "R@10": len(relevant & set(ranked[:10])) / (len(relevant) or 1),
    }


def evaluate(lines: list[dict[str, Any]], qrels: Qrels) -> dict[str, dict[str, float]]:
    by_split: dict[str, list[dict[str, float]]] = {"train": [], "test": []}
    for line in lines:
        ranked = [r["seed_id"] for r in line["ranked"]]
        by_split[split_of(line["need_id"])].append(metrics(ranked, qrels.get(line["need_id"], {})))
    return {
        split: {k: statistics.fmean(m[k] for m in rows) for k in rows[0]}
        for split, rows in by_split.items()
        if rows
    }


def tune(evaluation: Any, qrels: Qrels) -> None:
    """Grid search of the fusion weights on the TRAIN split only (semantic weight fixed at 1:
    only ratios matter). The signals are computed once per need; each grid point only fuses,
    takes the top 10 and scores it."""
    from tsunagari.matching import engine

    corpus = evaluation.corpus
    train = [
        (need, corpus.signals(need, vector))
        for need, vector in zip(evaluation.needs, evaluation.need_vectors, strict=True)
        if split_of(need.id) == "train"
    ]
    ids = [s.id for s in corpus.seeds]
    results = []
    grid = [0.0, 0.1, 0.2, 0.3, 0.5, 0.8]
    for lex, tgt, place, kind, sched in itertools.product(
        [0.0, 0.2, 0.35, 0.5, 0.7, 1.0, 1.5], grid, grid, grid, [0.0, 0.05, 0.1, 0.2, 0.4]
    ):
        weights = engine.Weights(lex, 1.0, tgt, place, kind, sched)
        scores = []
        for need, signals in train:
            fused = engine.fuse(signals, weights)
            ranked = [ids[i] for i in engine.top_indices(fused, 10) if fused[i] > 0]
            scores.append(metrics(ranked, qrels.get(need.id, {}))["nDCG@5"])
        results.append((statistics.fmean(scores), weights))
    results.sort(key=lambda x: -x[0])
    print(f"{len(results)} weightings tried on {len(train)} train needs; the best:")
    for score, weights in results[:15]:
        print(f"  train nDCG@5 {score:.3f}  {weights}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune", action="store_true", help="grid search weights on train")
    args = parser.parse_args()

    import django

    django.setup()
    from tsunagari.matching import engine
    from tsunagari.matching.evaluation import (
        Evaluation,
        need_from_json,
        read_jsonl,
        seed_from_json,
    )

    qrels = load_qrels(DATA / "qrels.tsv")
    needs = [need_from_json(r) for r in read_jsonl(DATA / "needs.jsonl")]
    seeds = [seed_from_json(r) for r in read_jsonl(DATA / "seeds.jsonl")]
    evaluation = Evaluation(needs, seeds, engine.default_names())
    splits = {s: sum(split_of(n.id) == s for n in needs) for s in ("train", "test")}
    print(
        f"{len(needs)} needs ({splits['train']} train: odd numbers, {splits['test']} test: "
        f"even numbers), {len(seeds)} seeds, {sum(len(v) for v in qrels.values())} judged pairs"
    )

    if args.tune:
        tune(evaluation, qrels)
        return

    configs: list[tuple[str, engine.Weights, str]] = [
        ("lexical only (BM25)", engine.LEXICAL_ONLY, "weighted"),
        ("semantic only (USE)", engine.SEMANTIC_ONLY, "weighted"),
        ("structured only", engine.STRUCTURED_ONLY, "weighted"),
        ("lexical + semantic", engine.Weights(1.0, 1.0), "weighted"),
        ("hybrid, reciprocal rank fusion", engine.HYBRID, "rrf"),
        ("hybrid (engine.HYBRID)", engine.HYBRID, "weighted"),
    ]
    print(f"weights of the hybrid: {engine.HYBRID}")
    print(f"{'':34} {'split':6} {'nDCG@5':>7} {'nDCG@10':>8} {'MRR':>6} {'R@10':>6}")
    for label, weights, fusion in configs:
        result = evaluate(evaluation.rank(10, weights, fusion), qrels)
        for split in ("train", "test"):
            m = result[split]
            print(
                f"{label:34} {split:6} {m['nDCG@5']:7.3f} {m['nDCG@10']:8.3f} "
                f"{m['MRR']:6.3f} {m['R@10']:6.3f}"
            )


if __name__ == "__main__":
    main()
