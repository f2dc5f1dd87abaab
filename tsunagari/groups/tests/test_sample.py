"""The demo's sample group and council: all 【サンプル】, loaded once."""

from __future__ import annotations

from tsunagari.councils.models import LocalCouncil
from tsunagari.groups.models import GroupPost, WorkingGroup
from tsunagari.groups.sample import load_sample_groups
from tsunagari.test import BaseTestCase


class SampleTest(BaseTestCase):
    def test_a_group_with_two_conveners_and_posts_and_a_council_loaded_once(self) -> None:
        lines = load_sample_groups()
        self.assertEqual(len(lines), 2)
        group = WorkingGroup.objects.get(is_sample=True)
        self.assertTrue(group.name.startswith("【サンプル】"))
        self.assertEqual(group.memberships.filter(is_convener=True).count(), 2)
        self.assertTrue(all(m.organization.is_sample for m in group.memberships.all()))
        self.assertTrue(GroupPost.objects.filter(parent__isnull=False).exists())
        council = LocalCouncil.objects.get(is_sample=True)
        self.assertIn("example.org", council.source_url)
        self.assertTrue(all(m.name.startswith("【サンプル】") for m in council.member_bodies.all()))
        self.assertEqual(load_sample_groups(), [])
        self.assertEqual(WorkingGroup.objects.count(), 1)
        self.assertEqual(LocalCouncil.objects.count(), 1)
