"""Ranking from JSON lines, the engine's evaluation contract (`manage.py rank_seeds`).

Needs and seeds are read as {"id", "title", "text", "municipality_code"?, "target_groups"?,
"kinds"?, "organization"?} with the app's codes (6-digit municipality codes, kind and
target-group slugs; any string naming the organisation running a seed or posting a need).
Nothing touches the database: embeddings are computed in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from tsunagari.matching import embeddings
from tsunagari.matching.engine import HYBRID, Corpus, NeedQuery, Seed, Weights


def read_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8-sig") as f:
        for number, line in enumerate(f, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as error:
                    raise ValueError(f"{path}:{number}: {error.msg}") from error


def _codes(row: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(v) for v in row.get(key) or ())


def seed_from_json(row: dict[str, Any]) -> Seed:
    code = row.get("municipality_code")
    return Seed(
        id=row["id"],
        title=row.get("title") or "",
        text=row.get("text") or "",
        municipality_codes=(str(code),) if code else (),
        target_groups=_codes(row, "target_groups"),
        kinds=_codes(row, "kinds"),
        online="online" in _codes(row, "kinds"),
        organization=row.get("organization"),
    )


def need_from_json(row: dict[str, Any]) -> NeedQuery:
    code = row.get("municipality_code")
    return NeedQuery(
        id=row["id"],
        title=row.get("title") or "",
        text=row.get("text") or "",
        municipality_code=str(code) if code else None,
        target_groups=_codes(row, "target_groups"),
        kinds=_codes(row, "kinds"),
        organization=row.get("organization"),
    )


class Evaluation:
    """Seeds and needs embedded once, ranked under any weights."""

    def __init__(
        self,
        needs: Iterable[NeedQuery],
        seeds: Iterable[Seed],
        names: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self.needs = list(needs)
        seed_list = list(seeds)
        self.corpus = Corpus(seed_list, embeddings.embed([s.full_text for s in seed_list]), names)
        self.need_vectors = embeddings.embed([n.full_text for n in self.needs])

    def rank(
        self, top: int = 10, weights: Weights = HYBRID, fusion: str = "weighted"
    ) -> list[dict[str, Any]]:
        return [
            {
                "need_id": need.id,
                "ranked": [
                    {"seed_id": r.seed_id, "score": r.score, "reasons": r.reasons}
                    for r in self.corpus.rank(need, vector, top, weights, fusion)
                ],
            }
            for need, vector in zip(self.needs, self.need_vectors, strict=True)
        ]
