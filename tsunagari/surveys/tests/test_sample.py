"""`make demo` loads sample survey data that the aggregates and the paired report can use."""

from __future__ import annotations

from django.db.models import Sum

from tsunagari.surveys import services
from tsunagari.surveys.models import (
    Campaign,
    CampaignResponse,
    SelfCheckResponse,
    SelfCheckTally,
)
from tsunagari.surveys.sample import load_sample_campaign, load_sample_selfchecks
from tsunagari.test import BaseTestCase


class SampleSurveyDataTest(BaseTestCase):
    def test_sample_selfchecks_are_counted_in_the_tallies_once(self) -> None:
        self.assertEqual(load_sample_selfchecks(count=500), 500)
        self.assertEqual(load_sample_selfchecks(count=500), 0)  # idempotent
        self.assertEqual(SelfCheckResponse.objects.count(), 500)
        tallied = SelfCheckTally.objects.aggregate(total=Sum("n"))["total"]
        self.assertEqual(tallied, 500)
        # The tallies are exactly what a recount from the responses gives.
        before = sorted(
            SelfCheckTally.objects.values_list(
                "month", "municipality_code", "age_band", "indirect_band", "direct", "n"
            )
        )
        services.rebuild_tallies()
        after = sorted(
            SelfCheckTally.objects.values_list(
                "month", "municipality_code", "age_band", "indirect_band", "direct", "n"
            )
        )
        self.assertEqual(before, after)

    def test_the_sample_campaign_is_marked_and_has_before_after_pairs(self) -> None:
        campaign = load_sample_campaign()
        assert campaign is not None
        self.assertIn("【サンプル】", campaign.title)
        self.assertIsNone(load_sample_campaign())
        self.assertEqual(Campaign.objects.count(), 1)
        befores = set(
            CampaignResponse.objects.filter(campaign=campaign, phase="before").values_list(
                "pair_key", flat=True
            )
        )
        afters = set(
            CampaignResponse.objects.filter(campaign=campaign, phase="after").values_list(
                "pair_key", flat=True
            )
        )
        self.assertGreaterEqual(len(befores & afters), 10)  # enough for the paired report
        self.assertNotIn("sample-00", befores)  # the code itself is never stored
