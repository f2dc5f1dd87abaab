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

Everyday words reach service words through the lay-language table (lay_terms.py,
data/lay_terms.tsv): a query's お年寄り also accepts 高齢者, on the query side only.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tsunagari.directory import lay_terms

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


@dataclass(frozen=True)
class _Piece:
    """A morpheme as a lay phrase sees it: its key, and its Word unless it is an auxiliary.

    Auxiliaries (助動詞) are never searched for, but they tell 「家から出られない」 from
    「家を出たい」, so lay phrases are matched on them too.
    """

    key: str
    surface: str
    word: Word | None


# Negation is written ない (auxiliary) after a verb and ない (無い) after a noun.
_KEY_OF = {"ない": "無い"}


@lru_cache(maxsize=20_000)
def _pieces(text: str) -> tuple[_Piece, ...]:
    from sudachipy import SplitMode

    text = prepare(text)
    if not text.strip():
        return ()
    result = []
    for morpheme in _tokenizer().tokenize(text, SplitMode.C):
        pos = morpheme.part_of_speech()[0]
        if pos in DROPPED_POS and pos != "助動詞":
            continue
        unit = _clean(morpheme.normalized_form())
        if not unit:
            continue
        key = _KEY_OF.get(unit, unit)
        if pos == "助動詞":
            result.append(_Piece(key, morpheme.surface(), None))
            continue
        parts = tuple(
            p
            for sub in morpheme.split(SplitMode.A)
            if sub.part_of_speech()[0] not in DROPPED_POS and (p := _clean(sub.normalized_form()))
        )
        result.append(_Piece(key, morpheme.surface(), Word(unit, parts if len(parts) > 1 else ())))
    return tuple(result)


def words(text: str) -> tuple[Word, ...]:
    """The meaningful words of a text, as long units with their short parts."""
    return tuple(p.word for p in _pieces(text) if p.word is not None)


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
Alternative = tuple[str, ...]
MAX_ALTERNATIVES = 8  # per word or phrase: the ways its tokens may be written


def alternatives(found: Sequence[Word]) -> list[Alternative]:
    """How a document may hold these words: each as its long unit or all its short parts.

    居場所 → [(居場所), (居, 場所)]; お年寄り (御 + 年寄り) → [(御, 年寄り)].
    """
    combined: list[Alternative] = [()]
    for word in found:
        ways: list[Alternative] = [(word.unit,)] + ([word.parts] if word.parts else [])
        combined = [alt + way for alt in combined for way in ways][:MAX_ALTERNATIVES]
    return [tuple(dict.fromkeys(alt)) for alt in combined if alt]


def parse_query(text: str, table: lay_terms.Table | None = None) -> Query:
    """The query's groups. A lay phrase of the lay-language table (お年寄り, 家から出られない)
    is one group whose alternatives are the phrase itself and every word on its line, so
    everyday words reach service words on the query side and the index stays as it is."""
    pieces = _pieces(text[:200])
    groups: Query = []
    for start, end, line in _scan(pieces, table):
        group = alternatives([p.word for p in pieces[start:end] if p.word is not None])
        if line is not None:
            group += [alt for alt in line.alternatives if alt not in group]
        if group and group not in groups:
            groups.append(group)
    return groups[:10]


def lay_phrases(
    text: str, table: lay_terms.Table | None = None
) -> list[tuple[str, lay_terms.Line]]:
    """The lay phrases a text uses, as written, with their lines (for the matching engine)."""
    pieces = _pieces(text)
    return [
        ("".join(p.surface for p in pieces[start:end]), line)
        for start, end, line in _scan(pieces, table)
        if line is not None
    ]


def _scan(
    pieces: Sequence[_Piece], table: lay_terms.Table | None
) -> Iterator[tuple[int, int, lay_terms.Line | None]]:
    """Spans of the text, left to right: the longest lay phrase starting here with its
    line, else one word (auxiliaries alone are skipped)."""
    if table is None:
        from tsunagari.directory import lay_terms

        table = lay_terms.table()
    keys = [p.key for p in pieces]
    i = 0
    while i < len(pieces):
        for length in range(min(table.longest, len(pieces) - i), 0, -1):
            line = table.by_key.get(tuple(keys[i : i + length]))
            if line is not None:
                yield i, i + length, line
                i += length
                break
        else:
            if pieces[i].word is not None:
                yield i, i + 1, None
            i += 1


def phrase_key(text: str) -> tuple[str, ...]:
    """What a lay phrase is matched on: its words and auxiliaries, normalised."""
    return tuple(p.key for p in _pieces(text))


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
