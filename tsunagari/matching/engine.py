"""The matching engine: ranked seeds for a need, with the reasons (ニーズとシーズのマッチング).

Signals, each an array over every seed, then fused by a weighted sum:
- lexical: BM25 over the directory's Sudachi tokens (lexical.py), divided by the best score
  for the need so that long and short needs weigh the same; the need's everyday words add
  the service words of the lay-language table (お年寄り → 高齢者, directory/lay_terms.py);
- semantic: cosine of the sentence embeddings (embeddings.py), brute force in float32;
- target: the need's target groups overlap the seed's (a seed "for everyone" counts a bit);
- area: same ward/municipality > same designated city > prefecture-wide or online (area.py);
- kind: the seed is of a kind the need wants;
- schedule: the need's words (週末, 平日, 夜 ...) against the seed's days (hints.py);
- fit: the seed is of a kind the need wants AND for one of its target groups (not merely
  "for everyone"): an exact fit, so that a place for older people outranks a housing
  consultation that shares only the target group when the need asked for a place.

Seeds of the need's own organisation are never suggested: suggestions are there to find
another organisation to work with, and a member knows its own activities already.

The weights were chosen on the training half of the labelled set in bench/data/matching
(bench/matching.py --tune) and checked on the held-out half. The same pure functions serve
the web app (compute_suggestions, needs_for_resource), `manage.py rank_seeds` and the bench.
"""

from __future__ import annotations

import importlib
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from django.utils.translation import gettext as _

from tsunagari.matching import area, embeddings, hints, lexical, store

if TYPE_CHECKING:
    from tsunagari.directory.models import Resource
    from tsunagari.matching.models import Need, Suggestion

AREA_SCORES = np.array([0.0, 0.3, 0.6, 1.0], dtype=np.float32)  # by area level
EVERYONE = "everyone"
EVERYONE_SCORE = 0.3
UNKNOWN_SCHEDULE = 0.3
# Cosine similarity from which the reason 「意味が近い」 is given.
SEMANTIC_CLOSE = 0.45
MATCHED_WORDS_SHOWN = 3
SUGGESTIONS_KEPT = 20
# How much a service word reached through the lay-language table counts against a word
# the need wrote itself (bench/matching.py).
LAY_WEIGHT = 1.0


@dataclass(frozen=True)
class Weights:
    lexical: float = 1.0
    semantic: float = 1.0
    target: float = 0.0
    area: float = 0.0
    kind: float = 0.0
    schedule: float = 0.0
    fit: float = 0.0

    def items(self) -> list[tuple[str, float]]:
        return [(name, getattr(self, name)) for name in SIGNALS]


SIGNALS = ("lexical", "semantic", "target", "area", "kind", "schedule", "fit")
# Chosen on the training split (bench/data/matching/README.md), among the weightings with
# which no housing seed outranks an exact fit in the issue-10 cases (n43-n46): the grid
# alone would rather drop the words (lexical = 0) that the lay-language table and the
# reasons rely on, and a fit below 0.25 lets the housing consultation through.
HYBRID = Weights(lexical=0.2, semantic=1.0, target=0.2, area=0.3, kind=0.1, schedule=0.4, fit=0.25)
LEXICAL_ONLY = Weights(lexical=1.0, semantic=0.0)
SEMANTIC_ONLY = Weights(lexical=0.0, semantic=1.0)
STRUCTURED_ONLY = Weights(
    lexical=0.0, semantic=0.0, target=1.0, area=1.0, kind=1.0, schedule=1.0, fit=1.0
)


@dataclass(frozen=True)
class Seed:
    """A seed as the engine sees it: text, places, target groups and kinds (slugs)."""

    id: Any
    title: str
    text: str
    municipality_codes: tuple[str, ...] = ()
    target_groups: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    online: bool = False
    # Days and evenings from the seed's schedules; None: read from its text.
    when: hints.When | None = None
    # Precomputed index tokens (the bench's synthetic seeds); None: tokenise the text.
    tokens: tuple[str, ...] | None = None
    organization: Any = None  # the member organisation running it, if any

    @property
    def full_text(self) -> str:
        return f"{self.title}\n{self.text}"


@dataclass(frozen=True)
class NeedQuery:
    """A need as the engine sees it."""

    id: Any
    title: str
    text: str
    municipality_code: str | None = None
    target_groups: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    organization: Any = None  # whose need it is: its own seeds are left out

    @property
    def full_text(self) -> str:
        return f"{self.title}\n{self.text}"


@dataclass
class Ranked:
    seed_id: Any
    score: float
    reasons: list[str] = field(default_factory=list)


@cache
def default_names() -> dict[str, dict[str, str]]:
    """Slug → Japanese name of the starting kinds and target groups (the directory's data)."""
    module = importlib.import_module("tsunagari.directory.migrations.0002_taxonomies")
    return {
        "kinds": {slug: name for slug, name, _en in module.KINDS},
        "target_groups": {slug: name for slug, name, _en in module.TARGET_GROUPS},
    }


def _index_of(values: Iterable[Iterable[str]]) -> dict[str, np.ndarray]:
    found: dict[str, list[int]] = {}
    for i, keys in enumerate(values):
        for key in keys:
            found.setdefault(key, []).append(i)
    return {k: np.array(v, dtype=np.int32) for k, v in found.items()}


class Corpus:
    """Every seed, indexed for ranking: BM25 postings, a vector matrix, structured arrays.

    Built here in memory from Seeds (the bench, the tests, `rank_seeds`); the web app's
    corpus is a StoredCorpus read from the seed store (store.py), with the same signals.
    """

    # Rows that no longer count (a stored corpus's replaced or unpublished seeds).
    dead: np.ndarray | None = None

    def __init__(
        self,
        seeds: Sequence[Seed],
        vectors: np.ndarray | None = None,
        names: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self.seeds = list(seeds)
        self.size = len(self.seeds)
        self.names = names or default_names()
        self.bm25 = lexical.BM25Index(
            [s.tokens if s.tokens is not None else lexical.tokens(s.full_text) for s in seeds]
        )
        if vectors is None:
            vectors = np.zeros((self.size, embeddings.DIMENSIONS), dtype=np.float32)
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.by_code = _index_of(s.municipality_codes for s in seeds)
        self.wide = np.array(
            [s.online or area.PREFECTURE in s.municipality_codes for s in seeds], dtype=bool
        )
        self.by_target = _index_of(s.target_groups for s in seeds)
        self.by_kind = _index_of(s.kinds for s in seeds)
        self.by_organization = _index_of(
            [str(s.organization)] if s.organization is not None else [] for s in seeds
        )
        whens = [s.when if s.when is not None else hints.read(s.full_text) for s in seeds]
        self.days = np.zeros((self.size, 8), dtype=bool)  # column d: meets on ISO weekday d
        for i, when in enumerate(whens):
            self.days[i, list(when.days)] = True
        self.days_known = self.days.any(axis=1)
        self.evening = np.array([w.evening for w in whens], dtype=bool)

    def seed_id(self, i: int) -> Any:
        return self.seeds[i].id

    def seed_ids(self) -> list[Any]:
        """The ids of the seeds that count, in row order."""
        return [self.seed_id(i) for i in range(self.size) if self.dead is None or not self.dead[i]]

    def cosine(self, vector: np.ndarray) -> np.ndarray:
        """Cosine of every seed with this unit vector."""
        return self.vectors @ vector.astype(np.float32)

    def cosines(self, vectors: np.ndarray) -> np.ndarray:
        """Cosine of every seed with each of these unit vectors (needs × seeds)."""
        return vectors.astype(np.float32) @ self.vectors.T

    def _has(self, index: Any, key: str, i: int) -> bool:
        rows = index.get(key)
        if rows is None:
            return False
        k = int(np.searchsorted(rows, i))
        return k < len(rows) and int(rows[k]) == i

    # Signals -----------------------------------------------------------------------------

    def area_levels(self, code: str | None) -> np.ndarray:
        levels = np.zeros(self.size, dtype=np.int8)
        if not code:
            return levels
        levels[self.wide] = area.WIDE
        if code == area.PREFECTURE:
            return levels
        for other in area.same_city_codes(code):
            if (index := self.by_code.get(other)) is not None:
                levels[index] = np.maximum(levels[index], area.SAME_CITY)
        if (index := self.by_code.get(code)) is not None:
            levels[index] = area.SAME
        return levels

    def _overlap(self, index: dict[str, np.ndarray], wanted: Iterable[str]) -> np.ndarray:
        found = np.zeros(self.size, dtype=np.float32)
        for key in wanted:
            if (rows := index.get(key)) is not None:
                found[rows] = 1.0
        return found

    def lexical_scores(self, words: lexical.NeedWords) -> np.ndarray:
        """BM25 for the need's words (lay-table words at LAY_WEIGHT), best = 1."""
        bm25 = self.bm25.scores(words.tokens, words.added, LAY_WEIGHT)
        if self.dead is not None:
            bm25[self.dead] = 0
        top = float(bm25.max()) if self.size else 0.0
        return bm25 / top if top > 0 else bm25

    def signals(self, need: NeedQuery, vector: np.ndarray | None) -> dict[str, np.ndarray]:
        semantic = (
            self.cosine(vector) if vector is not None else np.zeros(self.size, dtype=np.float32)
        )
        return self._signals(
            need, self.lexical_scores(lexical.need_words(need.full_text)), semantic
        )

    def _signals(
        self, need: NeedQuery, lexical_scores: np.ndarray, semantic: np.ndarray
    ) -> dict[str, np.ndarray]:
        target = self._overlap(self.by_target, need.target_groups)
        kind = self._overlap(self.by_kind, need.kinds)
        # Before "everyone" counts a bit: an exact fit needs one of the need's own groups.
        fit = kind * (target if need.target_groups else np.float32(1)) if need.kinds else kind
        if need.target_groups and (everyone := self.by_target.get(EVERYONE)) is not None:
            target[everyone] = np.maximum(target[everyone], EVERYONE_SCORE)
        schedule = np.zeros(self.size, dtype=np.float32)
        wanted = hints.read(need.full_text)
        if wanted:
            parts: list[np.ndarray] = []
            if wanted.days:
                meets = self.days[:, sorted(wanted.days)].any(axis=1)
                parts.append(np.where(self.days_known, meets, np.float32(UNKNOWN_SCHEDULE)))
            if wanted.evening:
                parts.append(np.where(self.evening, np.float32(1), np.float32(UNKNOWN_SCHEDULE)))
            schedule = np.mean(parts, axis=0).astype(np.float32)
        levels = self.area_levels(need.municipality_code)
        return {
            "lexical": lexical_scores,
            "semantic": semantic,
            "target": target,
            "area": AREA_SCORES[levels],
            "area_level": levels,
            "kind": kind,
            "schedule": schedule,
            "fit": fit,
        }

    # Ranking -----------------------------------------------------------------------------

    def rank(
        self,
        need: NeedQuery,
        vector: np.ndarray | None,
        top: int = 10,
        weights: Weights = HYBRID,
        fusion: str = "weighted",
    ) -> list[Ranked]:
        return self._rank(need, vector, self.signals(need, vector), top, weights, fusion)

    def rank_many(
        self,
        needs: Sequence[NeedQuery],
        vectors: np.ndarray | None,
        top: int = 10,
        weights: Weights = HYBRID,
        batch: int = 128,
    ) -> list[list[Ranked]]:
        """Rank for many needs; the cosine matrix is computed a batch of needs at a time."""
        results: list[list[Ranked]] = []
        for start in range(0, len(needs), batch):
            chunk = needs[start : start + batch]
            if vectors is not None:
                cosines = self.cosines(vectors[start : start + batch])
            for j, need in enumerate(chunk):
                words = lexical.need_words(need.full_text)
                semantic = (
                    cosines[j] if vectors is not None else np.zeros(self.size, dtype=np.float32)
                )
                signals = self._signals(need, self.lexical_scores(words), semantic)
                vector = vectors[start + j] if vectors is not None else None
                results.append(self._rank(need, vector, signals, top, weights, "weighted"))
        return results

    def _rank(
        self,
        need: NeedQuery,
        vector: np.ndarray | None,
        signals: dict[str, np.ndarray],
        top: int,
        weights: Weights,
        fusion: str,
    ) -> list[Ranked]:
        score = fuse(signals, weights, fusion)
        if self.dead is not None:
            score[self.dead] = 0
        self.leave_out_own(need, score)
        best = top_indices(score, top)
        words = lexical.need_words(need.full_text)
        query = words.all
        written = (words.added | lexical.surfaces(need.full_text)) if len(best) else {}
        return [
            Ranked(
                self.seed_id(int(i)),
                round(float(score[i]), 4),
                self.reasons(need, int(i), signals, query, written),
            )
            for i in best
            if score[i] > 0
        ]

    def leave_out_own(self, need: NeedQuery, score: np.ndarray) -> None:
        """Score 0 (never suggested) for the seeds of the need's own organisation."""
        if need.organization is not None:
            own = self.by_organization.get(str(need.organization))
            if own is not None:
                score[own] = 0.0

    def reasons(
        self,
        need: NeedQuery,
        i: int,
        signals: dict[str, np.ndarray],
        query: list[str],
        written: dict[str, str],
    ) -> list[str]:
        """Why seed i was suggested, in Japanese, most concrete first."""
        found: list[str] = []
        level = int(signals["area_level"][i])
        if level == area.SAME:
            found.append(
                _("同じ区") if area.is_ward(need.municipality_code or "") else _("同じ市町村")
            )
        elif level == area.SAME_CITY:
            found.append(_("同じ市内"))
        elif level == area.WIDE:
            found.append(_("県全域・オンライン"))
        shared = [t for t in need.target_groups if self._has(self.by_target, t, i)]
        if shared:
            names = self.names["target_groups"]
            found.append(_("対象: %s") % "、".join(names.get(t, t) for t in sorted(shared)))
        kinds = [k for k in need.kinds if self._has(self.by_kind, k, i)]
        if kinds:
            names = self.names["kinds"]
            found.append(_("種類: %s") % "、".join(names.get(k, k) for k in sorted(kinds)))
        if signals["schedule"][i] >= 1.0 and (when := hints.label(hints.read(need.full_text))):
            found.append(_("%sに開いている") % when)
        words = matched_words(self.bm25, query, i, written)
        if words:
            found.append(_("%sが一致") % "".join(f"「{w}」" for w in words))
        if signals["semantic"][i] >= SEMANTIC_CLOSE:
            found.append(_("意味が近い"))
        return found


def matched_words(
    index: lexical.BM25Index, query: list[str], i: int, written: dict[str, str]
) -> list[str]:
    """The most telling words the need and the seed share, as the need wrote them (or as
    the lay-language table writes the service word an everyday word reached); never
    filler words or place names (lexical.reason_stop_tokens)."""
    shown: list[str] = []
    stop = lexical.reason_stop_tokens()
    for token in index.matched(query, i):
        if token in stop:
            continue
        surface = written.get(token, token)
        if len(surface) < 2 and not _has_kanji(surface):
            continue
        if any(surface in s or s in surface for s in shown):
            continue
        shown.append(surface)
        if len(shown) == MATCHED_WORDS_SHOWN:
            break
    return shown


def _has_kanji(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def fuse(signals: dict[str, np.ndarray], weights: Weights, fusion: str = "weighted") -> np.ndarray:
    """One score per seed: a weighted sum, or reciprocal rank fusion (k = 60)."""
    size = len(signals["lexical"])
    total = np.zeros(size, dtype=np.float32)
    if fusion == "rrf":
        for name, weight in weights.items():
            values = signals[name]
            if weight and values.any():
                order = np.argsort(-values, kind="stable")
                ranks = np.empty(size, dtype=np.float32)
                ranks[order] = np.arange(1, size + 1)
                total += np.where(values > 0, weight / (60.0 + ranks), 0.0).astype(np.float32)
        return total
    for name, weight in weights.items():
        if weight:
            total += weight * signals[name]
    return total


def top_indices(score: np.ndarray, k: int) -> np.ndarray:
    """The k best indices, best first (argpartition, then a sort of k)."""
    if k >= len(score):
        return np.argsort(-score, kind="stable")
    part = np.argpartition(-score, k)[:k]
    return part[np.argsort(-score[part], kind="stable")]


# The web app ---------------------------------------------------------------------------


def resource_text(resource: Resource) -> str:
    """What is embedded for a resource (its name and description)."""
    return f"{resource.name}\n{resource.description}"


def resource_when(resource: Resource) -> hints.When | None:
    """Days and evenings from the resource's schedules (prefetched), None if unknown."""
    days: set[int] = set()
    evening = False
    for schedule in resource.schedules.all():
        rule = schedule.rule
        if schedule.frequency == "daily":
            days |= hints.ALL_DAYS
        days |= set(rule.weekdays or ())
        if (schedule.closes_at and schedule.closes_at.hour >= 18) or (
            schedule.opens_at and schedule.opens_at.hour >= 17
        ):
            evening = True
    if not days and not evening:
        return None
    return hints.When(frozenset(d for d in days if 1 <= d <= 7), evening)


def seed_from_resource(resource: Resource) -> Seed:
    codes = {loc.municipality_id for loc in resource.locations.all() if loc.municipality_id}
    codes |= {m.pk for m in resource.service_area.all()}
    return Seed(
        id=resource.pk,
        title=resource.name,
        text=resource.description,
        municipality_codes=tuple(sorted(codes)),
        target_groups=frozenset(t.slug for t in resource.target_groups.all()),
        kinds=frozenset(k.slug for k in resource.kinds.all()),
        online=resource.is_online,
        when=resource_when(resource),
        organization=resource.organization_id,
    )


def need_query(need: Need) -> NeedQuery:
    return NeedQuery(
        id=need.pk,
        title=need.title,
        text=need.description,
        municipality_code=need.municipality_id,
        target_groups=frozenset(t.slug for t in need.target_groups.all()),
        kinds=frozenset(k.slug for k in need.kinds_wanted.all()),
        organization=need.organization_id,
    )


def taxonomy_names() -> dict[str, dict[str, str]]:
    from tsunagari.directory.models import Kind, TargetGroup

    return {
        "kinds": dict(Kind.objects.values_list("slug", "name")),
        "target_groups": dict(TargetGroup.objects.values_list("slug", "name")),
    }


class StoredCorpus(Corpus):
    """The corpus of the seed store (store.py): a generation's mapped arrays, shared with
    the machine's other processes, and the few seeds changed since, in memory."""

    def __init__(
        self,
        generation: store.Generation,
        delta: dict[int, store.Row | None],
        names: dict[str, dict[str, str]] | None = None,
    ) -> None:
        rows = sorted((r for r in delta.values() if r is not None), key=lambda r: r.id)
        self.generation, self.delta_rows = generation, rows
        base = generation.size
        self.size = base + len(rows)
        self.names = names or default_names()
        dead = np.zeros(self.size, dtype=bool)
        for pk in delta:
            if (i := generation.row_of(pk)) is not None:
                dead[i] = True
        self.dead = dead if dead.any() else None
        self.bm25 = store.StoredBM25(generation, rows, dead)  # type: ignore[assignment]
        self.vectors = generation.vectors
        self.delta_vectors = np.zeros((len(rows), embeddings.DIMENSIONS), dtype=np.float32)
        for j, row in enumerate(rows):
            if row.vector is not None:
                self.delta_vectors[j] = row.vector
        self.by_code = store.KeyIndex(generation, "codes", rows)  # type: ignore[assignment]
        self.by_target = store.KeyIndex(generation, "targets", rows)  # type: ignore[assignment]
        self.by_kind = store.KeyIndex(generation, "kinds", rows)  # type: ignore[assignment]
        self.by_organization = store.KeyIndex(generation, "orgs", rows)  # type: ignore[assignment]
        self.wide = np.concatenate([generation.wide, np.array([r.wide for r in rows], bool)])
        days = np.zeros((len(rows), 8), dtype=bool)
        for j, row in enumerate(rows):
            days[j, list(row.days)] = True
        self.days = np.concatenate([generation.days, days])
        self.days_known = self.days.any(axis=1)
        self.evening = np.concatenate(
            [generation.evening, np.array([r.evening for r in rows], dtype=bool)]
        )

    def seed_id(self, i: int) -> Any:
        base = self.generation.size
        return int(self.generation.ids[i]) if i < base else self.delta_rows[i - base].id

    def cosine(self, vector: np.ndarray) -> np.ndarray:
        vector = vector.astype(np.float32)
        return np.concatenate([self.vectors @ vector, self.delta_vectors @ vector])

    def cosines(self, vectors: np.ndarray) -> np.ndarray:
        vectors = vectors.astype(np.float32)
        return np.concatenate([vectors @ self.vectors.T, vectors @ self.delta_vectors.T], axis=1)


_cache_lock = threading.Lock()
_opened: store.Opened | None = None


def store_root() -> Path:
    from django.conf import settings

    return Path(settings.MATCHING_STORE_DIR)


def published_corpus() -> Corpus:
    """Every published resource as a Corpus, from the seed store (store.py). One
    primary-key read per call tells whether anything changed; when it did, the store
    catches up (only the changed resources are read) and the process opens it afresh."""
    global _opened
    version = store.db_version()
    root = store_root()
    with _cache_lock:
        opened = _opened
        if (
            opened is not None
            and opened.root == root
            and (opened.header["version"], opened.header["token"]) == version
        ):
            return opened.corpus
        _opened = None
        header = store.read_current(root)
        if header is None or (header["version"], header["token"]) != version:
            store.catch_up(root)
        try:
            opened = store.open_corpus(root, taxonomy_names())
        except store.StoreError:
            store.rebuild(root)
            opened = store.open_corpus(root, taxonomy_names())
        _opened = opened
        return opened.corpus


def clear_cache() -> None:
    """Forget the corpus this process has open (the next ranking opens the store again)."""
    global _opened
    with _cache_lock:
        _opened = None


def need_vector(need: Need) -> np.ndarray:
    """The need's stored embedding, computed and saved when missing."""
    vector = embeddings.from_bytes(need.embedding)
    if vector is None:
        vector = embeddings.embed_one(need.text)
        need.embedding = embeddings.to_bytes(vector)
        type(need).objects.filter(pk=need.pk).update(embedding=need.embedding)
    return vector


def compute_suggestions(need: Need) -> list[Suggestion]:
    """Replace the need's new suggestions with fresh ranked ones; bookmarked and dismissed
    suggestions keep their state (and get the fresh rank, score and reasons if ranked)."""
    from django.db import transaction
    from django.utils import timezone

    from tsunagari.matching.models import Suggestion

    corpus = published_corpus()
    ranked = corpus.rank(need_query(need), need_vector(need), top=SUGGESTIONS_KEPT)
    now = timezone.now()
    with transaction.atomic():
        need.suggestions.filter(state=Suggestion.State.NEW).delete()
        if need.organization_id is not None:
            # Kept from before the rule, or from before the resource changed hands.
            need.suggestions.filter(resource__organization_id=need.organization_id).delete()
        kept = {s.resource_id: s for s in need.suggestions.all()}
        fresh: list[Suggestion] = []
        for rank, result in enumerate(ranked, start=1):
            suggestion = kept.get(result.seed_id)
            if suggestion is None:
                suggestion = Suggestion(need=need, resource_id=result.seed_id)
            suggestion.rank, suggestion.score = rank, result.score
            suggestion.reasons, suggestion.computed_at = result.reasons, now
            fresh.append(suggestion)
        Suggestion.objects.bulk_create([s for s in fresh if s.pk is None])
        Suggestion.objects.bulk_update(
            [s for s in fresh if s.pk is not None], ["rank", "score", "reasons", "computed_at"]
        )
        need.suggestions_computed_at = now
        type(need).objects.filter(pk=need.pk).update(suggestions_computed_at=now)
    return fresh


def needs_for_resource(resource: Resource, limit: int = 10) -> list[tuple[Need, float, list[str]]]:
    """Open needs this seed could answer: those whose suggestions rank it (not dismissed),
    best score first. Suggestions are recomputed when a need is saved and by the
    `refresh_suggestions` command."""
    return needs_for_resources([resource], limit).get(resource.pk, [])


def needs_for_resources(
    resources: Iterable[Resource], limit: int = 10
) -> dict[int, list[tuple[Need, float, list[str]]]]:
    """needs_for_resource for several seeds in one query: resource id → its needs."""
    from tsunagari.matching.models import Suggestion

    rows = (
        Suggestion.objects.filter(resource__in=list(resources), need__status="open")
        .exclude(state=Suggestion.State.DISMISSED)
        .select_related("need", "need__municipality")
        .order_by("resource_id", "-score", "need_id")
    )
    found: dict[int, list[tuple[Need, float, list[str]]]] = defaultdict(list)
    for s in rows:
        if len(found[s.resource_id]) < limit:
            found[s.resource_id].append((s.need, s.score, list(s.reasons)))
    return found
