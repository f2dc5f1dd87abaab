"""The demo's sample cases: marked 【サンプル】, one made from a completed collaboration,
one waiting for the secretariat, and a second run changes nothing."""

from __future__ import annotations

from tsunagari.cases.models import ModelCase
from tsunagari.cases.sample import load_sample_cases
from tsunagari.test import BaseTestCase


class SampleCasesTest(BaseTestCase):
    def test_sample_cases(self) -> None:
        lines = load_sample_cases()
        self.assertEqual(len(lines), 3)
        cases = ModelCase.objects.all()
        self.assertTrue(all(c.title.startswith("【サンプル】") and c.is_sample for c in cases))
        published = cases.filter(status=ModelCase.Status.PUBLISHED)
        self.assertEqual(published.count(), 2)
        from_collaboration = published.get(collaboration__isnull=False)
        self.assertEqual(from_collaboration.collaboration.status, "completed")  # type: ignore[union-attr]
        self.assertEqual(from_collaboration.partners.count(), 3)
        self.assertTrue(all(p.organization.is_sample for p in from_collaboration.partners.all()))  # type: ignore[union-attr]
        self.assertEqual(cases.filter(status=ModelCase.Status.REVIEW).count(), 1)
        self.assertEqual(load_sample_cases(), [])
        self.assertEqual(ModelCase.objects.count(), 3)
        r = self.client.get("/cases/?q=食堂")
        self.assertContains(r, from_collaboration.title)
        self.login(self.secretariat)
        self.assertContains(self.client.get("/secretariat/cases/"), "商店街のスタンプラリー")
