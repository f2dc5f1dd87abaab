"""Japanese text as search tokens (検索語の正規化), the same for documents and queries.

Text is NFKC-normalised (full/half width), a few spellings Sudachi does not unify are
rewritten (ボランテイア → ボランティア), then SudachiPy splits it into words and gives each
its normalised form (子ども/こども/子供 → 子供, ひきこもり → 引き籠もり). Particles,
auxiliaries, symbols and spaces are dropped; tokens are lower-cased and keep only letters
and digits, so that SQLite FTS5 and PostgreSQL see exactly the same words.

A document is indexed with both its long units (SplitMode.C: 日本語) and their short parts
(SplitMode.A: 日本, 語). A query word matches a document when the document holds the long
unit or all of its short parts, so "日本語", "日本語教室", "居場所" and "食堂" all find what
a person expects. Every query word must match (AND).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Spellings Sudachi leaves apart (checked against sudachidict-core): written form → form
# Sudachi unifies. Applied to the NFKC text before tokenising.
VARIANTS: dict[str, str] = {
    "ボランテイア": "ボランティア",
    "ボランティヤ": "ボランティア",
    "ぼらんてぃあ": "ボランティア",
    "子そだて": "子育て",
    "こそだて": "子育て",
    "いばしょ": "居場所",
    "引籠り": "引きこもり",
    "引き篭もり": "引きこもり",
    "ひとりおや": "ひとり親",
    "にほんご": "日本語",
    "しょくどう": "食堂",
    "がいこくじん": "外国人",
    "ふーどばんく": "フードバンク",
    "フード・バンク": "フードバンク",
    "ふーどぱんとりー": "フードパントリー",
    "フード・パントリー": "フードパントリー",
    "ヤング・ケアラー": "ヤングケアラー",
    "サポート・センター": "サポートセンター",
}
_VARIANT_RE = re.compile("|".join(re.escape(k) for k in sorted(VARIANTS, key=len, reverse=True)))

# Parts of speech that carry no meaning for search.
DROPPED_POS = {"助詞", "助動詞", "補助記号", "記号", "空白"}

_local = threading.local()


def _tokenizer() -> Any:
    """One Sudachi tokenizer per thread (the tokenizer is not safe to share)."""
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        from sudachipy import Dictionary

        tokenizer = _local.tokenizer = Dictionary(dict="core").tokenizer()
    return tokenizer


def _clean(word: str) -> str:
    """Lower-case, letters and digits only (what both databases treat as one word)."""
    return "".join(c for c in word.lower() if unicodedata.category(c)[0] in "LN")


def prepare(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return _VARIANT_RE.sub(lambda m: VARIANTS[m.group(0)], text)


@dataclass(frozen=True)
class Word:
    """One long unit with its short parts: 日本語 → ("日本", "語")."""

    unit: str
    parts: tuple[str, ...]


@lru_cache(maxsize=20_000)
def words(text: str) -> tuple[Word, ...]:
    """The meaningful words of a text, as long units with their short parts."""
    from sudachipy import SplitMode

    text = prepare(text)
    if not text.strip():
        return ()
    result = []
    for morpheme in _tokenizer().tokenize(text, SplitMode.C):
        if morpheme.part_of_speech()[0] in DROPPED_POS:
            continue
        unit = _clean(morpheme.normalized_form())
        if not unit:
            continue
        parts = tuple(
            p
            for sub in morpheme.split(SplitMode.A)
            if sub.part_of_speech()[0] not in DROPPED_POS and (p := _clean(sub.normalized_form()))
        )
        result.append(Word(unit, parts if len(parts) > 1 else ()))
    return tuple(result)


def document_tokens(text: str) -> list[str]:
    """Tokens to index: each short part, then the long unit when it has several parts."""
    tokens: list[str] = []
    for word in words(text):
        if word.parts:
            tokens.extend(word.parts)
        tokens.append(word.unit)
    return tokens


# A query: a list of groups, all of which must match; a group matches when any of its
# alternatives does; an alternative matches when the document holds all of its tokens.
Query = list[list[tuple[str, ...]]]


def parse_query(text: str) -> Query:
    groups: Query = []
    for word in words(text[:200]):
        group: list[tuple[str, ...]] = [(word.unit,)]
        if word.parts:
            group.append(word.parts)
        if group not in groups:
            groups.append(group)
    return groups[:10]


def matches(query: Query, tokens: Iterable[str]) -> bool:
    """The reference matcher: what the database indexes must answer, in plain Python."""
    held = set(tokens)
    return all(any(held.issuperset(alt) for alt in group) for group in query)


def facet_expression(groups: list[list[str]], *, syntax: str) -> str:
    """Filter tokens (search.facet_tokens): every group must hold one of its tokens.

    syntax: "fts5" or "tsquery". The tokens are ASCII letters, digits, "_" and "-".
    """
    quote, both, either = ('"', " AND ", " OR ") if syntax == "fts5" else ("'", " & ", " | ")
    return both.join(
        "(" + either.join(f"{quote}{t}{quote}" for t in group) + ")" for group in groups
    )


def fts5_expression(query: Query) -> str:
    """The query in SQLite FTS5 syntax: ("日本語" OR ("日本" AND "語")) AND "教室"."""

    def alternative(alt: tuple[str, ...]) -> str:
        quoted = " AND ".join(f'"{t}"' for t in alt)
        return f"({quoted})" if len(alt) > 1 else quoted

    return " AND ".join("(" + " OR ".join(alternative(a) for a in g) + ")" for g in query)


def tsquery_expression(query: Query) -> str:
    """The query as a PostgreSQL tsquery literal (cast, not parsed: tokens stay whole)."""

    def alternative(alt: tuple[str, ...]) -> str:
        quoted = " & ".join(f"'{t}'" for t in alt)
        return f"({quoted})" if len(alt) > 1 else quoted

    return " & ".join("(" + " | ".join(alternative(a) for a in g) + ")" for g in query)


def tsvector_literal(weighted: Iterable[tuple[list[str], str]]) -> str:
    """A PostgreSQL tsvector literal with positions and weights, built without the parser.

    weighted: (tokens, weight letter) in document order, e.g. [(title, "A"), (body, "D")];
    the weight "" adds the tokens without positions (search filters, never ranked).
    """
    positions: dict[str, list[str]] = {}
    position = 0
    for tokens, weight in weighted:
        if not weight:
            for token in tokens:
                positions.setdefault(token, [])
            continue
        suffix = "" if weight == "D" else weight
        for token in tokens:
            position += 1
            held = positions.setdefault(token, [])
            # PostgreSQL keeps at most 256 positions per word and positions up to 16383.
            if len(held) < 255 and position < 16384:
                held.append(f"{position}{suffix}")
    return " ".join(
        f"'{token}':{','.join(p)}" if p else f"'{token}'" for token, p in positions.items()
    )
