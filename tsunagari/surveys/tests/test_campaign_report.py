"""The before/after report (事前・事後の比較): pairs by code, figures checked with scipy."""

from __future__ import annotations

from collections.abc import Sequence

from scipy import stats as scipy_stats

from tsunagari.surveys import campaigns
from tsunagari.surveys.models import Campaign, Item
from tsunagari.surveys.tests.test_campaigns import answer_all, make_campaign, make_item, standard
from tsunagari.test import BaseTestCase

# Ten participants: UCLA items and direct question before and after.
BEFORE = [
    (3, 3, 2, 4),
    (2, 3, 3, 3),
    (4, 4, 3, 5),
    (1, 2, 1, 2),
    (3, 2, 3, 4),
    (2, 2, 2, 3),
    (4, 3, 4, 4),
    (3, 3, 3, 3),
    (2, 1, 2, 2),
    (3, 4, 3, 5),
]
AFTER = [
    (2, 3, 2, 3),
    (2, 2, 2, 3),
    (3, 3, 3, 4),
    (1, 2, 1, 2),
    (2, 2, 2, 3),
    (2, 2, 3, 3),
    (3, 3, 3, 4),
    (3, 2, 3, 2),
    (2, 1, 1, 2),
    (3, 3, 2, 4),
]


def store_pairs(
    campaign: Campaign, before: Sequence[tuple[int, ...]], after: Sequence[tuple[int, ...]]
) -> None:
    for i, (b, a) in enumerate(zip(before, after, strict=True)):
        answer_all(campaign, b, phase="before", code=f"code-{i}")
        answer_all(campaign, a, phase="after", code=f"ＣＯＤＥ－{i}")  # same code, typed wide


class PairedReportTest(BaseTestCase):
    def setUp(self) -> None:
        self.campaign = make_campaign(self.organization, before_after=True)

    def test_it_waits_for_ten_pairs_and_says_how_many_so_far(self) -> None:
        store_pairs(self.campaign, BEFORE[:9], AFTER[:9])
        answer_all(self.campaign, BEFORE[9], phase="before", code="lonely-before")
        self.login(self.staff)
        r = self.client.get(f"/surveys/{self.campaign.pk}/report/")
        self.assertContains(r, "いま9組、あと1組")
        self.assertNotContains(r, "対応のあるt検定")
        report = r.context["report"]
        self.assertEqual((report.pairs, report.unpaired_before, report.unpaired_after), (9, 1, 0))

    def test_figures_match_scipy_on_the_stored_answers(self) -> None:
        store_pairs(self.campaign, BEFORE, AFTER)
        answer_all(self.campaign, (1, 1, 1, 1), phase="before", code="only-before")
        answer_all(self.campaign, (1, 1, 1, 1), phase="after", code="only-after")
        answer_all(self.campaign, (1, 1, 1, 1), phase="after", code="")
        self.login(self.staff)
        # session, user, campaign, responses, answers, entries with items
        with self.assertNumQueries(6):
            r = self.client.get(f"/surveys/{self.campaign.pk}/report/")
        report = r.context["report"]
        self.assertEqual((report.pairs, report.unpaired_before, report.unpaired_after), (10, 1, 2))
        self.assertEqual(
            [m.key for m in report.measures], ["ucla_score", f"item_{standard('direct').pk}"]
        )
        score, direct = report.measures
        before_scores = [sum(b[:3]) for b in BEFORE]
        after_scores = [sum(a[:3]) for a in AFTER]
        for measure, before, after in [
            (score, before_scores, after_scores),
            (direct, [b[3] for b in BEFORE], [a[3] for a in AFTER]),
        ]:
            with self.subTest(measure.key):
                result = measure.result
                reference = scipy_stats.ttest_rel(after, before)
                interval = reference.confidence_interval()
                self.assertEqual(result.n, 10)
                self.assertAlmostEqual(result.mean_before, sum(before) / 10)
                self.assertAlmostEqual(result.mean_after, sum(after) / 10)
                self.assertAlmostEqual(result.t, float(reference.statistic), delta=1e-9)
                self.assertAlmostEqual(result.p, float(reference.pvalue), delta=1e-9)
                self.assertEqual(result.df, 9)
                self.assertAlmostEqual(result.ci_low, float(interval.low), delta=1e-9)
                self.assertAlmostEqual(result.ci_high, float(interval.high), delta=1e-9)
                lower = sum(1 for b, a in zip(before, after, strict=True) if a < b)
                self.assertEqual(result.improved, lower)  # loneliness: lower is better
        # UCLA score: 10 pairs, 8 went down (one unchanged, one up).
        self.assertEqual(
            (score.result.improved, score.result.unchanged, score.result.worse), (8, 1, 1)
        )
        self.assertContains(r, "80.0%")
        self.assertContains(r, "事前・事後の比較")
        self.assertContains(r, "言い切ることはできません")

    def test_non_substantive_answers_drop_that_pair_and_choice_items_are_left_out(self) -> None:
        choice = make_item(self.organization, kind=Item.Kind.CHOICE, text="どこで知りましたか。")
        likert = make_item(self.organization, higher_is_better=True)
        campaign = make_campaign(
            self.organization,
            codes=("kanagawa_satisfaction",),
            items=[choice, likert],
            before_after=True,
        )
        # satisfaction, choice, likert
        befores = [(3, 1, 2)] * 8 + [(6, 1, 2), (4, 2, 1)]
        afters = [(2, 2, 4)] * 8 + [(2, 1, 3), (7, 2, 3)]
        store_pairs(campaign, befores, afters)
        report = campaigns.paired_report(campaign)
        self.assertEqual([m.label for m in report.measures][1:], [likert.text])
        satisfaction, own = report.measures
        self.assertEqual(satisfaction.result.n, 8)  # 分からない and 無回答 dropped
        self.assertFalse(satisfaction.higher_is_better)
        self.assertEqual(satisfaction.result.improved, 8)
        self.assertEqual(own.result.n, 10)
        self.assertTrue(own.higher_is_better)
        self.assertEqual(own.result.improved, 10)

    def test_pairs_that_all_changed_by_the_same_amount_are_shown_without_a_t(self) -> None:
        campaign = make_campaign(self.organization, codes=("direct",), before_after=True)
        store_pairs(campaign, [(4,)] * 10, [(3,)] * 10)
        self.login(self.staff)
        r = self.client.get(f"/surveys/{campaign.pk}/report/")
        self.assertContains(r, "tは求められません")
        self.assertContains(r, '<span class="p-value">&lt; 0.001</span>', html=True)
        self.assertNotContains(r, "inf")

    def test_the_reading_never_claims_a_cause(self) -> None:
        store_pairs(self.campaign, BEFORE, AFTER)
        for measure in campaigns.paired_report(self.campaign).measures:
            self.assertNotIn("効果があった", measure.reading)
            self.assertNotIn("効果がない", measure.reading)
