"""registrations.py: seats first come first served, the waitlist, cancellation with
promotion in the same transaction, and the kind refusals."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.core import mail
from django.utils import timezone

from tsunagari.geo.models import Municipality
from tsunagari.lib.transitions import AlreadyChanged
from tsunagari.supporters import registrations
from tsunagari.supporters.models import Course, Registration
from tsunagari.supporters.tests.factory import make_course, make_registration
from tsunagari.test import BaseTestCase


def person(n: int = 1, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": f"参加 {n}",
        "email": f"person{n}@example.jp",
        "phone": "",
        "municipality": Municipality.objects.get(code="142051"),
        "age_band": "",
        "accessibility_needs": "",
    }
    data.update(overrides)
    return data


class RegisterTests(BaseTestCase):
    def test_seats_are_confirmed_first_then_people_wait_in_order(self) -> None:
        course = make_course(capacity=2)
        made = [registrations.register(course, person(n)) for n in range(4)]
        self.assertEqual(
            [r.status for r in made],
            ["confirmed", "confirmed", "waitlisted", "waitlisted"],
        )
        self.assertEqual([registrations.waitlist_position(r) for r in made], [None, None, 1, 2])

    def test_codes_are_short_and_unambiguous(self) -> None:
        registration = registrations.register(make_course(), person())
        self.assertRegex(registration.code, r"^[ACDEFGHJKMNPQRTWXY34679]{6}$")
        self.assertNotRegex(registration.code, r"[0O1IL2Z5S8B]")

    def test_it_refuses_a_draft_and_a_course_past_its_deadline(self) -> None:
        with self.assertRaises(registrations.RegistrationClosed):
            registrations.register(make_course(status=Course.Status.DRAFT), person())
        late = make_course(deadline=timezone.now() - timedelta(seconds=1))
        with self.assertRaises(registrations.RegistrationClosed):
            registrations.register(late, person())
        self.assertFalse(Registration.objects.exists())

    def test_a_cancelled_registration_may_sign_up_again(self) -> None:
        course = make_course()
        first = registrations.register(course, person())
        registrations.cancel(first)
        again = registrations.register(course, person())
        self.assertEqual(again.status, Registration.Status.CONFIRMED)

    def test_the_confirmation_mail_of_an_online_course_has_the_link_the_waitlist_mail_not(
        self,
    ) -> None:
        course = make_course(capacity=1, online=True)
        registrations.register(course, person(1))
        registrations.register(course, person(2))
        self.run_tasks()
        (confirmed,) = self.sent_to("person1@example.jp")
        (waiting,) = self.sent_to("person2@example.jp")
        self.assertIn(course.online_url, confirmed.body)
        self.assertNotIn(course.online_url, waiting.body)
        self.assertIn("キャンセル待ちの1番目", waiting.body)


class CancelTests(BaseTestCase):
    def test_a_cancelled_seat_goes_to_the_first_waiting_person_who_is_mailed(self) -> None:
        course = make_course(capacity=1, online=True)
        seated = make_registration(course)
        first = make_registration(course, status="waitlisted", email="first@example.jp")
        second = make_registration(course, status="waitlisted", email="second@example.jp")
        result = registrations.cancel(seated)
        self.assertEqual(result.promoted, first)
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual(first.status, Registration.Status.CONFIRMED)
        self.assertIsNotNone(first.promoted_at)
        self.assertEqual(second.status, Registration.Status.WAITLISTED)
        self.assertEqual(registrations.waitlist_position(second), 1)
        self.run_tasks()
        (message,) = self.sent_to("first@example.jp")
        self.assertIn("繰り上が", message.subject)
        self.assertIn(course.online_url, message.body)
        self.assertEqual(self.sent_to("second@example.jp"), [])

    def test_cancelling_twice_says_it_was_cancelled_already(self) -> None:
        registration = make_registration(make_course())
        registrations.cancel(registration)
        with self.assertRaises(AlreadyChanged):
            registrations.cancel(registration)

    def test_a_waiting_person_cancelling_promotes_no_one(self) -> None:
        course = make_course(capacity=1)
        make_registration(course)
        waiting = make_registration(course, status="waitlisted")
        later = make_registration(course, status="waitlisted")
        self.assertIsNone(registrations.cancel(waiting).promoted)
        later.refresh_from_db()
        self.assertEqual(later.status, Registration.Status.WAITLISTED)

    def test_no_promotion_once_the_course_has_started(self) -> None:
        course = make_course(capacity=1)
        seated = make_registration(course)
        waiting = make_registration(course, status="waitlisted")
        Course.objects.filter(pk=course.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
        registrations.cancel(seated)
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, Registration.Status.WAITLISTED)
        self.run_tasks()
        self.assertEqual(mail.outbox, [])

    def test_the_organisers_cancel_is_audited(self) -> None:
        registration = make_registration(make_course())
        registrations.cancel(registration, by=self.staff)
        from tsunagari.audit.models import AuditEvent

        event = AuditEvent.objects.for_object(registration).get()
        self.assertEqual(event.actor, self.staff)
        self.assertTrue(re.match(r"course \d+", event.note))
