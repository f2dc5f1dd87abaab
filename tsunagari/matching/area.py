"""Area levels between a need's place and a seed's places (地域の近さ).

Levels, best first: the same ward or municipality; the same designated city (a ward and
its city, or two wards of one city); prefecture-wide (code 140007) or online; elsewhere.
The repository holds no data on which municipalities neighbour each other, so there is no
"neighbouring" level: adding one needs an adjacency list from an official source.

The hierarchy is read from the geo app's reference CSV (the same file its migration
loads), so ranking works without the database (rank_seeds, the bench).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

PREFECTURE = "140007"
CSV_PATH = Path(__file__).resolve().parent.parent / "geo" / "data" / "kanagawa_municipalities.csv"

SAME = 3  # 同じ区 / 同じ市町村
SAME_CITY = 2  # 同じ市内
WIDE = 1  # 県全域・オンライン
ELSEWHERE = 0


@cache
def _rows() -> dict[str, tuple[str, str]]:
    """code → (kind, parent code)."""
    with CSV_PATH.open(encoding="utf-8") as f:
        return {r["code"]: (r["kind"], r["parent_code"]) for r in csv.DictReader(f)}


def is_ward(code: str) -> bool:
    return _rows().get(code, ("", ""))[0] == "ward"


def city_of(code: str) -> str:
    """The designated city of a ward, or the code itself."""
    kind, parent = _rows().get(code, ("", ""))
    return parent if kind == "ward" and parent else code


@cache
def same_city_codes(code: str) -> frozenset[str]:
    """Other codes within the same designated city: the city and all its wards."""
    city = city_of(code)
    if _rows().get(city, ("", ""))[0] != "designated_city":
        return frozenset()
    family = {c for c, (_, parent) in _rows().items() if parent == city} | {city}
    return frozenset(family - {code})


def level(need_code: str | None, seed_codes: tuple[str, ...], online: bool) -> int:
    """The area level of one seed for one need (the vectorised form is in engine.Corpus)."""
    if not need_code:
        return ELSEWHERE
    if need_code in seed_codes and need_code != PREFECTURE:
        return SAME
    if need_code != PREFECTURE and same_city_codes(need_code) & set(seed_codes):
        return SAME_CITY
    if online or PREFECTURE in seed_codes:
        return WIDE
    return ELSEWHERE
