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
    """n responses that chose at least one help (the denominator)."""
    help_tally(n, SelfCheckHelpTally.ANSWERED, **where)  # type: ignore[arg-type]


def filters(**overrides: object) -> Filters:
    values: dict[str, object] = {"start": dt.date(2024, 8, 1), "end": JULY}
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


class ProtectTests(SimpleTestCase):
    """Secondary (complementary) suppression against subtraction from a shown total."""

    def test_nothing_hidden_stays_so(self) -> None:
        self.assertEqual(aggregates.protect([10, 50, 60], [], [[0, 1, 2]]), set())

    def test_one_hidden_cell_takes_the_next_smallest_with_it(self) -> None:
        self.assertEqual(aggregates.protect([9, 60, 50], [0], [[0, 1, 2]]), {0, 2})

    def test_two_hidden_cells_that_add_up_to_ten_are_enough(self) -> None:
        self.assertEqual(aggregates.protect([5, 5, 60], [0, 1], [[0, 1, 2]]), {0, 1})

    def test_hidden_cells_adding_up_to_under_ten_take_another(self) -> None:
        # 3 + 4 = 7 would be the total minus the shown cells: a small count again.
        self.assertEqual(aggregates.protect([3, 4, 60, 70], [0, 1], [[0, 1, 2, 3]]), {0, 1, 2})

    def test_a_published_subtotal_is_protected_too(self) -> None:
        # cells 2 and 3 have a published subtotal (the lonely share): hiding 3 alone in
        # it would let 3 = subtotal − cell 2.
        hidden = aggregates.protect([40, 30, 40, 5], [3], [[0, 1, 2, 3], [2, 3], [0, 1]])
        self.assertEqual(hidden, {2, 3})

    def test_empty_hidden_cells_need_no_partner(self) -> None:
        self.assertEqual(aggregates.protect([0, 0, 50], [0, 1], [[0, 1, 2]]), {0, 1})

    def test_a_small_cell_among_empty_ones_takes_a_shown_one(self) -> None:
        self.assertEqual(aggregates.protect([0, 9, 50, 40], [0, 1], [[0, 1, 2, 3]]), {0, 1, 3})

    def test_a_lone_group_with_everything_hidden_stops(self) -> None:
        self.assertEqual(aggregates.protect([3], [0], [[0]]), {0})


class FilterTests(TestCase):
    def test_the_default_is_the_last_twelve_months_with_this_one(self) -> None:
        f = make_filters(today=TODAY)
        self.assertEqual((f.start, f.end), (dt.date(2024, 8, 1), JULY))
        self.assertEqual(f.by, aggregates.BY_QUARTER)

    def test_a_fiscal_year_runs_from_april_to_march(self) -> None:
        f = make_filters(fiscal_year="2024", start="2020-01", today=TODAY)
        self.assertEqual(
            (f.start, f.end, f.fiscal_year), (dt.date(2024, 4, 1), dt.date(2025, 3, 1), 2024)
        )

    def test_only_a_start_runs_to_this_month(self) -> None:
        f = make_filters(start="2023-04", today=TODAY)
        self.assertEqual((f.start, f.end), (dt.date(2023, 4, 1), JULY))

    def test_only_an_end_covers_the_twelve_months_before_it(self) -> None:
        f = make_filters(end="2024-03", today=TODAY)
        self.assertEqual((f.start, f.end), (dt.date(2023, 4, 1), dt.date(2024, 3, 1)))

    def test_it_names_every_bad_parameter(self) -> None:
        with self.assertRaises(FilterError) as caught:
            make_filters(start="2024-13", city="141011", age_band="teen", by="week", today=TODAY)
        self.assertEqual(set(caught.exception.problems), {"start", "city", "age_band", "by"})

    def test_it_rejects_an_end_before_the_start(self) -> None:
        with self.assertRaises(FilterError) as caught:
            make_filters(start="2025-05", end="2025-01", today=TODAY)
        self.assertIn("end", caught.exception.problems)

    def test_it_rejects_a_fiscal_year_that_is_not_a_year(self) -> None:
        for bad in ("abc", "24", 3000):
            with self.subTest(bad), self.assertRaises(FilterError):
                make_filters(fiscal_year=bad, today=TODAY)

    def test_it_rejects_more_than_ten_years(self) -> None:
        with self.assertRaises(FilterError):
            make_filters(start="2010-01", end="2025-07", today=TODAY)


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

    def test_a_band_count_of_nine_is_hidden_with_the_next_smallest(self) -> None:
        tally(9, band="never")
        tally(30, band="hardly")
        tally(40, band="sometimes")
        tally(50, band="always")
        bands = {c.key: c.n for c in aggregates.compute(filters()).indirect_bands}
        # never (9) is hidden; hardly goes too, or never = n − the three others.
        self.assertEqual(bands, {"never": None, "hardly": None, "sometimes": 40, "always": 50})

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
        self.assertEqual(bands, {"never": 30, "hardly": 40, "sometimes": None, "always": None})

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

    def test_filters_narrow_every_table_but_their_own_breakdown(self) -> None:
        tally(20, city=FUJISAWA, age="60s")
        tally(30, city=FUJISAWA, age="70s")
        tally(40, city=KAMAKURA, age="60s")
        result = aggregates.compute(filters(city=FUJISAWA, age_band="60s"))
        self.assertEqual(result.n, 20)
        self.assertEqual({r.key: r.n for r in result.by_age}["70s"], 30)
        self.assertEqual({r.key: r.n for r in result.by_city}[KAMAKURA], 40)
        self.assertTrue(next(r for r in result.by_city if r.key == FUJISAWA).selected)

    def test_months_outside_the_period_are_not_counted(self) -> None:
        tally(20, month=dt.date(2024, 7, 1))
        tally(30)
        self.assertEqual(aggregates.compute(filters()).n, 30)

    def test_quarters_add_up_their_months(self) -> None:
        tally(10, month=dt.date(2025, 4, 1))
        tally(15, month=dt.date(2025, 6, 1))
        tally(50, month=dt.date(2025, 7, 1))
        rows = aggregates.compute(filters(start=dt.date(2025, 4, 1))).over_time
        self.assertEqual([(r.key, r.n) for r in rows], [("FY2025-Q1", 25), ("FY2025-Q2", 50)])

    def test_by_month_lists_every_month_even_empty_ones(self) -> None:
        tally(50)
        rows = aggregates.compute(filters(by=aggregates.BY_MONTH)).over_time
        self.assertEqual(len(rows), 12)
        self.assertEqual(rows[-1].n, 50)
        self.assertEqual(rows[0].n_text, "<10")

    def test_it_reads_only_the_tallies_in_four_queries(self) -> None:
        tally(50)
        answered(30)
        help_tally(30)
        with self.assertNumQueries(4):  # municipalities + three GROUP BYs
            aggregates.compute(filters())

    def test_national_figures_come_from_the_national_module(self) -> None:
        result = aggregates.compute(filters())
        self.assertEqual([f.percent for f in result.national_direct], [36.4, 40.3, 39.3, 39.3])
        self.assertEqual([f.percent for f in result.national_indirect], [None, None, None, 45.7])

    def test_the_threshold_is_ten(self) -> None:
        self.assertEqual(MIN_CELL, 10)


class HelpsTests(TestCase):
    """What would help: shares of those who answered (optional, multiple choice)."""

    def helps(self, **overrides: object) -> aggregates.Helps:
        return aggregates.compute(filters(**overrides)).helps

    def cell(self, key: str, **overrides: object) -> aggregates.HelpCell:
        return next(c for c in self.helps(**overrides).cells if c.key == key)

    def test_every_help_is_listed_in_order_even_unchosen_ones(self) -> None:
        answered(100)
        help_tally(45)
        helps = self.helps()
        self.assertEqual([c.key for c in helps.cells], list(Help.values))
        self.assertEqual([c.label for c in helps.cells], [str(x) for x in Help.labels])
        self.assertIsNone(self.cell("hobby").n)  # 0: hidden like any count under 10
        self.assertFalse(self.cell("hobby").share.shown)

    def test_the_denominator_is_those_who_answered_not_every_response(self) -> None:
        tally(300)  # 300 self-checks, of which 100 answered the optional question
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
        answered(70, city=FUJISAWA, age="60s", month=dt.date(2024, 7, 1))  # before the period
        help_tally(70, "talk", city=FUJISAWA, age="60s", month=dt.date(2024, 7, 1))
        cases: dict[str, tuple[dict[str, object], int, int]] = {
            "everything": ({}, 150, 75),
            "city": ({"city": FUJISAWA}, 90, 60),
            "age band": ({"age_band": "60s"}, 100, 35),
            "city and age band": ({"city": FUJISAWA, "age_band": "60s"}, 40, 20),
            "period": ({"start": dt.date(2024, 7, 1), "end": dt.date(2024, 7, 1)}, 70, 70),
            "longer period": ({"start": dt.date(2024, 7, 1)}, 220, 145),
        }
        for name, (overrides, denominator, count) in cases.items():
            with self.subTest(name):
                helps = self.helps(**overrides)
                talk = next(c for c in helps.cells if c.key == "talk")
                self.assertEqual((helps.answered, talk.n), (denominator, count))
                if denominator - count >= MIN_CELL:
                    self.assertEqual(talk.share.total, denominator)
                    self.assertEqual(talk.share.percent, round(count * 100 / denominator, 1))

    def test_a_count_of_nine_is_hidden_and_ten_shown(self) -> None:
        answered(100)
        help_tally(9, "talk")
        help_tally(10, "hobby")
        talk, hobby = self.cell("talk"), self.cell("hobby")
        self.assertIsNone(talk.n)
        self.assertFalse(talk.share.shown)
        self.assertEqual(hobby.n, 10)
        self.assertEqual(hobby.share.percent, 10.0)

    def test_when_one_to_nine_skipped_the_question_its_denominator_and_shares_are_hidden(
        self,
    ) -> None:
        tally(105)  # 105 self-checks; 100 chose a help: 5 skipped the question
        answered(100)
        help_tally(40, "talk")
        helps = self.helps()
        self.assertIsNone(helps.answered)
        self.assertEqual(self.cell("talk").n, 40)  # counts stay: they reveal nobody
        self.assertFalse(self.cell("talk").share.shown)  # 40 over 40% would give 100 back
        tally(5, age="70s")  # now 10 skipped
        helps = self.helps()
        self.assertEqual(helps.answered, 100)
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

    def test_a_rest_of_nine_hides_the_count_and_the_share_and_ten_shows_them(self) -> None:
        # 91 of 100 next to the shown 100 would give the 9 who did not choose it back.
        answered(100)
        help_tally(91, "talk")
        help_tally(90, "hobby")
        talk, hobby = self.cell("talk"), self.cell("hobby")
        self.assertIsNone(talk.n)
        self.assertFalse(talk.share.shown)
        self.assertEqual(hobby.n, 90)
        self.assertEqual(hobby.share.percent, 90.0)

    def test_the_smallest_share_shown_has_ten_on_each_side(self) -> None:
        answered(20)
        help_tally(10, "talk")
        help_tally(11, "hobby")
        self.assertEqual(self.cell("talk").share.percent, 50.0)
        self.assertIsNone(self.cell("hobby").n)  # the rest is 9
        answered(1, age="70s")  # 21 answered: 10 of 21 and 11 of 21 are both safe
        self.assertEqual(self.cell("talk").share.total, 21)
        self.assertEqual(self.cell("hobby").n, 11)

    def test_a_hidden_help_does_not_hide_another(self) -> None:
        # Multiple choice: no total of the helps is published, so no complementary cell.
        answered(100)
        help_tally(3, "talk")
        help_tally(40, "hobby")
        help_tally(50, "place")
        shown = {c.key: c.n for c in self.helps().cells if c.n is not None}
        self.assertEqual(shown, {"hobby": 40, "place": 50})

    def test_the_json_has_nulls_where_suppressed(self) -> None:
        answered(100)
        help_tally(45, "talk")
        help_tally(9, "hobby")
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
