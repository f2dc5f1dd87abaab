"""Lexical relevance: BM25 over the directory's Sudachi-normalised tokens (語の一致).

The tokens are those the directory's search index holds (directory.tokens), so 子ども and
子供, or ひきこもり and 引きこもり, count as the same word here too. The inverted index is
plain numpy: for every token, the documents holding it and its precomputed BM25 weight
there, so a query is a handful of vector additions.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from tsunagari.directory import tokens as directory_tokens

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


def tokens(text: str) -> list[str]:
    """The text's index tokens (short parts and long units), without stop tokens."""
    return [t for t in directory_tokens.document_tokens(text) if t not in STOP_TOKENS]


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

    def scores(self, query: Iterable[str]) -> np.ndarray:
        """BM25 of every document for the query's distinct tokens."""
        total = np.zeros(self.size, dtype=np.float32)
        for token in set(query):
            posting = self.postings.get(token)
            if posting is not None:
                total[posting[0]] += posting[1]
        return total

    def matched(self, query: Iterable[str], document: int) -> list[str]:
        """The query tokens the document holds, most telling (rarest, then longest) first."""
        held = self.token_sets[document]
        found = {t for t in query if t in held}
        return sorted(found, key=lambda t: (-round(self.idf.get(t, 0.0), 6), -len(t), t))
