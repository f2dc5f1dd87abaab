"""Two organisers tick the same participant at the same moment, and others are ticked at
once across courses: one certificate each, and no serial given twice (PostgreSQL)."""

from __future__ import annotations

import threading

from django.db import connection

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.members.models import Organization
from tsunagari.race import Post, RaceTestCase, at_once
from tsunagari.supporters import attendance
from tsunagari.supporters.models import Certificate
from tsunagari.supporters.tests.completion_helpers import running_course
from tsunagari.supporters.tests.factory import make_registration


class CertificateRaceTest(RaceTestCase):
    def test_two_organisers_ticking_at_once_make_one_certificate(self) -> None:
        organization = Organization.objects.get(roster_no=13)
        first = factory.make_user("race1@example.jp", User.Role.MEMBER, organization=organization)
        second = factory.make_user("race2@example.jp", User.Role.MEMBER, organization=organization)
        course = running_course(organization=organization)
        registration = make_registration(course)
        url = f"/supporters/manage/courses/{course.pk}/attendance/"
        data = {"shown": [str(registration.pk)], "attended": [str(registration.pk)]}
        outcomes = at_once([Post(first, url, data), Post(second, url, data)])
        self.assertEqual([o.status for o in outcomes], [302, 302])
        self.assertEqual(Certificate.objects.filter(registration=registration).count(), 1)
        registration.refresh_from_db()
        self.assertIsNotNone(registration.attended_at)

    def test_many_certificates_issued_at_once_get_distinct_serials(self) -> None:
        course = running_course()
        people = [make_registration(course, f"参加者{n}") for n in range(8)]
        barrier = threading.Barrier(len(people))
        errors: list[BaseException] = []

        def tick(registration: object) -> None:
            try:
                barrier.wait(timeout=30)
                attendance.mark_attended(registration)  # type: ignore[arg-type]
            except BaseException as e:
                errors.append(e)
            finally:
                connection.close()

        threads = [threading.Thread(target=tick, args=(p,)) for p in people]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        serials = list(Certificate.objects.values_list("serial", flat=True))
        self.assertEqual(len(serials), 8)
        self.assertEqual(len(set(serials)), 8)
