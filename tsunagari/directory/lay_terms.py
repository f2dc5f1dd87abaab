"""The lay-language table (言い換え表): words residents type → words resources use.

One data file, data/lay_terms.tsv, read once per process and validated on load. Each line
is a group: the everyday words people type (お年寄り, 家から出られない) and the service
words the directory's resources are described with (高齢者, ひきこもり). A search for an
everyday word also finds every word of its line (tokens.parse_query), and the matching
engine adds the line's words to a need's text (matching/lexical.py). Service words are
not expanded: searching 高齢者 finds what says 高齢者.

Phrases are matched on Sudachi's normalised words with particles dropped and auxiliaries
kept, so 「家から出られない」 also matches 「家を出られない」 but not 「家を出たい」.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tsunagari.directory import tokens

PATH = Path(__file__).resolve().parent / "data" / "lay_terms.tsv"
HEADER = ("ふだんの言葉", "資源の言葉", "メモ")
SEPARATOR = "/"  # full-width ／ too (NFKC)


class LayTermsError(ValueError):
    """The table cannot be used as written; the message names the file and the line."""


@dataclass(frozen=True)
class Line:
    """One group of the table."""

    number: int  # in the file, for messages
    everyday: tuple[str, ...]
    service: tuple[str, ...]
    note: str
    # How a document may hold each word of the line (tokens.alternatives), in order.
    alternatives: tuple[tokens.Alternative, ...]

    @property
    def words(self) -> tuple[str, ...]:
        return self.everyday + self.service

    def pairs(self) -> list[tuple[str, str]]:
        return [(e, s) for e in self.everyday for s in self.service]


@dataclass(frozen=True)
class Table:
    lines: tuple[Line, ...]
    by_key: dict[tuple[str, ...], Line]  # an everyday phrase's key → its line
    longest: int  # the most pieces in a key

    def pairs(self) -> list[tuple[str, str]]:
        return [pair for line in self.lines for pair in line.pairs()]


EMPTY = Table((), {}, 0)


def _terms(cell: str, where: str, column: str) -> tuple[str, ...]:
    cell = unicodedata.normalize("NFKC", cell).strip()
    if not cell:
        raise LayTermsError(f"{where}: 「{column}」が空です。")
    terms = tuple(t.strip() for t in cell.split(SEPARATOR))
    if any(not t for t in terms):
        raise LayTermsError(f"{where}: 「{column}」に空の言葉があります（「//」や末尾の「/」）。")
    return terms


def parse(text: str, name: str = PATH.name) -> Table:
    """The table from the file's text; LayTermsError on the first problem found."""
    rows = [
        (number, row)
        for number, row in enumerate(csv.reader(text.splitlines(), delimiter="\t"), start=1)
        if row and any(c.strip() for c in row) and not row[0].lstrip().startswith("#")
    ]
    if not rows:
        raise LayTermsError(f"{name}: 見出しの行も言い換えの行もありません。")
    number, header = rows[0]
    if tuple(c.strip() for c in header[: len(HEADER)]) != HEADER:
        raise LayTermsError(
            f"{name}:{number}: 最初の行は見出し「{'」「'.join(HEADER)}」（タブ区切り）にします。"
        )
    lines: list[Line] = []
    by_key: dict[tuple[str, ...], Line] = {}
    seen: dict[str, int] = {}
    for number, row in rows[1:]:
        where = f"{name}:{number}"
        if len(row) < 2 or len(row) > 3:
            raise LayTermsError(
                f"{where}: タブで区切った2列（ふだんの言葉、資源の言葉）か3列（メモつき）にします。"
            )
        everyday = _terms(row[0], where, HEADER[0])
        service = _terms(row[1], where, HEADER[1])
        for term in everyday + service:
            if not tokens.words(term):
                raise LayTermsError(
                    f"{where}: 「{term}」は検索できる言葉になりません（助詞や記号だけです）。"
                )
        for term in everyday:
            if term in seen:
                raise LayTermsError(f"{where}: 「{term}」は{seen[term]}行目にもあります。")
            seen[term] = number
        for term in service:
            if service.count(term) > 1:
                raise LayTermsError(f"{where}: 資源の言葉「{term}」が2回あります。")
        found: list[tokens.Alternative] = []
        for term in everyday + service:
            found += [a for a in tokens.alternatives(tokens.words(term)) if a not in found]
        line = Line(number, everyday, service, row[2].strip() if len(row) > 2 else "", tuple(found))
        for term in everyday:
            key = tokens.phrase_key(term)
            other = by_key.get(key)
            if other is not None and other is not line:
                raise LayTermsError(
                    f"{where}: 「{term}」は{other.number}行目の言葉と同じ語として読まれます"
                    f"（{'・'.join(key)}）。どちらか一方の行にまとめてください。"
                )
            by_key[key] = line
        lines.append(line)
    if not lines:
        raise LayTermsError(f"{name}: 言い換えの行がありません。")
    return Table(tuple(lines), by_key, max(len(k) for k in by_key))


def load(path: Path = PATH) -> Table:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise LayTermsError(f"{path}: 読めません（{error.strerror}）。") from error
    return parse(text, path.name)


@cache
def table() -> Table:
    """The project's table, read once per process (restart after editing the file)."""
    return load()
