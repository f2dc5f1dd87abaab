"""Lexical relevance: BM25 over the directory's Sudachi-normalised tokens (語の一致).

The tokens are those the directory's search index holds (directory.tokens), so 子ども and
子供, or ひきこもり and 引きこもり, count as the same word here too. The inverted index is
plain numpy: for every token, the documents holding it and its precomputed BM25 weight
there, so a query is a handful of vector additions.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from tsunagari.directory import tokens as directory_tokens
from tsunagari.matching import area

K1 = 1.2
B = 0.75

# Normalised forms that say nothing about what is needed or offered ("…できる場がほしい").
STOP_TOKENS = frozenset(
    {
        "出来る",
        "欲しい",
        "有る",
        "居る",
        "為る",
        "成る",
        "無い",
        "見付かる",
        "思う",
        "場",
        "所",
        "事",
        "物",
        "方",
        "達",
        "等",
        "人",
        "中",
        "その",
        "此の",
        "其の",
        "様",
        "行く",
        "来る",
        "いる",
        "ある",
        "する",
        "なる",
        "ない",
    }
)


# Words a reason 「…」が一致 never shows: they match almost any need and seed and tell a
# person nothing (探している, 活動, 市内). Place names are left out too (reason_stop_tokens):
# the area reason (同じ市町村) already says it better.
FILLER_TOKENS = frozenset(
    {
        "探す",
        "活動",
        "市",
        "区",
        "町",
        "村",
        "県",
        "内",
        "後",
        "地域",
        "場所",
        "参加",
        "方",
        "近く",
        "近所",
        "一緒",
        "知る",
        "情報",
        "利用",
        "必要",
        "紹介",
    }
)


def tokens(text: str) -> list[str]:
    """The text's index tokens (short parts and long units), without stop tokens."""
    return [t for t in directory_tokens.document_tokens(text) if t not in STOP_TOKENS]


@dataclass(frozen=True)
class NeedWords:
    """A need's tokens, and those its everyday words add through the lay-language table."""

    tokens: list[str]
    # Tokens of the lay table's words for the everyday words the need used (お年寄り →
    # 高齢者), not already among its own tokens; each with the table's word, for reasons.
    added: dict[str, str]

    @property
    def all(self) -> list[str]:
        return self.tokens + list(self.added)


def need_words(text: str) -> NeedWords:
    own = tokens(text)
    held = set(own)
    added: dict[str, str] = {}
    for _written, line in directory_tokens.lay_phrases(text):
        for word in line.words:
            for token in tokens(word):
                if token not in held and token not in added:
                    added[token] = word
    return NeedWords(own, added)


@cache
def reason_stop_tokens() -> frozenset[str]:
    """FILLER_TOKENS and every token of every municipality's name (藤沢市 → 藤沢, 市, 藤沢市;
    横浜市港北区 → … 港北, 港北区), read from the geo app's reference file."""
    found = set(FILLER_TOKENS)
    with area.CSV_PATH.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = row["name"]
            found.update(directory_tokens.document_tokens(name))
            if "市" in name[:-1]:  # a ward: its own name too (港北区)
                found.update(directory_tokens.document_tokens(name.split("市", 1)[1]))
    return frozenset(found)


def surfaces(text: str) -> dict[str, str]:
    """Normalised token → how the text wrote it (子供 → 子ども), for reasons shown to people."""
    from sudachipy import SplitMode

    found: dict[str, str] = {}
    prepared = directory_tokens.prepare(text)
    if not prepared.strip():
        return found
    for morpheme in directory_tokens._tokenizer().tokenize(prepared, SplitMode.C):
        unit = directory_tokens._clean(morpheme.normalized_form())
        if unit:
            found.setdefault(unit, morpheme.surface())
        for sub in morpheme.split(SplitMode.A):
            part = directory_tokens._clean(sub.normalized_form())
            if part:
                found.setdefault(part, sub.surface())
    return found


class BM25Index:
    """Okapi BM25 (k1 = 1.2, b = 0.75) over tokenised documents, in document order."""

    def __init__(self, documents: Sequence[Iterable[str]], k1: float = K1, b: float = B) -> None:
        counts = [Counter(doc) for doc in documents]
        self.size = len(counts)
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float32)
        average = float(lengths.mean()) if self.size and lengths.sum() else 1.0
        norm = k1 * (1 - b + b * lengths / average)
        doc_ids: dict[str, list[int]] = {}
        freqs: dict[str, list[int]] = {}
        for i, c in enumerate(counts):
            for token, tf in c.items():
                doc_ids.setdefault(token, []).append(i)
                freqs.setdefault(token, []).append(tf)
        self.idf: dict[str, float] = {}
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for token, ids in doc_ids.items():
            df = len(ids)
            idf = math.log(1 + (self.size - df + 0.5) / (df + 0.5))
            index = np.array(ids, dtype=np.int32)
            freq = np.array(freqs[token], dtype=np.float32)
            weight = idf * freq * (k1 + 1) / (freq + norm[index])
            self.idf[token] = idf
            self.postings[token] = (index, weight.astype(np.float32))
        self.token_sets = [frozenset(c) for c in counts]

    def scores(
        self, query: Iterable[str], added: Iterable[str] = (), added_weight: float = 1.0
    ) -> np.ndarray:
        """BM25 of every document for the query's distinct tokens; `added` tokens (the lay
        table's words) count `added_weight` times as much."""
        total = np.zeros(self.size, dtype=np.float32)
        own = set(query)
        for token in own:
            posting = self.postings.get(token)
            if posting is not None:
                total[posting[0]] += posting[1]
        for token in set(added) - own:
            posting = self.postings.get(token)
            if posting is not None:
                total[posting[0]] += added_weight * posting[1]
        return total

    def matched(self, query: Iterable[str], document: int) -> list[str]:
        """The query tokens the document holds, most telling (rarest, then longest) first."""
        held = self.token_sets[document]
        found = {t for t in query if t in held}
        return sorted(found, key=lambda t: (-round(self.idf.get(t, 0.0), 6), -len(t), t))
