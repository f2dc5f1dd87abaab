"""Many people pressing 「申し込む」 or 「取り消す」 at the same moment (PostgreSQL only):
a course is never over-booked, and a freed seat goes to the right person, once."""

from __future__ import annotations

from unittest import mock

from django.core import mail
from django.core.cache import cache

from tsunagari.lib.antibot import HumanCheckForm
from tsunagari.lib.ratelimit import RateLimit
from tsunagari.race import Post, RaceTestCase, at_once
from tsunagari.supporters.models import Registration
from tsunagari.supporters.tests.factory import make_course, make_registration
from tsunagari.supporters.tests.test_course_public import registration_data
from tsunagari.test import run_tasks

N = 5


class RegistrationRaceTests(RaceTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)
        self.enterContext(mock.patch.object(HumanCheckForm, "min_seconds", 0))
        self.enterContext(mock.patch.object(RateLimit, "exceeded", return_value=False))

    def test_2n_sign_ups_at_once_give_exactly_n_confirmed_and_n_waiting(self) -> None:
        course = make_course(capacity=N)
        url = f"/supporters/courses/{course.pk}/"
        outcomes = at_once(
            [Post(None, url, registration_data(email=f"race{n}@example.jp")) for n in range(2 * N)]
        )
        self.assertEqual([o.status for o in outcomes], [302] * (2 * N))
        self.assertEqual(course.registrations.confirmed().count(), N)
        self.assertEqual(course.registrations.waitlisted().count(), N)
        positions = sorted(
            Registration.objects.waitlisted()
            .filter(course=course)
            .values_list("registered_at", flat=True)
        )
        self.assertEqual(len(positions), N)
        run_tasks()
        subjects = [m.subject for m in mail.outbox]
        self.assertEqual(sum("参加確定" in s for s in subjects), N)
        self.assertEqual(sum("キャンセル待ち" in s for s in subjects), N)

    def test_cancellations_and_sign_ups_at_once_never_exceed_the_capacity(self) -> None:
        course = make_course(capacity=N)
        seated = [make_registration(course, email=f"seat{n}@example.jp") for n in range(N)]
        first = make_registration(course, status="waitlisted", email="first@example.jp")
        second = make_registration(course, status="waitlisted", email="second@example.jp")
        leaving = seated[0]
        cancel_url = f"/supporters/r/{leaving.token}/cancel/"
        sign_up_url = f"/supporters/courses/{course.pk}/"
        posts = [Post(None, cancel_url), Post(None, cancel_url)]
        posts += [
            Post(None, sign_up_url, registration_data(email=f"new{n}@example.jp")) for n in range(3)
        ]
        outcomes = at_once(posts)
        self.assertEqual([o.status for o in outcomes], [302] * 5)
        self.assertEqual(course.registrations.confirmed().count(), N)
        leaving.refresh_from_db()
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual(leaving.status, Registration.Status.CANCELLED)
        self.assertEqual(first.status, Registration.Status.CONFIRMED)
        self.assertEqual(second.status, Registration.Status.WAITLISTED)
        self.assertEqual(
            course.registrations.filter(email__startswith="new", status="confirmed").count(), 0
        )
        run_tasks()
        self.assertEqual(len([m for m in mail.outbox if "first@example.jp" in m.to]), 1)
