"""The demo's sample courses: marked, at sample places, one online, one full with a
waitlist, one held last week; loading twice changes nothing."""

from __future__ import annotations

from django.utils import timezone

from tsunagari.directory.sample import load_sample_resources
from tsunagari.supporters.models import Course, Registration
from tsunagari.supporters.sample import load_sample_courses
from tsunagari.test import BaseTestCase


class SampleCourseTests(BaseTestCase):
    def test_it_makes_the_samples_once(self) -> None:
        load_sample_resources(count=40)
        lines = load_sample_courses()
        self.assertEqual(len(lines), 1)
        courses = list(Course.objects.all())
        self.assertEqual(len(courses), 4)
        self.assertTrue(all(c.is_sample and c.title.startswith("【サンプル】") for c in courses))
        self.assertEqual(sum(c.format == "online" for c in courses), 1)
        in_person = [c for c in courses if c.format == "in_person"]
        self.assertEqual(len({c.municipality_id for c in in_person}), 3)
        self.assertTrue(all(c.location.resource.is_sample for c in in_person))  # type: ignore[union-attr]
        full = [c for c in courses if c.registrations.confirmed().count() == c.capacity]
        self.assertEqual(len(full), 1)
        self.assertEqual(full[0].registrations.waitlisted().count(), 2)
        past = [c for c in courses if c.starts_at < timezone.now()]
        self.assertEqual(len(past), 1)
        self.assertGreater(past[0].registrations.confirmed().count(), 0)
        names = Registration.objects.values_list("name", flat=True)
        self.assertTrue(all(name.startswith("【サンプル】") for name in names))
        self.assertTrue(
            all(
                e.endswith("@example.jp")
                for e in Registration.objects.values_list("email", flat=True)
            )
        )
        before = Registration.objects.count()
        self.assertEqual(load_sample_courses(), [])
        self.assertEqual(Course.objects.count(), 4)
        self.assertEqual(Registration.objects.count(), before)
