"""The paired statistics against scipy (a dev dependency only) and a hand-worked example."""

from __future__ import annotations

import math
import random

from django.test import SimpleTestCase
from scipy import stats as scipy_stats

from tsunagari.surveys import stats

DATASETS: dict[str, tuple[list[float], list[float]]] = {
    "two pairs": ([3, 5], [2, 5]),
    "three pairs, lower after": ([3, 4, 5], [2, 4, 3]),
    "UCLA scores, lonelier after": ([6, 7, 5, 8, 9, 4, 6], [7, 9, 5, 9, 10, 6, 6]),
    "direct, better after": ([4, 3, 5, 2, 3, 4, 3, 5, 4, 3], [3, 3, 4, 2, 2, 3, 3, 4, 3, 2]),
    "large t": ([10, 11, 12, 10, 11, 12, 10, 11], [3, 3.5, 4, 3.2, 3.3, 4.1, 3, 3.6]),
    "near zero change": ([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 5]),
}


def random_dataset(seed: int, n: int) -> tuple[list[float], list[float]]:
    rng = random.Random(seed)
    before = [float(rng.randint(3, 12)) for _ in range(n)]
    after = [min(12.0, max(3.0, b + rng.choice([-3, -2, -1, -1, 0, 0, 1, 2]))) for b in before]
    return before, after


class PairedAgainstScipyTest(SimpleTestCase):
    def assert_matches_scipy(self, before: list[float], after: list[float]) -> None:
        result = stats.paired(before, after, higher_is_better=False)
        reference = scipy_stats.ttest_rel(after, before)
        interval = reference.confidence_interval(0.95)
        self.assertEqual(result.n, len(before))
        self.assertEqual(result.df, int(reference.df))
        self.assertAlmostEqual(result.t or 0.0, float(reference.statistic), delta=1e-9)
        self.assertAlmostEqual(result.p or 0.0, float(reference.pvalue), delta=1e-9)
        self.assertAlmostEqual(result.ci_low or 0.0, float(interval.low), delta=1e-9)
        self.assertAlmostEqual(result.ci_high or 0.0, float(interval.high), delta=1e-9)
        changes = [a - b for b, a in zip(before, after, strict=True)]
        self.assertAlmostEqual(result.mean_change or 0.0, sum(changes) / len(changes), delta=1e-12)
        sd = float(scipy_stats.tstd(changes))
        self.assertAlmostEqual(result.sd_change or 0.0, sd, delta=1e-9)
        self.assertAlmostEqual(result.dz or 0.0, (result.mean_change or 0.0) / sd, delta=1e-9)

    def test_it_matches_scipy_ttest_rel_on_hand_picked_data(self) -> None:
        for name, (before, after) in DATASETS.items():
            with self.subTest(name):
                self.assert_matches_scipy(before, after)

    def test_it_matches_scipy_ttest_rel_on_random_data(self) -> None:
        for seed, n in [(1, 5), (2, 12), (3, 30), (4, 120), (5, 800)]:
            before, after = random_dataset(seed, n)
            if len(set(a - b for b, a in zip(before, after, strict=True))) < 2:
                continue
            with self.subTest(seed=seed, n=n):
                self.assert_matches_scipy(before, after)

    def test_the_t_distribution_matches_scipy_in_the_tails_and_for_large_df(self) -> None:
        for t, df in [(0.1, 1), (-2.0, 3), (4.5, 9), (12.0, 7), (-30.0, 40), (2.0, 5000)]:
            with self.subTest(t=t, df=df):
                self.assertAlmostEqual(stats.t_cdf(t, df), scipy_stats.t.cdf(t, df), delta=1e-9)
                self.assertAlmostEqual(
                    stats.t_two_sided_p(t, df), 2 * scipy_stats.t.sf(abs(t), df), delta=1e-9
                )
        for p, df in [(0.975, 1), (0.975, 2), (0.975, 9), (0.995, 30), (0.025, 4)]:
            with self.subTest(p=p, df=df):
                self.assertAlmostEqual(
                    stats.t_quantile(p, df), scipy_stats.t.ppf(p, df), delta=1e-9
                )


class HandWorkedExampleTest(SimpleTestCase):
    def test_three_participants_by_hand(self) -> None:
        """Direct question (lower is better) of three participants:
        before 3, 4, 5 and after 2, 4, 3, so the changes are -1, 0, -2.

        mean change      = (-1 + 0 - 2) / 3 = -1
        sd of changes    = sqrt(((0)² + (1)² + (-1)²) / (3 - 1)) = 1
        standard error   = 1 / sqrt(3)
        t                = -1 / (1 / sqrt(3)) = -sqrt(3) ≈ -1.7321, df = 2
        With 2 degrees of freedom the t distribution has a closed form,
        P(|T| ≥ |t|) = 1 - |t| / sqrt(2 + t²) = 1 - sqrt(3) / sqrt(5) ≈ 0.2254,
        and its 97.5% point is 0.95 × sqrt(2 / (4 × 0.975 × 0.025)) ≈ 4.3027, so the 95%
        interval of the mean change is -1 ± 4.3027 / sqrt(3) = -1 ± 2.4841.
        Improved (went down): 2 of 3; unchanged: 1; worse: 0. dz = -1 / 1 = -1.
        """
        result = stats.paired([3, 4, 5], [2, 4, 3], higher_is_better=False)
        self.assertEqual(result.mean_change, -1.0)
        self.assertAlmostEqual(result.sd_change or 0.0, 1.0, places=12)
        self.assertAlmostEqual(result.t or 0.0, -math.sqrt(3), places=12)
        self.assertEqual(result.df, 2)
        self.assertAlmostEqual(result.p or 0.0, 1 - math.sqrt(3) / math.sqrt(5), places=12)
        t975 = 0.95 * math.sqrt(2 / (4 * 0.975 * 0.025))
        self.assertAlmostEqual(result.ci_low or 0.0, -1 - t975 / math.sqrt(3), places=10)
        self.assertAlmostEqual(result.ci_high or 0.0, -1 + t975 / math.sqrt(3), places=10)
        self.assertEqual((result.improved, result.unchanged, result.worse), (2, 1, 0))
        self.assertAlmostEqual(result.improved_share or 0.0, 200 / 3)
        self.assertAlmostEqual(result.dz or 0.0, -1.0, places=12)
        self.assertEqual(result.mean_before, 4.0)
        self.assertEqual(result.mean_after, 3.0)


class EdgeCasesTest(SimpleTestCase):
    def test_the_direction_decides_what_counts_as_improved(self) -> None:
        up = stats.paired([1, 2, 3], [2, 2, 1], higher_is_better=True)
        self.assertEqual((up.improved, up.unchanged, up.worse), (1, 1, 1))
        down = stats.paired([1, 2, 3, 3], [2, 2, 1, 2], higher_is_better=False)
        self.assertEqual((down.improved, down.unchanged, down.worse), (2, 1, 1))

    def test_no_pairs_gives_no_figures(self) -> None:
        result = stats.paired([], [], higher_is_better=True)
        self.assertEqual(result.n, 0)
        self.assertIsNone(result.mean_change)
        self.assertIsNone(result.p)
        self.assertIsNone(result.improved_share)

    def test_one_pair_has_a_change_but_no_test(self) -> None:
        result = stats.paired([7], [5], higher_is_better=False)
        self.assertEqual(result.mean_change, -2)
        self.assertEqual(result.improved, 1)
        for value in (result.sd_change, result.t, result.df, result.p, result.ci_low, result.dz):
            self.assertIsNone(value)

    def test_no_change_at_all_gives_p_one_and_no_t(self) -> None:
        result = stats.paired([3, 4, 5], [3, 4, 5], higher_is_better=False)
        self.assertIsNone(result.t)
        self.assertEqual(result.p, 1.0)
        self.assertEqual((result.ci_low, result.ci_high), (0.0, 0.0))
        self.assertIsNone(result.dz)
        self.assertEqual(result.unchanged, 3)

    def test_everyone_moving_by_the_same_amount_gives_p_zero(self) -> None:
        result = stats.paired([5, 6, 7], [4, 5, 6], higher_is_better=False)
        self.assertEqual(result.t, -math.inf)
        self.assertEqual(result.p, 0.0)
        self.assertEqual((result.ci_low, result.ci_high), (-1.0, -1.0))
        self.assertEqual(result.improved, 3)

    def test_sample_sd_needs_two_values(self) -> None:
        self.assertIsNone(stats.sample_sd([3]))
        self.assertAlmostEqual(stats.sample_sd([1, 2, 3, 4]) or 0.0, 1.2909944487358056)

    def test_mismatched_lengths_are_refused(self) -> None:
        with self.assertRaises(ValueError):
            stats.paired([1, 2], [1], higher_is_better=True)
