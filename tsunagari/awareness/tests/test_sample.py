from __future__ import annotations

import datetime as dt

from tsunagari.awareness import month
from tsunagari.awareness.models import AwarenessItem
from tsunagari.awareness.sample import MAY_NOTE, load_sample_awareness_month
from tsunagari.awareness.tests.test_month_page import at
from tsunagari.directory.sample import load_sample_resources
from tsunagari.test import BaseTestCase


class SampleMonthTest(BaseTestCase):
    def test_it_makes_a_sample_may_once_with_sources_and_member_events(self) -> None:
        with at(dt.date(2026, 12, 3)):
            load_sample_resources(40)
            lines = load_sample_awareness_month()
            self.assertTrue(lines)
            self.assertEqual(load_sample_awareness_month(), [])  # idempotent
            items = list(AwarenessItem.objects.all())
            self.assertEqual(len(items), 3)
            for item in items:
                self.assertTrue(item.title.startswith("【サンプル】"))
                self.assertTrue(item.url.startswith("https://example.org/"))
                self.assertTrue(item.source)
                self.assertTrue(item.is_sample)
                self.assertEqual(item.starts_on.year, 2027)
            events = month.month_events(2027)
        self.assertTrue(events)
        self.assertTrue(all(e.resource.name.startswith("【サンプル】") for e in events))
        notes = {s.note for e in events for s in e.schedules}
        self.assertIn(MAY_NOTE, notes)
