"""The differencing attack on the public aggregates (issue 11, "privacy of the statistics").

An attacker fetches every query the public API answers for a fiscal year in which a small
city has months under 10, and subtracts every published count from every other one that
covers it, and every parent from the sum of its published children. Nothing between 1
and 9 may come out. Before the fixed grid, two overlapping windows (or a city's fiscal
year by month, or a city crossed with an age band) gave small counts back.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.test import TestCase, override_settings

from tsunagari.surveys import aggregates, scoring, services
from tsunagari.surveys.aggregates import MIN_CELL
from tsunagari.surveys.models import AgeBand, Help, SelfCheckHelpTally, SelfCheckTally

YEAR = 2024
MONTHS = [aggregates.add_months(dt.date(YEAR, 4, 1), i) for i in range(12)]
FUJISAWA, KAMAKURA, ZAMA, KIYOKAWA = "142051", "142042", "142158", "144029"
CITIES = [FUJISAWA, KAMAKURA, ZAMA, ""]  # "" = not answered
AGES = ["60s", "70s", "20s", ""]
# 座間市: months under 10, a year of 48 (the "one city").
ZAMA_MONTHS = [3, 0, 7, 12, 2, 0, 4, 9, 1, 0, 4, 6]

Box = tuple[frozenset[dt.date], frozenset[str] | None, frozenset[str] | None]  # None = all


@dataclass(frozen=True)
class Fact:
    """A count the attacker read: which answers it counts, and how many."""

    category: tuple[str, ...]
    months: frozenset[dt.date]
    cities: frozenset[str] | None  # None: every city
    ages: frozenset[str] | None  # None: every age band
    value: int

    def covers(self, other: Fact) -> bool:
        return (
            self.category == other.category
            and self.months >= other.months
            and (self.cities is None or (other.cities is not None and self.cities >= other.cities))
            and (self.ages is None or (other.ages is not None and self.ages >= other.ages))
            and self.box != other.box
        )

    @property
    def box(self) -> Box:
        return (self.months, self.cities, self.ages)


def months_of(key: str) -> frozenset[dt.date]:
    _, first, last = aggregates.parse_period(key)
    count = aggregates.months_between(first, last)
    return frozenset(aggregates.add_months(first, i) for i in range(count))


def facts_of(body: dict[str, Any]) -> Iterator[Fact]:
    """Every count a response gives away, with the answers it counts."""
    f = body["filters"]
    first, last = aggregates.parse_month(f["start"]), aggregates.parse_month(f["end"])
    months = frozenset(
        aggregates.add_months(first, i) for i in range(aggregates.months_between(first, last))
    )
    city = frozenset([f["city"]]) if f["city"] else None
    age = frozenset([f["age_band"]]) if f["age_band"] else None

    def fact(category: tuple[str, ...], value: int | None, box: Box) -> Iterator[Fact]:
        if value is not None:
            yield Fact(category, *box, value)

    def row(r: dict[str, Any], box: Box) -> Iterator[Fact]:
        yield from fact(("n",), r["n"], box)
        for name in ("indirect_lonely", "direct_lonely"):
            share = r[name]
            yield from fact((name,), share["count"], box)
            if share["count"] is not None:
                yield from fact((name, "rest"), share["total"] - share["count"], box)
                yield from fact(("n",), share["total"], box)

    whole: Box = (months, city, age)
    yield from row(body, whole)
    for cell in body["indirect_bands"]:
        yield from fact(("band", cell["key"]), cell["n"], whole)
    for cell in body["direct_levels"]:
        yield from fact(("level", cell["key"]), cell["n"], whole)
    helps = body["helps"]
    yield from fact(("help_answered",), helps["answered"], whole)
    if helps["answered"] is not None and body["n"] is not None:
        yield from fact(("help_skipped",), body["n"] - helps["answered"], whole)
    for item in helps["items"]:
        yield from fact(("help", item["key"]), item["n"], whole)
        if item["n"] is not None and helps["answered"] is not None:
            yield from fact(("help_rest", item["key"]), helps["answered"] - item["n"], whole)
    for r in body["by_city"]:
        yield from row(r, (months, frozenset([r["key"]]), age))
    for r in body["by_age_band"]:
        yield from row(r, (months, city, frozenset([r["key"]])))
    for r in body["over_time"]:
        yield from row(r, (months_of(r["key"]), city, age))


def small(value: int) -> bool:
    return 0 < value < MIN_CELL


def recovered(facts: set[Fact]) -> list[str]:
    """Every small count the attacker can work out: a fact itself, one fact minus another
    it covers, a parent minus the sum of its published children along one dimension."""
    found = [f"shown: {f}" for f in facts if small(f.value)]
    by_category: dict[tuple[str, ...], list[Fact]] = {}
    for f in facts:
        by_category.setdefault(f.category, []).append(f)
    for group in by_category.values():
        for parent in group:
            inside = [child for child in group if parent.covers(child)]
            for child in inside:
                if small(parent.value - child.value):
                    found.append(f"{parent} − {child}")
            # Parent minus disjoint published children, largest first, along each dimension.
            for dimension in range(3):
                same = [
                    c
                    for c in inside
                    if all(c.box[d] == parent.box[d] for d in range(3) if d != dimension)
                ]
                chosen: list[Fact] = []
                used: set[Any] = set()
                for child in sorted(same, key=lambda c: -len(c.box[dimension] or ())):
                    parts = set(child.box[dimension] or ())
                    if parts and not parts & used:
                        chosen.append(child)
                        used |= parts
                rest = parent.value - sum(c.value for c in chosen)
                if len(chosen) > 1 and small(rest):
                    found.append(f"{parent} − {len(chosen)} children = {rest}")
    return found


def load_year() -> None:
    """FY2024 with 藤沢市 (large), 鎌倉市 (some small months), 座間市 (ZAMA_MONTHS),
    unknown places, three age bands, every score band and direct level, what would help."""
    rng = random.Random(11)
    tallies: dict[tuple[Any, ...], int] = {}
    helps: dict[tuple[Any, ...], int] = {}
    size = {FUJISAWA: (8, 20), KAMAKURA: (0, 6), "": (0, 3)}
    for m, month in enumerate(MONTHS):
        for city in CITIES:
            total = ZAMA_MONTHS[m] if city == ZAMA else None
            ages = AGES if total is None else [rng.choice(AGES) for _ in range(total)]
            for age in ages:
                count = 1 if total is not None else rng.randint(*size[city])
                for _ in range(count):
                    band = rng.choice(scoring.BAND_ORDER)
                    direct = rng.randint(1, 5)
                    key = (month, city, age, band, direct)
                    tallies[key] = tallies.get(key, 0) + 1
                    chosen = rng.sample(Help.values, rng.randint(0, 2))
                    for code in [SelfCheckHelpTally.ANSWERED, *chosen] if chosen else []:
                        hkey = (month, city, age, code)
                        helps[hkey] = helps.get(hkey, 0) + 1
    SelfCheckTally.objects.bulk_create(
        SelfCheckTally(
            month=month, municipality_code=city, age_band=age, indirect_band=band, direct=d, n=n
        )
        for (month, city, age, band, d), n in tallies.items()
    )
    services.rebuild_month_tallies()  # as services.bump_tallies keeps it
    SelfCheckHelpTally.objects.bulk_create(
        SelfCheckHelpTally(month=month, municipality_code=city, age_band=age, help=code, n=n)
        for (month, city, age, code), n in helps.items()
    )


def periods() -> Iterator[tuple[dict[str, str], list[str]]]:
    """Every grid period of the fiscal year, asked the old way (start and end, which the
    old API understood too) with the breakdowns that make sense for it."""
    yield {"fiscal_year": str(YEAR)}, ["month", "quarter", "fiscal_year"]
    for q in range(4):
        first = MONTHS[q * 3]
        params = {"start": f"{first:%Y-%m}", "end": f"{MONTHS[q * 3 + 2]:%Y-%m}"}
        yield params, ["month", "quarter"]
    for month in MONTHS:
        yield {"start": f"{month:%Y-%m}", "end": f"{month:%Y-%m}"}, ["month"]


# The attacker may take all the time they like: the API's per-minute throttle is not
# what keeps the small counts, so this test asks everything at once.
@override_settings(API_THROTTLE_READS_PER_MINUTE=100_000)
class DifferencingAttackTests(TestCase):
    maxDiff = None

    @classmethod
    def setUpTestData(cls) -> None:
        load_year()

    def attack(self) -> tuple[set[Fact], int]:
        facts: set[Fact] = set()
        answered = 0
        places = ["", FUJISAWA, KAMAKURA, ZAMA, KIYOKAWA]  # 清川村: no answers at all
        for period, breakdowns in periods():
            for city in places:
                for age in ["", *AgeBand.values]:
                    for by in breakdowns:
                        query = {**period, "city": city, "age_band": age, "by": by}
                        query = {k: v for k, v in query.items() if v}
                        response = self.client.get("/api/v1/selfcheck/aggregates", query)
                        self.assertIn(response.status_code, (200, 400), query)
                        if response.status_code == 400:
                            # Off the grid: a clear JSON error naming the nearest query.
                            self.assertTrue(response.json()["nearest"]["period"], query)
                            continue
                        answered += 1
                        facts.update(facts_of(response.json()))
        return facts, answered

    def test_no_small_count_can_be_worked_out_from_every_public_answer(self) -> None:
        facts, answered = self.attack()
        self.assertGreater(answered, 40)
        # The attack had material: the small city's year and the prefecture's months.
        self.assertTrue(any(f.category == ("n",) and f.cities == frozenset([ZAMA]) for f in facts))
        self.assertTrue(any(f.category == ("n",) and len(f.months) == 1 for f in facts))
        self.assertEqual(recovered(facts), [])

    def test_the_attack_finds_what_overlapping_windows_gave_away(self) -> None:
        # The old API answered any start and end: 座間市 April–July (22) and April–June
        # (10), both at least 10, give July's 12 — and April–August minus April–July
        # gives August's 2.
        zama = frozenset([ZAMA])

        def window(months: int) -> Fact:
            return Fact(("n",), frozenset(MONTHS[:months]), zama, None, sum(ZAMA_MONTHS[:months]))

        found = recovered({window(3), window(4), window(5)})
        self.assertIn(f"{window(5)} − {window(4)}", found)

    def test_arbitrary_ranges_answer_400_with_the_nearest_period(self) -> None:
        response = self.client.get(
            "/api/v1/selfcheck/aggregates", {"start": "2024-04", "end": "2024-08"}
        )
        self.assertEqual(response.status_code, 400)
        body = response.json()
        self.assertIn("start", body["errors"])
        self.assertEqual(body["nearest"]["period"], "FY2024")
        self.assertIn("任意の期間", body["detail"])

    def test_the_truth_behind_the_published_counts(self) -> None:
        # What the attack reads is what the tallies hold (so its sums mean something).
        body = self.client.get(
            "/api/v1/selfcheck/aggregates", {"period": "FY2024", "city": ZAMA}
        ).json()
        self.assertEqual(body["n"], sum(ZAMA_MONTHS))
        self.assertEqual([r["key"] for r in body["over_time"]][-1], "FY2024")

    def test_the_headline_alone_is_the_results_pages_headline(self) -> None:
        # /visible/ reads only the headline (no distributions): the same counts and the
        # same hidden shares, for the small city's year and for each of its months.
        checked = []
        for params, _breakdowns in periods():
            for city in ["", FUJISAWA, ZAMA, KIYOKAWA]:
                for age in ["", "70s"]:
                    if (city or age) and ((city and age) or "fiscal_year" not in params):
                        continue  # a place or an age band: whole fiscal years, one at a time
                    query: dict[str, Any] = {**params, "city": city, "age_band": age}
                    filters = aggregates.make_filters(**query)
                    full = aggregates.compute(filters)
                    alone = aggregates.headline(filters)
                    self.assertEqual(
                        (alone.n, alone.indirect, alone.direct),
                        (full.n, full.indirect_lonely, full.direct_lonely),
                        (params, city, age),
                    )
                    checked.append(alone.indirect.percent is None)
        self.assertIn(True, checked)  # some were hidden
        self.assertIn(False, checked)  # and some shown
