"""Relevance of the matching engine on the labelled set (bench/data/matching).

    .venv/bin/python bench/matching.py            # figures for each signal and the hybrid
    .venv/bin/python bench/matching.py --tune     # search weights on the TRAIN split only

Runs the engine through the same code as `manage.py rank_seeds` (tsunagari.matching.
evaluation) and prints nDCG@5, nDCG@10, MRR (first seed graded 2... or 1) and recall@10
(of seeds graded 1 or 2) on the train split (odd need numbers) and the held-out test split
(even need numbers). Unjudged pairs count as 0.

Then the cases of issue 10 (needs n43–n46, both splits) on their own, with three checks
over their top 10 of the hybrid: seeds of the need's own organisation suggested as if they
were another's; filler words (探し, 市, 活動, municipality names) shown in a 「…」が一致
reason; housing seeds ranked above an exact fit (same municipality, a target group and a
kind the need asked for) when the need did not ask for housing.
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
CASES = ("n43", "n44", "n45", "n46")  # issue 10: own organisation, lay words, housing
# What a reason must never show as a matched word (plus municipality names, read below).
FILLER = {"探し", "探す", "探して", "市", "区", "町", "村", "活動", "後", "市内", "場所"}


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


def municipality_words() -> set[str]:
    """藤沢市 → 藤沢市, 藤沢; 横浜市港北区 → 横浜市港北区, 横浜, 港北区, 港北."""
    path = ROOT / "tsunagari" / "geo" / "data" / "kanagawa_municipalities.csv"
    words: set[str] = set()
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for part in row["name"].replace("市", "市 ").split():
                words |= {part, part.rstrip("市区町村県")}
    return {w for w in words if w}


def case_checks(
    lines: list[dict[str, Any]], needs: dict[str, dict[str, Any]], seeds: dict[str, dict[str, Any]]
) -> dict[str, int]:
    """Counts over the cases' top 10: own seeds, filler words shown, housing above a fit."""
    filler = FILLER | municipality_words()
    found = {"own organisation's seeds": 0, "filler words shown": 0, "housing above a fit": 0}
    for line in lines:
        if line["need_id"] not in CASES:
            continue
        need = needs[line["need_id"]]
        wanted_kinds, wanted_targets = set(need["kinds"]), set(need["target_groups"])
        housing_seen = False
        for result in line["ranked"][:10]:
            seed = seeds[result["seed_id"]]
            if need.get("organization") and seed.get("organization") == need["organization"]:
                found["own organisation's seeds"] += 1
            for reason in result["reasons"]:
                if reason.endswith("が一致"):
                    shown = reason.removesuffix("が一致").strip("「」").split("」「")
                    found["filler words shown"] += sum(w in filler for w in shown)
            kinds, targets = set(seed.get("kinds", ())), set(seed.get("target_groups", ()))
            if "housing" in kinds and "housing" not in wanted_kinds:
                housing_seen = True
            elif (
                housing_seen
                and kinds & wanted_kinds
                and targets & wanted_targets
                and seed.get("municipality_code") == need.get("municipality_code")
            ):
                found["housing above a fit"] += 1
    return found


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
    for lex, tgt, place, kind, sched, fit in itertools.product(
        [0.0, 0.2, 0.35, 0.5, 0.7, 1.0, 1.5],
        grid,
        grid,
        grid,
        [0.0, 0.05, 0.1, 0.2, 0.4],
        [0.0, 0.1, 0.2, 0.3, 0.5],
    ):
        weights = engine.Weights(lex, 1.0, tgt, place, kind, sched, fit)
        scores = []
        for need, signals in train:
            fused = engine.fuse(signals, weights)
            corpus.leave_out_own(need, fused)
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
    need_rows = {r["id"]: r for r in read_jsonl(DATA / "needs.jsonl")}
    seed_rows = {r["id"]: r for r in read_jsonl(DATA / "seeds.jsonl")}
    needs = [need_from_json(r) for r in need_rows.values()]
    seeds = [seed_from_json(r) for r in seed_rows.values()]
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

    lines = evaluation.rank(10, engine.HYBRID, "weighted")
    cases = [
        metrics([r["seed_id"] for r in line["ranked"]], qrels.get(line["need_id"], {}))
        for line in lines
        if line["need_id"] in CASES
    ]
    averaged = {k: statistics.fmean(m[k] for m in cases) for k in cases[0]}
    print(
        f"{'hybrid, issue 10 cases ' + CASES[0] + '-' + CASES[-1]:34} {'both':6} "
        f"{averaged['nDCG@5']:7.3f} {averaged['nDCG@10']:8.3f} {averaged['MRR']:6.3f} "
        f"{averaged['R@10']:6.3f}"
    )
    checks = case_checks(lines, need_rows, seed_rows)
    print(
        "issue 10 checks (top 10, should all be 0): "
        + ", ".join(f"{name} {count}" for name, count in checks.items())
    )


if __name__ == "__main__":
    main()
