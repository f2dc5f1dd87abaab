"""Aggregates of the self-check: filters, Wilson intervals and every suppression boundary."""

from __future__ import annotations

import datetime as dt

from django.test import SimpleTestCase, TestCase
from django.utils import translation

from tsunagari.geo.models import Municipality
from tsunagari.surveys import aggregates, scoring, services
from tsunagari.surveys.aggregates import MIN_CELL, FilterError, Filters, make_filters
from tsunagari.surveys.models import Help, SelfCheckHelpTally, SelfCheckTally

TODAY = dt.date(2025, 7, 30)
JULY = dt.date(2025, 7, 1)
FUJISAWA, KAMAKURA, ZAMA = "142051", "142042", "142158"


def tally(
    n: int,
    *,
    band: str = "hardly",
    direct: int = 2,
    city: str = FUJISAWA,
    age: str = "60s",
    month: dt.date = JULY,
) -> None:
    SelfCheckTally.objects.create(
        month=month, municipality_code=city, age_band=age, indirect_band=band, direct=direct, n=n
    )
    services.rebuild_month_tallies()  # as services.bump_tallies keeps it


def help_tally(
    n: int,
    help: str = "talk",
    *,
    city: str = FUJISAWA,
    age: str = "60s",
    month: dt.date = JULY,
) -> None:
    SelfCheckHelpTally.objects.create(
        month=month, municipality_code=city, age_band=age, help=help, n=n
    )


def answered(n: int, **where: object) -> None:
    """n responses that chose at least one help (the denominator), and their self-checks."""
    help_tally(n, SelfCheckHelpTally.ANSWERED, **where)  # type: ignore[arg-type]
    tally(n, band="never", direct=1, **where)  # type: ignore[arg-type]


def filters(period: str = "FY2025", **overrides: object) -> Filters:
    """Filters of a period of the grid (the fiscal year of JULY by default)."""
    kind, start, end = aggregates.parse_period(period)
    values: dict[str, object] = {"start": start, "end": end, "period": kind}
    if kind == aggregates.BY_FISCAL_YEAR:
        values["fiscal_year"] = start.year
    values.update(overrides)
    return Filters(**values)  # type: ignore[arg-type]


class WilsonTests(SimpleTestCase):
    def test_it_matches_a_hand_worked_interval(self) -> None:
        # p = .45, z = 1.96: centre .45185, half-width .09571 (Wilson 1927, eq. 4)
        low, high = aggregates.wilson(45, 100)
        self.assertAlmostEqual(low, 0.35615, delta=0.00005)  # [0.3561, 0.5475] to 4 places
        self.assertAlmostEqual(high, 0.54755, delta=0.00005)

    def test_it_stays_inside_zero_and_one(self) -> None:
        self.assertEqual(aggregates.wilson(0, 10)[0], 0.0)
        self.assertAlmostEqual(aggregates.wilson(10, 10)[1], 1.0)
        self.assertGreater(aggregates.wilson(0, 10)[1], 0.25)

    def test_a_share_shows_as_percent_with_its_interval(self) -> None:
        share = aggregates.make_share(45, 100)
        with translation.override("ja"):
            self.assertEqual(share.text, "45.0%（95%信頼区間 35.6–54.8%）")
        self.assertEqual((share.percent, share.low_percent, share.high_percent), (45.0, 35.6, 54.8))


class ShareSuppressionTests(SimpleTestCase):
    def test_a_denominator_under_ten_hides_the_share(self) -> None:
        self.assertFalse(aggregates.make_share(5, 9).shown)

    def test_the_smallest_safe_share_is_shown(self) -> None:
        self.assertTrue(aggregates.make_share(10, 20).shown)

    def test_a_numerator_under_ten_hides_the_share(self) -> None:
        # 9 of 100 shown as 9.0% next to n = 100 would give the count 9 back.
        self.assertFalse(aggregates.make_share(9, 100).shown)

    def test_the_rest_under_ten_hides_the_share(self) -> None:
        self.assertFalse(aggregates.make_share(91, 100).shown)
        self.assertTrue(aggregates.make_share(90, 100).shown)

    def test_a_hidden_share_shows_the_suppressed_mark(self) -> None:
        self.assertEqual(aggregates.make_share(9, 100).text, "<10")
        self.assertIsNone(aggregates.make_share(9, 100).as_json()["percent"])


class BlockTests(SimpleTestCase):
    """Blocks of a margin: each 0 or at least MIN_CELL; figures only for whole blocks."""

    def test_safe_leaves_are_blocks_of_their_own(self) -> None:
        blocks, bad = aggregates.make_blocks([(10,), (50,), (0,)])
        self.assertEqual(sorted(map(sorted, blocks)), [[0], [1], [2]])
        self.assertEqual(bad, frozenset())

    def test_a_small_leaf_joins_the_next_smallest(self) -> None:
        blocks, _ = aggregates.make_blocks([(9,), (60,), (50,)])
        self.assertIn(frozenset({0, 2}), blocks)

    def test_small_leaves_that_add_up_to_ten_are_one_block(self) -> None:
        blocks, _ = aggregates.make_blocks([(5,), (5,), (60,)])
        self.assertIn(frozenset({0, 1}), blocks)

    def test_small_leaves_under_ten_together_take_another(self) -> None:
        blocks, _ = aggregates.make_blocks([(3,), (4,), (60,), (70,)])
        self.assertIn(frozenset({0, 1, 2}), blocks)

    def test_a_group_with_a_small_leaf_becomes_one_block(self) -> None:
        # Months of two quarters: the first quarter has a 4, so it is published whole.
        blocks, _ = aggregates.make_blocks(
            [(4,), (20,), (30,), (10,), (10,), (10,)], [[0, 1, 2], [3, 4, 5]]
        )
        self.assertIn(frozenset({0, 1, 2}), blocks)
        self.assertIn(frozenset({3}), blocks)

    def test_every_part_of_a_vector_must_be_safe(self) -> None:
        # (lonely, others): 5 lonely of 40 is not safe, so the leaf joins another.
        blocks, _ = aggregates.make_blocks([(5, 35), (20, 20), (30, 30)])
        self.assertIn(frozenset({0, 1}), blocks)

    def test_when_the_whole_is_small_nothing_is_published(self) -> None:
        _, bad = aggregates.make_blocks([(3,), (0,)])
        self.assertEqual(bad, frozenset({0}))  # an empty leaf would not make it safe
        margin = aggregates.Margin(["a", "b"])
        margin.add(aggregates.N, "a", (3,))
        self.assertFalse(margin.published(aggregates.N, [0, 1]))
        self.assertFalse(margin.published(aggregates.N, [0]))
        self.assertTrue(margin.published(aggregates.N, [1]))  # 0: reveals nobody

    def test_a_set_of_leaves_is_published_only_as_whole_blocks(self) -> None:
        margin = aggregates.Margin(["a", "b", "c"])
        for key, n in (("a", 9), ("b", 60), ("c", 50)):
            margin.add(aggregates.N, key, (n,))
        self.assertFalse(margin.published(aggregates.N, [0]))
        self.assertFalse(margin.published(aggregates.N, [2]))
        self.assertTrue(margin.published(aggregates.N, [0, 2]))
        self.assertTrue(margin.published(aggregates.N, [1]))
        self.assertTrue(margin.published(aggregates.N, [0, 1, 2]))


class FilterTests(TestCase):
    def test_the_default_is_the_current_fiscal_year(self) -> None:
        f = make_filters(today=TODAY)
        self.assertEqual((f.start, f.end), (dt.date(2025, 4, 1), dt.date(2026, 3, 1)))
        self.assertEqual((f.period, f.fiscal_year, f.by), ("fiscal_year", 2025, "quarter"))

    def test_a_fiscal_year_runs_from_april_to_march(self) -> None:
        f = make_filters(fiscal_year="2024", start="2020-01", today=TODAY)
        self.assertEqual(
            (f.start, f.end, f.fiscal_year), (dt.date(2024, 4, 1), dt.date(2025, 3, 1), 2024)
        )

    def test_periods_of_the_grid_are_years_quarters_and_months(self) -> None:
        cases = {
            "FY2024": (dt.date(2024, 4, 1), dt.date(2025, 3, 1), "fiscal_year"),
            "FY2024-Q1": (dt.date(2024, 4, 1), dt.date(2024, 6, 1), "quarter"),
            "FY2024-Q4": (dt.date(2025, 1, 1), dt.date(2025, 3, 1), "quarter"),
            "2025-02": (dt.date(2025, 2, 1), dt.date(2025, 2, 1), "month"),
        }
        for key, expected in cases.items():
            with self.subTest(key):
                f = make_filters(period=key, today=TODAY)
                self.assertEqual((f.start, f.end, f.period), expected)
                self.assertEqual(f.period_key, key)

    def test_it_rejects_a_period_that_is_not_one(self) -> None:
        for bad in ("FY2024-Q5", "2024-13", "2024", "FY24", "1999-04", "2024-Q1"):
            with self.subTest(bad), self.assertRaises(FilterError) as caught:
                make_filters(period=bad, today=TODAY)
            self.assertIn("period", caught.exception.problems)
            self.assertIsNone(caught.exception.fallback)

    def test_a_start_and_end_that_are_a_quarter_are_that_quarter(self) -> None:
        f = make_filters(start="2025-01", end="2025-03", today=TODAY)
        self.assertEqual(f.period_key, "FY2024-Q4")
        self.assertEqual(make_filters(start="2025-01", end="2025-01").period_key, "2025-01")

    def test_any_other_range_falls_back_to_the_fiscal_year_of_its_end(self) -> None:
        with self.assertRaises(FilterError) as caught:
            make_filters(start="2024-08", end="2025-07", today=TODAY)
        self.assertIn("start", caught.exception.problems)
        self.assertEqual(
            caught.exception.fallback, {"period": "FY2025", "city": "", "age_band": ""}
        )
        with self.assertRaises(FilterError):
            make_filters(start="2023-04", today=TODAY)  # to this month: not a period either

    def test_a_city_or_an_age_band_is_for_fiscal_years_only(self) -> None:
        with self.assertRaises(FilterError) as caught:
            make_filters(period="FY2025-Q1", city=FUJISAWA, today=TODAY)
        self.assertEqual(
            caught.exception.fallback, {"period": "FY2025", "city": FUJISAWA, "age_band": ""}
        )
        with self.assertRaises(FilterError) as caught:
            make_filters(period="2025-05", age_band="60s", today=TODAY)
        self.assertEqual(
            caught.exception.fallback, {"period": "FY2025", "city": "", "age_band": "60s"}
        )
        f = make_filters(period="FY2025", city=FUJISAWA, by="month", today=TODAY)
        self.assertEqual(f.by, "fiscal_year")  # its trend is by fiscal year

    def test_a_city_and_an_age_band_together_fall_back_to_the_city(self) -> None:
        with self.assertRaises(FilterError) as caught:
            make_filters(city=FUJISAWA, age_band="60s", today=TODAY)
        self.assertIn("age_band", caught.exception.problems)
        self.assertEqual(
            caught.exception.fallback, {"period": "FY2025", "city": FUJISAWA, "age_band": ""}
        )

    def test_the_staff_export_takes_any_range(self) -> None:
        f = make_filters(grid=False, today=TODAY)
        self.assertEqual((f.start, f.end), (dt.date(2024, 8, 1), JULY))
        f = make_filters(start="2023-04", grid=False, today=TODAY)
        self.assertEqual((f.start, f.end), (dt.date(2023, 4, 1), JULY))
        f = make_filters(end="2024-03", grid=False, today=TODAY)
        self.assertEqual((f.start, f.end), (dt.date(2023, 4, 1), dt.date(2024, 3, 1)))
        f = make_filters(start="2024-08", end="2025-07", city=FUJISAWA, age_band="60s", grid=False)
        self.assertEqual((f.period, f.city, f.age_band), ("", FUJISAWA, "60s"))

    def test_it_names_every_bad_parameter(self) -> None:
        with self.assertRaises(FilterError) as caught:
            make_filters(start="2024-13", city="141011", age_band="teen", by="week", today=TODAY)
        self.assertEqual(set(caught.exception.problems), {"start", "city", "age_band", "by"})

    def test_it_rejects_an_end_before_the_start(self) -> None:
        with self.assertRaises(FilterError) as caught:
            make_filters(start="2025-05", end="2025-01", grid=False, today=TODAY)
        self.assertIn("end", caught.exception.problems)

    def test_it_rejects_a_fiscal_year_that_is_not_a_year(self) -> None:
        for bad in ("abc", "24", 3000):
            with self.subTest(bad), self.assertRaises(FilterError):
                make_filters(fiscal_year=bad, today=TODAY)

    def test_it_rejects_more_than_ten_years(self) -> None:
        with self.assertRaises(FilterError):
            make_filters(start="2010-01", end="2025-07", grid=False, today=TODAY)


class PeriodLabelTests(SimpleTestCase):
    def test_quarters_follow_the_fiscal_year_in_wareki(self) -> None:
        with translation.override("ja"):
            april = aggregates.period_label(dt.date(2024, 4, 1), aggregates.BY_QUARTER)
            january = aggregates.period_label(dt.date(2025, 1, 1), aggregates.BY_QUARTER)
            self.assertEqual(april, "令和6年度 第1四半期（4〜6月）")
            self.assertEqual(january, "令和6年度 第4四半期（1〜3月）")
            self.assertEqual(aggregates.fiscal_year_label(2019), "令和元年度")
        self.assertEqual(
            aggregates.period_key(dt.date(2025, 1, 1), aggregates.BY_QUARTER), "FY2024-Q4"
        )


class ComputeTests(TestCase):
    def test_nine_responses_show_no_count_and_ten_do(self) -> None:
        tally(9)
        self.assertIsNone(aggregates.compute(filters()).n)
        tally(1, direct=1)
        self.assertEqual(aggregates.compute(filters()).n, 10)

    def test_a_band_count_of_nine_hides_the_whole_distribution(self) -> None:
        tally(9, band="never")
        tally(30, band="hardly")
        tally(40, band="sometimes")
        tally(50, band="always")
        result = aggregates.compute(filters())
        bands = {c.key: c.n for c in result.indirect_bands}
        # The whole breakdown goes: any shown band would let the 9 be worked out.
        self.assertEqual(bands, dict.fromkeys(("never", "hardly", "sometimes", "always")))
        self.assertEqual(result.n, 129)
        self.assertTrue(result.indirect_lonely.shown)  # 90 of 129: both parts safe

    def test_a_band_count_of_ten_is_shown(self) -> None:
        tally(10, band="never")
        tally(30, band="hardly")
        tally(40, band="sometimes")
        tally(50, band="always")
        bands = {c.key: c.n for c in aggregates.compute(filters()).indirect_bands}
        self.assertEqual(bands, {"never": 10, "hardly": 30, "sometimes": 40, "always": 50})

    def test_the_lonely_share_cannot_reveal_a_hidden_band(self) -> None:
        # lonely = sometimes + always is shown as a share; always (5) must not be
        # recoverable as lonely − sometimes, so sometimes is hidden with it.
        tally(30, band="never")
        tally(40, band="hardly")
        tally(40, band="sometimes")
        tally(5, band="always")
        result = aggregates.compute(filters())
        self.assertTrue(result.indirect_lonely.shown)
        bands = {c.key: c.n for c in result.indirect_bands}
        self.assertEqual(bands, dict.fromkeys(("never", "hardly", "sometimes", "always")))

    def test_lonely_shares_use_the_national_definitions(self) -> None:
        tally(55, band="hardly", direct=2)
        tally(30, band="sometimes", direct=3)
        tally(15, band="always", direct=5)
        result = aggregates.compute(filters())
        self.assertEqual(result.indirect_lonely.count, 45)  # 7–12
        self.assertEqual(result.direct_lonely.count, 45)  # 3–5
        self.assertEqual(result.indirect_lonely.percent, 45.0)

    def test_a_small_city_is_hidden_with_the_next_smallest(self) -> None:
        tally(9, city=ZAMA)
        tally(20, city=KAMAKURA, band="sometimes", direct=3)
        tally(20, city=KAMAKURA)
        tally(100, city=FUJISAWA)
        tally(100, city=FUJISAWA, band="always", direct=5)
        rows = {r.key: r for r in aggregates.compute(filters()).by_city}
        self.assertIsNone(rows[ZAMA].n)
        self.assertIsNone(rows[KAMAKURA].n)  # else 座間 = total − the others
        self.assertFalse(rows[KAMAKURA].indirect.shown)
        self.assertEqual(rows[FUJISAWA].n, 200)
        self.assertEqual(rows[FUJISAWA].indirect.percent, 50.0)

    def test_a_city_with_ten_responses_is_shown(self) -> None:
        tally(10, city=ZAMA)
        tally(10, city=KAMAKURA)
        tally(200, city=FUJISAWA)
        rows = {r.key: r.n for r in aggregates.compute(filters()).by_city}
        self.assertEqual((rows[ZAMA], rows[KAMAKURA], rows[FUJISAWA]), (10, 10, 200))

    def test_a_share_hidden_in_one_row_is_hidden_in_another(self) -> None:
        # 藤沢 has 5 lonely of 100: hidden. The total lonely is published, so the next
        # smallest lonely count (鎌倉) is hidden too.
        tally(95, city=FUJISAWA)
        tally(5, city=FUJISAWA, band="always")
        tally(50, city=KAMAKURA)
        tally(30, city=KAMAKURA, band="sometimes")
        tally(60, city=ZAMA)
        tally(60, city=ZAMA, band="sometimes")
        rows = {r.key: r for r in aggregates.compute(filters()).by_city}
        self.assertFalse(rows[FUJISAWA].indirect.shown)
        self.assertFalse(rows[KAMAKURA].indirect.shown)
        self.assertTrue(rows[ZAMA].indirect.shown)
        self.assertEqual(rows[FUJISAWA].n, 100)

    def test_a_city_is_a_fiscal_year_with_every_city_beside_it_and_no_age_bands(self) -> None:
        tally(20, city=FUJISAWA, age="60s")
        tally(30, city=FUJISAWA, age="70s")
        tally(40, city=KAMAKURA, age="60s")
        result = aggregates.compute(filters(city=FUJISAWA))
        self.assertEqual(result.n, 50)
        self.assertEqual({r.key: r.n for r in result.by_city}[KAMAKURA], 40)
        self.assertTrue(next(r for r in result.by_city if r.key == FUJISAWA).selected)
        self.assertEqual(result.by_age, [])  # never a city crossed with an age band
        self.assertEqual([r.key for r in result.over_time][-2:], ["FY2024", "FY2025"])
        result = aggregates.compute(filters(age_band="60s"))
        self.assertEqual((result.n, result.by_city), (60, []))
        self.assertEqual({r.key: r.n for r in result.by_age}["70s"], 30)

    def test_a_quarter_or_a_month_has_no_distribution_and_no_breakdown(self) -> None:
        tally(50, band="sometimes")
        tally(50, band="hardly")
        result = aggregates.compute(filters("FY2025-Q2"))
        self.assertEqual(result.n, 100)
        self.assertTrue(result.indirect_lonely.shown)
        self.assertFalse(result.distributions_shown)
        self.assertTrue(all(c.n is None for c in result.indirect_bands))
        self.assertEqual((result.by_city, result.by_age), ([], []))
        self.assertEqual([r.key for r in result.over_time], ["FY2025-Q2"])
        by_month = aggregates.compute(filters("FY2025-Q2", by=aggregates.BY_MONTH)).over_time
        self.assertEqual(
            [(r.key, r.n) for r in by_month],
            [("2025-07", 100), ("2025-08", None), ("2025-09", None)],
        )

    def test_a_small_month_is_shown_only_as_part_of_its_quarter(self) -> None:
        tally(4, month=dt.date(2025, 4, 1))
        tally(20, month=dt.date(2025, 5, 1))
        tally(30, month=dt.date(2025, 6, 1))
        tally(40)
        months = aggregates.compute(filters(by=aggregates.BY_MONTH)).over_time
        self.assertEqual([r.n for r in months[:4]], [None, None, None, 40])
        self.assertEqual(aggregates.compute(filters()).over_time[0].n, 54)
        # May alone (20) would give April back as the quarter minus May and June.
        self.assertIsNone(aggregates.compute(filters("2025-05")).n)

    def test_months_outside_the_period_are_not_counted(self) -> None:
        tally(20, month=dt.date(2024, 7, 1))
        tally(30)
        self.assertEqual(aggregates.compute(filters()).n, 30)

    def test_quarters_add_up_their_months(self) -> None:
        tally(10, month=dt.date(2025, 4, 1))
        tally(15, month=dt.date(2025, 6, 1))
        tally(50, month=dt.date(2025, 7, 1))
        rows = aggregates.compute(filters()).over_time
        self.assertEqual(
            [(r.key, r.n) for r in rows],
            [("FY2025-Q1", 25), ("FY2025-Q2", 50), ("FY2025-Q3", None), ("FY2025-Q4", None)],
        )

    def test_by_month_lists_every_month_even_empty_ones(self) -> None:
        tally(50)
        rows = aggregates.compute(filters(by=aggregates.BY_MONTH)).over_time
        self.assertEqual(len(rows), 12)
        self.assertEqual(rows[3].n, 50)  # July
        self.assertEqual(rows[0].n_text, "<10")

    def test_it_reads_only_the_tallies_in_four_queries(self) -> None:
        tally(50)
        answered(30)
        help_tally(30)
        with self.assertNumQueries(4):  # municipalities + the roll-up + two GROUP BYs
            aggregates.compute(filters())

    def test_national_figures_come_from_the_national_module(self) -> None:
        result = aggregates.compute(filters())
        self.assertEqual([f.percent for f in result.national_direct], [36.4, 40.3, 39.3, 39.3])
        self.assertEqual([f.percent for f in result.national_indirect], [None, None, None, 45.7])

    def test_the_threshold_is_ten(self) -> None:
        self.assertEqual(MIN_CELL, 10)


class HelpsTests(TestCase):
    """What would help: shares of those who answered (optional, multiple choice),
    published for a fiscal year only when every part of every help is safe."""

    def helps(self, **overrides: object) -> aggregates.Helps:
        return aggregates.compute(filters(**overrides)).helps  # type: ignore[arg-type]

    def cell(self, key: str, **overrides: object) -> aggregates.HelpCell:
        return next(c for c in self.helps(**overrides).cells if c.key == key)

    def test_every_help_is_listed_in_order_even_unchosen_ones(self) -> None:
        answered(100)
        help_tally(45)
        helps = self.helps()
        self.assertEqual([c.key for c in helps.cells], list(Help.values))
        self.assertEqual([c.label for c in helps.cells], [str(x) for x in Help.labels])
        self.assertIsNone(self.cell("hobby").n)  # 0: shown as suppressed like any count < 10
        self.assertFalse(self.cell("hobby").share.shown)
        self.assertEqual(self.cell("talk").n, 45)

    def test_the_denominator_is_those_who_answered_not_every_response(self) -> None:
        tally(200)  # 300 self-checks, of which 100 answered the optional question
        answered(100)
        help_tally(45, "talk")
        help_tally(70, "place")  # multiple choice: 45 + 70 > 100
        helps = self.helps()
        self.assertEqual(helps.answered, 100)
        talk = self.cell("talk")
        self.assertEqual(talk.n, 45)
        self.assertEqual(talk.share.total, 100)
        # 45 of 100: the hand-worked Wilson interval of WilsonTests.
        self.assertEqual(
            (talk.share.percent, talk.share.low_percent, talk.share.high_percent),
            (45.0, 35.6, 54.8),
        )
        self.assertEqual(self.cell("place").share.percent, 70.0)

    def test_responses_that_skip_the_question_are_not_in_the_denominator(self) -> None:
        day = dt.date(2025, 7, 3)
        fujisawa = Municipality.objects.get(code=FUJISAWA)
        for helps, times in ((["talk"], 20), (["money", "talk"], 10), ([], 15)):
            for _ in range(times):
                services.record_selfcheck(
                    scoring.score([2, 2, 2], 2),
                    helps=helps,
                    municipality=fujisawa,
                    age_band="60s",
                    answered_on=day,
                )
        result = aggregates.compute(filters())
        self.assertEqual((result.n, result.helps.answered), (45, 30))
        money = self.cell("money")
        self.assertEqual((money.n, money.share.percent), (10, 33.3))
        talk = self.cell("talk")
        self.assertEqual(talk.n, 30)  # everyone who answered: the rest, 0, reveals nobody
        self.assertFalse(talk.share.shown)  # but a share of 100% needs a rest of 10

    def test_filters_apply_to_the_helps_like_to_every_table(self) -> None:
        answered(40, city=FUJISAWA, age="60s")
        help_tally(20, "talk", city=FUJISAWA, age="60s")
        answered(50, city=FUJISAWA, age="70s")
        help_tally(40, "talk", city=FUJISAWA, age="70s")
        answered(60, city=KAMAKURA, age="60s")
        help_tally(15, "talk", city=KAMAKURA, age="60s")
        answered(70, city=FUJISAWA, age="60s", month=dt.date(2024, 7, 1))  # FY2024
        help_tally(70, "talk", city=FUJISAWA, age="60s", month=dt.date(2024, 7, 1))
        cases: dict[str, tuple[dict[str, object], int, int]] = {
            "everything": ({}, 150, 75),
            "city": ({"city": FUJISAWA}, 90, 60),
            "age band": ({"age_band": "60s"}, 100, 35),
            "another fiscal year": ({"period": "FY2024"}, 70, 70),
        }
        for name, (overrides, denominator, count) in cases.items():
            with self.subTest(name):
                helps = self.helps(**overrides)
                talk = next(c for c in helps.cells if c.key == "talk")
                self.assertEqual((helps.answered, talk.n), (denominator, count))
                if denominator - count >= MIN_CELL:
                    self.assertEqual(talk.share.total, denominator)
                    self.assertEqual(talk.share.percent, round(count * 100 / denominator, 1))

    def test_a_help_chosen_by_nine_hides_every_help(self) -> None:
        # Any help shown beside the others and the denominator could be subtracted from
        # another fiscal year's or place's: the whole table goes, not the one cell.
        answered(100)
        help_tally(9, "talk")
        help_tally(40, "hobby")
        helps = self.helps()
        self.assertIsNone(helps.answered)
        self.assertTrue(all(c.n is None and not c.share.shown for c in helps.cells))
        help_tally(1, "talk", age="70s")
        answered(0, age="70s")
        self.assertEqual((self.cell("talk").n, self.cell("hobby").n), (10, 40))

    def test_when_one_to_nine_skipped_the_question_every_help_is_hidden(self) -> None:
        answered(100)
        help_tally(40, "talk")
        tally(5)  # 5 skipped the question
        self.assertIsNone(self.helps().answered)
        self.assertIsNone(self.cell("talk").n)
        tally(5, age="70s")  # now 10 skipped
        self.assertEqual(self.helps().answered, 100)
        self.assertEqual(self.cell("talk").share.percent, 40.0)

    def test_a_denominator_of_nine_is_hidden_and_ten_shown(self) -> None:
        answered(9)
        help_tally(9)
        helps = self.helps()
        self.assertIsNone(helps.answered)
        self.assertEqual(helps.answered_text, "<10")
        self.assertTrue(all(c.n is None and not c.share.shown for c in helps.cells))
        answered(1, age="70s")
        help_tally(1, age="70s")
        helps = self.helps()
        self.assertEqual(helps.answered, 10)
        self.assertEqual(self.cell("talk").n, 10)  # all ten: nobody left to reveal
        self.assertFalse(self.cell("talk").share.shown)  # 100% of 10: the rest is 0

    def test_a_rest_of_nine_hides_every_help(self) -> None:
        # 91 of 100 next to the shown 100 would give the 9 who did not choose it back.
        answered(100)
        help_tally(91, "talk")
        help_tally(90, "hobby")
        self.assertIsNone(self.cell("talk").n)
        self.assertIsNone(self.cell("hobby").n)
        help_tally(1, "talk", age="70s")
        answered(1, age="70s")  # 92 of 101: the rest is 9 still
        self.assertIsNone(self.cell("hobby").n)
        answered(1, age="80+")  # 92 of 102 and 90 of 102
        self.assertEqual((self.cell("talk").n, self.cell("hobby").n), (92, 90))

    def test_a_quarter_has_no_helps(self) -> None:
        answered(100)
        help_tally(45)
        helps = self.helps(period="FY2025-Q2")
        self.assertIsNone(helps.answered)
        self.assertTrue(all(c.n is None for c in helps.cells))

    def test_the_json_has_nulls_where_suppressed(self) -> None:
        answered(100)
        help_tally(45, "talk")
        body = aggregates.as_json(aggregates.compute(filters()))["helps"]
        self.assertEqual(body["answered"], 100)
        items = {item["key"]: item for item in body["items"]}
        self.assertEqual(
            items["talk"],
            {
                "key": "talk",
                "label": str(Help.TALK.label),
                "n": 45,
                "percent": 45.0,
                "ci_low": 35.6,
                "ci_high": 54.8,
            },
        )
        self.assertEqual(
            {k: v for k, v in items["hobby"].items() if k not in ("key", "label")},
            {"n": None, "percent": None, "ci_low": None, "ci_high": None},
        )
        body = aggregates.as_json(aggregates.compute(filters(city=KAMAKURA)))["helps"]
        self.assertIsNone(body["answered"])
