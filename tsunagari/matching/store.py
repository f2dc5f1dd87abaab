"""The seed store: the engine's corpus on disk, memory-mapped and shared by the processes
of one machine (シーズの索引ファイル).

Layout under settings.MATCHING_STORE_DIR:

    CURRENT           JSON: format, generation, delta file, and the corpus version
                      (CorpusVersion: number and token) the files are up to date with
    lock              flock()ed by a writer (a build, an update, a compaction)
    gen-<n>/*.npy     a generation: every seed at build time, in resource-id order, as
                      plain arrays opened with mmap_mode="r" (the OS shares their pages):
                      vectors (N × 512 float32), BM25 term frequencies as CSR arrays both
                      by token (postings) and by seed (for the reasons), the places, target
                      groups, kinds and organisations as CSR arrays by key, days, lengths
    delta-<n>.npz     seeds changed since the generation was built (a changed or new seed
                      in full; an unpublished or deleted one as a tombstone), small and
                      read whole into memory; merged into a new generation (compaction)
                      when it passes DELTA_SHARE of the generation

A ranking reads CorpusVersion (one primary-key read). When it differs from the version the
process has open, the process re-reads CURRENT (another process may have caught up
already); when the files are behind, it takes the lock and reloads only the resources that
the versions in between changed (SeedChange), writes a new delta and replaces CURRENT
atomically. Files are never changed in place: a reader keeps the files it has mapped until
it opens newer ones, and a replaced generation stays readable while it is mapped.

BM25 is computed at query time from the stored term frequencies with the live document
count, document frequencies and average length, so the scores are those a fresh build
would give; a seed's rows in the generation are masked once the delta holds it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import math
import os
import secrets
import shutil
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tsunagari.matching import area, embeddings, hints, lexical

FORMAT = 1
# A delta larger than this share of the generation (or than DELTA_MIN rows, whichever is
# larger) is merged into a new generation.
DELTA_SHARE = 0.05
DELTA_MIN = 1000
# A catch-up of more resources than this share of the corpus (and than DELTA_MIN) rebuilds
# from the database.
REBUILD_SHARE = 0.3
# SeedChange rows kept: a store further behind than this rebuilds from the database.
CHANGES_KEPT = 50_000
BUILD_CHUNK = 1000
KEYS = ("codes", "targets", "kinds", "orgs")


@dataclass
class Row:
    """One seed as stored: what Corpus needs of it, already tokenised."""

    id: int
    tokens: dict[str, int]  # index token → term frequency
    vector: np.ndarray | None
    codes: tuple[str, ...]
    targets: tuple[str, ...]
    kinds: tuple[str, ...]
    organization: str | None  # as a key of by_organization
    online: bool
    days: tuple[int, ...]
    evening: bool

    @property
    def length(self) -> int:
        return sum(self.tokens.values())

    @property
    def wide(self) -> bool:
        return self.online or area.PREFECTURE in self.codes

    def keys(self, name: str) -> tuple[str, ...]:
        if name == "orgs":
            return (self.organization,) if self.organization is not None else ()
        return getattr(self, name)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tokens": self.tokens,
            "codes": self.codes,
            "targets": self.targets,
            "kinds": self.kinds,
            "organization": self.organization,
            "online": self.online,
            "days": self.days,
            "evening": self.evening,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], vector: np.ndarray | None) -> Row:
        return cls(
            id=int(data["id"]),
            tokens={str(k): int(v) for k, v in data["tokens"].items()},
            vector=vector,
            codes=tuple(data["codes"]),
            targets=tuple(data["targets"]),
            kinds=tuple(data["kinds"]),
            organization=data["organization"],
            online=bool(data["online"]),
            days=tuple(data["days"]),
            evening=bool(data["evening"]),
        )


def row_from_seed(seed: Any, vector: np.ndarray | None) -> Row:
    """A Row of an engine Seed (tokenised here unless the seed carries its tokens)."""
    tokens = seed.tokens if seed.tokens is not None else lexical.tokens(seed.full_text)
    when = seed.when if seed.when is not None else hints.read(seed.full_text)
    return Row(
        id=int(seed.id),
        tokens=dict(Counter(tokens)),
        vector=vector,
        codes=tuple(seed.municipality_codes),
        targets=tuple(sorted(seed.target_groups)),
        kinds=tuple(sorted(seed.kinds)),
        organization=str(seed.organization) if seed.organization is not None else None,
        online=bool(seed.online),
        days=tuple(sorted(when.days)),
        evening=bool(when.evening),
    )


class StoreError(Exception):
    """The files are missing, of another format or unreadable: rebuild."""


# Writing ---------------------------------------------------------------------------------


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)


def read_current(root: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((root / "CURRENT").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


@contextlib.contextmanager
def writer_lock(root: Path) -> Iterator[None]:
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "lock", "a+b") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _csr(pairs_key: np.ndarray, pairs_row: np.ndarray, count: int) -> tuple[np.ndarray, ...]:
    """(indptr, rows) of pairs grouped by key (0..count-1), rows ascending in each key."""
    order = np.lexsort((pairs_row, pairs_key))
    indptr = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.bincount(pairs_key, minlength=count), out=indptr[1:])
    return indptr, pairs_row[order], order


def write_generation(root: Path, number: int, rows: Iterable[Row], size: int) -> int:
    """Write generation `number` of at most `size` rows (in id order); returns the count."""
    target = root / f"gen-{number}"
    tmp = root / f".gen-{number}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    vectors = np.lib.format.open_memmap(
        tmp / "vectors.npy", mode="w+", dtype=np.float32, shape=(size, embeddings.DIMENSIONS)
    )
    ids, lengths, wide, evening = array("q"), array("f"), array("b"), array("b")
    days = np.zeros((size, 8), dtype=bool)
    vocab: dict[str, int] = {}
    fwd_doc, fwd_tok, fwd_tf = array("i"), array("i"), array("f")
    key_ids: dict[str, dict[str, int]] = {name: {} for name in KEYS}
    key_pairs: dict[str, tuple[array[int], array[int]]] = {
        name: (array("i"), array("i")) for name in KEYS
    }
    n = 0
    for row in rows:
        if n == size:
            raise StoreError("more rows than announced")
        ids.append(row.id)
        if row.vector is not None:
            vectors[n] = row.vector
        lengths.append(row.length)
        wide.append(row.wide)
        evening.append(row.evening)
        days[n, list(row.days)] = True
        for token, tf in row.tokens.items():
            fwd_doc.append(n)
            fwd_tok.append(vocab.setdefault(token, len(vocab)))
            fwd_tf.append(tf)
        for name in KEYS:
            found = key_ids[name]
            for key in row.keys(name):
                key_pairs[name][0].append(found.setdefault(key, len(found)))
                key_pairs[name][1].append(n)
        n += 1
    vectors.flush()
    del vectors
    if n < size:  # rows gone (unpublished) while building
        full = np.load(tmp / "vectors.npy", mmap_mode="r")
        np.save(tmp / "vectors.part.npy", np.asarray(full[:n]))
        del full
        os.replace(tmp / "vectors.part.npy", tmp / "vectors.npy")

    def save(name: str, values: Any) -> None:
        np.save(tmp / f"{name}.npy", values)

    save("ids", np.frombuffer(ids, dtype=np.int64))
    save("lengths", np.frombuffer(lengths, dtype=np.float32))
    save("wide", np.frombuffer(wide, dtype=np.int8).astype(bool))
    save("evening", np.frombuffer(evening, dtype=np.int8).astype(bool))
    save("days", days[:n])
    # Tokens sorted, so that a token's id is found by binary search in the mapped array.
    tokens = sorted(vocab)
    remap = np.empty(len(vocab), dtype=np.int32)
    for new, token in enumerate(tokens):
        remap[vocab[token]] = new
    save("vocab", np.array(tokens, dtype=f"<U{max(map(len, tokens), default=1)}"))
    doc = np.frombuffer(fwd_doc, dtype=np.int32)
    tok = remap[np.frombuffer(fwd_tok, dtype=np.int32)] if len(fwd_tok) else remap[:0]
    freqs = np.frombuffer(fwd_tf, dtype=np.float32)
    indptr, docs, order = _csr(tok, doc, len(tokens))
    save("post_indptr", indptr)
    save("post_docs", docs)
    save("post_tf", freqs[order])
    indptr, toks, order = _csr(doc, tok, n)
    save("fwd_indptr", indptr)
    save("fwd_tokens", toks)
    save("fwd_tf", freqs[order])
    for name in KEYS:
        names = sorted(key_ids[name])
        remap = np.empty(len(names), dtype=np.int32)
        for new, key in enumerate(names):
            remap[key_ids[name][key]] = new
        keys = np.frombuffer(key_pairs[name][0], dtype=np.int32)
        keys = remap[keys] if len(keys) else keys
        members = np.frombuffer(key_pairs[name][1], dtype=np.int32)
        indptr, members, _order = _csr(keys, members, len(names))
        save(f"{name}_keys", np.array(names, dtype=f"<U{max(map(len, names), default=1)}"))
        save(f"{name}_indptr", indptr)
        save(f"{name}_rows", members)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(tmp, target)
    return n


def write_delta(root: Path, number: int, rows: dict[int, Row | None]) -> str:
    """The delta file `delta-<number>.npz`: changed seeds in full, None for tombstones."""
    live = [row for row in rows.values() if row is not None]
    vectors = np.zeros((len(live), embeddings.DIMENSIONS), dtype=np.float32)
    has_vector = np.zeros(len(live), dtype=bool)
    for i, row in enumerate(live):
        if row.vector is not None:
            vectors[i], has_vector[i] = row.vector, True
    meta = {
        "rows": [row.to_json() for row in live],
        "gone": sorted(pk for pk, row in rows.items() if row is None),
    }
    name = f"delta-{number}.npz"
    tmp = root / f".{name}.{os.getpid()}.tmp"
    with open(tmp, "wb") as f:
        np.savez(f, vectors=vectors, has_vector=has_vector, meta=np.array(json.dumps(meta)))
    os.replace(tmp, root / name)
    return name


def read_delta(root: Path, name: str | None) -> dict[int, Row | None]:
    if not name:
        return {}
    try:
        with np.load(root / name, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            vectors, has_vector = data["vectors"], data["has_vector"]
            found: dict[int, Row | None] = {int(pk): None for pk in meta["gone"]}
            for i, item in enumerate(meta["rows"]):
                row = Row.from_json(item, vectors[i] if has_vector[i] else None)
                found[row.id] = row
            return found
    except (OSError, ValueError, KeyError) as e:
        raise StoreError(f"unreadable delta {name}: {e}") from e


def _clean(root: Path, keep: dict[str, Any]) -> None:
    """Remove generations and deltas that CURRENT no longer names (mapped files stay
    readable to the processes that have them open), and what dead writers left."""
    wanted = {f"gen-{keep['generation']}", keep.get("delta") or ""}
    for path in root.iterdir():
        # Temporary files of a writer that died (writers hold the lock, as the caller does).
        stale = path.name.startswith((".gen-", ".delta-")) and path.name.endswith(".tmp")
        if stale or (path.name.startswith(("gen-", "delta-")) and path.name not in wanted):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def build(root: Path, rows: Iterable[Row], size: int, version: int, token: str) -> dict[str, Any]:
    """A new generation from these rows and no delta; call with the writer lock held."""
    root.mkdir(parents=True, exist_ok=True)
    current = read_current(root)
    number = (current["generation"] + 1) if current else 1
    count = write_generation(root, number, rows, size)
    header = {
        "format": FORMAT,
        "generation": number,
        "rows": count,
        "delta": None,
        "version": version,
        "token": token,
    }
    _write_json(root / "CURRENT", header)
    _clean(root, header)
    return header


def apply(root: Path, changes: dict[int, Row | None], version: int, token: str) -> dict[str, Any]:
    """Record changed seeds (None: no longer published) at `version`; call with the writer
    lock held on a valid store. Merges into a new generation when the delta is large."""
    current = read_current(root)
    if current is None:
        raise StoreError("no store to update")
    generation = Generation(root, current["generation"])
    delta = read_delta(root, current.get("delta"))
    delta.update(changes)
    # A tombstone matters only for a seed of the generation (not for a draft saved again).
    delta = {
        pk: row for pk, row in delta.items() if row is not None or generation.row_of(pk) is not None
    }
    if len(delta) > max(DELTA_MIN, DELTA_SHARE * current["rows"]):
        merged = list(_merged_rows(generation, delta))
        return build(root, iter(merged), len(merged), version, token)
    number = int(version)
    header = dict(current, delta=write_delta(root, number, delta), version=version, token=token)
    _write_json(root / "CURRENT", header)
    _clean(root, header)
    return header


def compact(root: Path) -> dict[str, Any] | None:
    """Merge the delta into a new generation (the nightly refresh_suggestions does it, so
    that the rankings' catch-ups seldom reach the threshold that makes them do it)."""
    with writer_lock(root):
        current = read_current(root)
        if current is None or not current.get("delta"):
            return current
        generation = Generation(root, current["generation"])
        merged = list(_merged_rows(generation, read_delta(root, current["delta"])))
        return build(root, iter(merged), len(merged), current["version"], current["token"])


def _merged_rows(generation: Generation, delta: dict[int, Row | None]) -> Iterator[Row]:
    """Every live seed of generation + delta, in id order."""
    fresh = sorted((pk, row) for pk, row in delta.items() if row is not None)
    j = 0
    for i, pk in enumerate(generation.ids.tolist()):
        while j < len(fresh) and fresh[j][0] < pk:
            yield fresh[j][1]
            j += 1
        if pk not in delta:
            yield generation.row(i)
    for _pk, row in fresh[j:]:
        yield row


# Reading ---------------------------------------------------------------------------------


class Generation:
    """The mapped arrays of one generation."""

    def __init__(self, root: Path, number: int) -> None:
        folder = root / f"gen-{number}"
        try:
            names = [
                "ids", "vectors", "lengths", "wide", "evening", "days", "vocab",
                "post_indptr", "post_docs", "post_tf", "fwd_indptr", "fwd_tokens", "fwd_tf",
            ] + [f"{k}_{p}" for k in KEYS for p in ("keys", "indptr", "rows")]  # fmt: skip
            # Plain arrays over the mapped pages (np.memmap's slicing costs microseconds).
            arrays = {
                name: np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r")) for name in names
            }
        except (OSError, ValueError) as e:
            raise StoreError(f"unreadable generation {number}: {e}") from e
        self.number = number
        self.size = len(arrays["ids"])
        for name, values in arrays.items():
            setattr(self, name, values)
        if (
            self.vectors.shape != (self.size, embeddings.DIMENSIONS)
            or len(self.fwd_indptr) != self.size + 1
        ):
            raise StoreError(f"generation {number} is inconsistent")

    ids: np.ndarray
    vectors: np.ndarray
    lengths: np.ndarray
    wide: np.ndarray
    evening: np.ndarray
    days: np.ndarray
    vocab: np.ndarray
    post_indptr: np.ndarray
    post_docs: np.ndarray
    post_tf: np.ndarray
    fwd_indptr: np.ndarray
    fwd_tokens: np.ndarray
    fwd_tf: np.ndarray

    def token_id(self, token: str) -> int | None:
        vocab = self.vocab
        if not len(vocab) or len(token) > vocab.dtype.itemsize // 4:
            return None
        i = int(np.searchsorted(vocab, token))
        return i if i < len(vocab) and vocab[i] == token else None

    def row_of(self, pk: int) -> int | None:
        i = int(np.searchsorted(self.ids, pk))
        return i if i < self.size and int(self.ids[i]) == pk else None

    def key_rows(self, name: str, key: str) -> np.ndarray | None:
        keys = getattr(self, f"{name}_keys")
        if not len(keys) or len(key) > keys.dtype.itemsize // 4:
            return None
        i = int(np.searchsorted(keys, key))
        if i >= len(keys) or keys[i] != key:
            return None
        indptr = getattr(self, f"{name}_indptr")
        return np.asarray(getattr(self, f"{name}_rows")[indptr[i] : indptr[i + 1]])

    _words: list[str] | None = None

    def tokens_of(self, i: int) -> dict[str, int]:
        a, b = int(self.fwd_indptr[i]), int(self.fwd_indptr[i + 1])
        ids, tfs = self.fwd_tokens[a:b].tolist(), self.fwd_tf[a:b].tolist()
        if self._words is not None:  # a compaction reads every row
            return {self._words[t]: int(tf) for t, tf in zip(ids, tfs, strict=True)}
        return {str(self.vocab[t]): int(tf) for t, tf in zip(ids, tfs, strict=True)}

    def row(self, i: int) -> Row:
        """Row i as stored (for a compaction)."""
        if self._words is None:
            self._words = self.vocab.tolist()
        keys: dict[str, list[str]] = {name: [] for name in KEYS}
        # Keys are few per row but the CSR is by key: scan each key's rows once per name.
        for name in KEYS:
            keys[name] = self._keys_of_row(name, i)
        org = keys["orgs"]
        return Row(
            id=int(self.ids[i]),
            tokens=self.tokens_of(i),
            vector=np.array(self.vectors[i]),
            codes=tuple(keys["codes"]),
            targets=tuple(keys["targets"]),
            kinds=tuple(keys["kinds"]),
            organization=org[0] if org else None,
            online=bool(self.wide[i]) and area.PREFECTURE not in keys["codes"],
            days=tuple(int(d) for d in np.flatnonzero(self.days[i])),
            evening=bool(self.evening[i]),
        )

    _by_row: dict[str, list[list[str]]] | None = None

    def _keys_of_row(self, name: str, i: int) -> list[str]:
        if self._by_row is None:
            self._by_row = {}
        if name not in self._by_row:
            per_row: list[list[str]] = [[] for _ in range(self.size)]
            keys = getattr(self, f"{name}_keys")
            indptr = getattr(self, f"{name}_indptr")
            rows = getattr(self, f"{name}_rows")
            for k in range(len(keys)):
                key = str(keys[k])
                for r in rows[indptr[k] : indptr[k + 1]].tolist():
                    per_row[r].append(key)
            self._by_row[name] = per_row
        return self._by_row[name][i]


class StoredBM25:
    """lexical.BM25Index over a generation (mapped) and a delta (in memory), with the live
    document count, document frequencies and average length."""

    def __init__(self, generation: Generation, delta: list[Row], dead: np.ndarray) -> None:
        self.generation = generation
        self.base = generation.size
        self.delta = delta
        self.size = self.base + len(delta)
        self.dead = dead  # over base + delta
        base_lengths = np.asarray(generation.lengths)
        lengths = np.concatenate(
            [base_lengths, np.array([r.length for r in delta], dtype=np.float32)]
        )
        live = lengths[~dead]
        self.live = len(live)
        average = float(live.mean()) if self.live and live.sum() else 1.0
        self.norm = (lexical.K1 * (1 - lexical.B + lexical.B * lengths / average)).astype(
            np.float32
        )
        # Document frequencies: the generation's, less its masked rows, plus the delta's.
        self.df_change: Counter[str] = Counter()
        for i in np.flatnonzero(dead[: self.base]).tolist():
            self.df_change.subtract(generation.tokens_of(i).keys())
        self.delta_postings: dict[str, tuple[list[int], list[float]]] = {}
        for j, row in enumerate(delta):
            self.df_change.update(row.tokens.keys())
            for token, tf in row.tokens.items():
                docs, tfs = self.delta_postings.setdefault(token, ([], []))
                docs.append(self.base + j)
                tfs.append(tf)
        self._idf: dict[str, float] = {}
        self._token_ids: dict[str, int | None] = {}

    def token_id(self, token: str) -> int | None:
        if token not in self._token_ids:
            if len(self._token_ids) > 100_000:
                self._token_ids.clear()
            self._token_ids[token] = self.generation.token_id(token)
        return self._token_ids[token]

    def idf(self, token: str) -> float:
        found = self._idf.get(token)
        if found is None:
            tid = self.token_id(token)
            indptr = self.generation.post_indptr
            df = (int(indptr[tid + 1] - indptr[tid]) if tid is not None else 0) + (
                self.df_change.get(token, 0)
            )
            found = math.log(1 + (self.live - df + 0.5) / (df + 0.5)) if df > 0 else 0.0
            self._idf[token] = found
        return found

    def _postings(self, token: str) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(documents, weights) of the token: the generation's part, then the delta's."""
        idf = self.idf(token)
        k1 = lexical.K1
        tid = self.token_id(token)
        if tid is not None:
            a, b = self.generation.post_indptr[tid], self.generation.post_indptr[tid + 1]
            docs = np.asarray(self.generation.post_docs[a:b])
            freq = np.asarray(self.generation.post_tf[a:b])
            yield docs, idf * freq * (k1 + 1) / (freq + self.norm[docs])
        if (found := self.delta_postings.get(token)) is not None:
            docs = np.array(found[0], dtype=np.int32)
            freq = np.array(found[1], dtype=np.float32)
            yield docs, idf * freq * (k1 + 1) / (freq + self.norm[docs])

    def scores(
        self, query: Iterable[str], added: Iterable[str] = (), added_weight: float = 1.0
    ) -> np.ndarray:
        total = np.zeros(self.size, dtype=np.float32)
        own = set(query)
        for token in own:
            for docs, weight in self._postings(token):
                total[docs] += weight.astype(np.float32)
        for token in set(added) - own:
            for docs, weight in self._postings(token):
                total[docs] += added_weight * weight.astype(np.float32)
        return total

    def held(self, query: Iterable[str], document: int) -> set[str]:
        """The query tokens the document holds."""
        if document >= self.base:
            tokens = self.delta[document - self.base].tokens
            return {t for t in query if t in tokens}
        g = self.generation
        held = set(g.fwd_tokens[g.fwd_indptr[document] : g.fwd_indptr[document + 1]].tolist())
        return {t for t in query if self.token_id(t) in held}

    def matched(self, query: Iterable[str], document: int) -> list[str]:
        found = self.held(query, document)
        return sorted(found, key=lambda t: (-round(self.idf(t), 6), -len(t), t))


class KeyIndex:
    """`by_code`, `by_target`... of a stored corpus: key → rows, generation then delta."""

    def __init__(self, generation: Generation, name: str, delta: list[Row]) -> None:
        self.generation, self.name = generation, name
        extra: dict[str, list[int]] = {}
        for j, row in enumerate(delta):
            for key in row.keys(name):
                extra.setdefault(key, []).append(generation.size + j)
        self.extra = {k: np.array(v, dtype=np.int32) for k, v in extra.items()}

    def get(self, key: str, default: Any = None) -> np.ndarray | None:
        base = self.generation.key_rows(self.name, key)
        more = self.extra.get(key)
        if base is None:
            return more if more is not None else default
        return base if more is None else np.concatenate([base, more])


@dataclass
class Opened:
    """What a process has open: the corpus, and the files and version it was read from."""

    corpus: Any
    root: Path
    header: dict[str, Any]


def open_corpus(root: Path, names: dict[str, dict[str, str]] | None = None) -> Opened:
    """The stored corpus as a Corpus (engine.StoredCorpus)."""
    from tsunagari.matching.engine import StoredCorpus

    for _attempt in range(3):  # a writer may replace the files between our reads
        header = read_current(root)
        if header is None:
            raise StoreError("no store")
        try:
            generation = Generation(root, int(header["generation"]))
            delta = read_delta(root, header.get("delta"))
        except StoreError:
            if read_current(root) != header:
                continue
            raise
        return Opened(StoredCorpus(generation, delta, names), root, header)
    raise StoreError("the store kept changing while opening it")


# The database side -----------------------------------------------------------------------


def db_version() -> tuple[int, str]:
    """(version, token) of the published seeds: one primary-key read."""
    from tsunagari.matching.models import CorpusVersion

    row = CorpusVersion.objects.filter(pk=1).values_list("version", "token").first()
    return (int(row[0]), row[1]) if row else (0, "")


def bump(resource_ids: Iterable[int]) -> None:
    """Tell every store that these resources (or their embeddings) changed. Runs in the
    caller's transaction: the row lock on CorpusVersion orders the versions as their
    transactions commit."""
    from django.db import transaction
    from django.db.models import F

    from tsunagari.matching.models import CorpusVersion, SeedChange

    ids = sorted({int(pk) for pk in resource_ids})
    if not ids:
        return
    token = secrets.token_hex(8)
    with transaction.atomic():
        if not CorpusVersion.objects.filter(pk=1).update(version=F("version") + 1, token=token):
            CorpusVersion.objects.get_or_create(pk=1)
            CorpusVersion.objects.filter(pk=1).update(version=F("version") + 1, token=token)
        version = CorpusVersion.objects.values_list("version", flat=True).get(pk=1)
        SeedChange.objects.create(version=version, token=token, resource_ids=ids)
        if version % 1000 == 0:
            SeedChange.objects.filter(version__lte=version - CHANGES_KEPT).delete()


def changed_since(version: int, token: str, until: int) -> set[int] | None:
    """Resources changed by the versions after `version` up to `until`; None when the
    store's version is not in the database's history (restored, rolled back, pruned)."""
    from tsunagari.matching.models import SeedChange

    if version > 0 and not SeedChange.objects.filter(version=version, token=token).exists():
        return None
    found: set[int] = set()
    count = 0
    for ids in SeedChange.objects.filter(version__gt=version, version__lte=until).values_list(
        "resource_ids", flat=True
    ):
        found.update(ids)
        count += 1
    return found if count == until - version else None


def _published(ids: list[int] | None = None) -> Any:
    from tsunagari.directory.models import Resource

    qs = Resource.objects.published()
    return qs.filter(pk__in=ids) if ids is not None else qs


def published_ids(ids: list[int] | None = None) -> list[int]:
    return list(_published(ids).order_by("pk").values_list("pk", flat=True))


def rows_from_db(pks: list[int]) -> Iterator[Row]:
    """Rows of these resources that are published, in id order, a chunk at a time."""
    from tsunagari.matching import engine

    for start in range(0, len(pks), BUILD_CHUNK):
        chunk = pks[start : start + BUILD_CHUNK]
        resources = (
            _published(chunk)
            .select_related("embedding")
            .prefetch_related("kinds", "target_groups", "locations", "service_area", "schedules")
            .order_by("pk")
        )
        for resource in resources:
            stored = getattr(resource, "embedding", None)
            vector = embeddings.from_bytes(stored.vector) if stored is not None else None
            yield row_from_seed(engine.seed_from_resource(resource), vector)


def rebuild(root: Path) -> dict[str, Any]:
    """Build the store afresh from the database (takes the writer lock)."""
    with writer_lock(root):
        version, token = db_version()
        pks = published_ids()
        return build(root, rows_from_db(pks), len(pks), version, token)


def catch_up(root: Path) -> dict[str, Any]:
    """Bring the store up to the database's version: reload the changed resources, or
    rebuild when the store is missing, unreadable, of another format or not in the
    database's history. Takes the writer lock."""
    with writer_lock(root):
        version, token = db_version()
        current = read_current(root)
        if current is not None and (current["version"], current["token"]) == (version, token):
            return current
        changed = None
        if current is not None and current["version"] < version:
            changed = changed_since(current["version"], current["token"], version)
            if changed is not None and len(changed) > max(
                DELTA_MIN, REBUILD_SHARE * current["rows"]
            ):
                changed = None
            if changed is not None:
                try:
                    Generation(root, int(current["generation"]))
                    read_delta(root, current.get("delta"))
                except StoreError:
                    changed = None
        if changed is None:
            pks = published_ids()
            return build(root, rows_from_db(pks), len(pks), version, token)
        rows: dict[int, Row | None] = dict.fromkeys(changed)
        for row in rows_from_db(published_ids(sorted(changed))):
            rows[row.id] = row
        return apply(root, rows, version, token)
