"""The demo's sample introductions: made once, from 【サンプル】 organisations only."""

from __future__ import annotations

from tsunagari.directory.sample import load_sample_organizations, load_sample_resources
from tsunagari.network.models import IntroductionRequest
from tsunagari.network.sample import load_sample_introductions
from tsunagari.test import BaseTestCase


class SampleIntroductionTests(BaseTestCase):
    def test_it_makes_one_sample_request_between_sample_organisations_once(self) -> None:
        load_sample_organizations()
        load_sample_resources(60)
        from tsunagari.directory.sample import attach_sample_organizations

        attach_sample_organizations()
        lines = load_sample_introductions()
        self.assertEqual(len(lines), 2)
        made = IntroductionRequest.objects.get()
        self.assertTrue(made.is_sample)
        self.assertTrue(made.from_organization.is_sample and made.to_organization.is_sample)
        self.assertIn("まだ接点なし", made.reason)
        self.assertEqual(load_sample_introductions(), [])
        self.assertEqual(IntroductionRequest.objects.count(), 1)
