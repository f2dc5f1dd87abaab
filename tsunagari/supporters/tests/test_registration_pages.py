"""A person's own registration by the secret link: status, waitlist position, the
online link once confirmed, and cancelling with a confirmation step."""

from __future__ import annotations

from django.core.cache import cache

from tsunagari.supporters.models import Registration
from tsunagari.supporters.tests.factory import make_course, make_registration
from tsunagari.test import BaseTestCase


class RegistrationPageTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)

    def test_it_shows_the_status_and_is_never_cached(self) -> None:
        registration = make_registration(make_course("【テスト】藤沢の講座"))
        r = self.client.get(f"/supporters/r/{registration.token}/")
        self.assertContains(r, "参加が確定しています")
        self.assertContains(r, registration.code)
        self.assertContains(r, "【テスト】藤沢の講座")
        self.assertIn("no-store", r["Cache-Control"])

    def test_a_waiting_person_sees_their_position_and_no_online_link(self) -> None:
        course = make_course(capacity=1, online=True)
        make_registration(course)
        waiting = make_registration(course, status=Registration.Status.WAITLISTED)
        r = self.client.get(f"/supporters/r/{waiting.token}/")
        self.assertContains(r, "キャンセル待ち（1番目）")
        self.assertNotContains(r, course.online_url)

    def test_a_confirmed_person_sees_the_online_link(self) -> None:
        course = make_course(online=True)
        registration = make_registration(course)
        self.assertContains(
            self.client.get(f"/supporters/r/{registration.token}/"), course.online_url
        )

    def test_an_unknown_or_erased_link_is_not_found(self) -> None:
        self.assertEqual(self.client.get("/supporters/r/nothing/").status_code, 404)
        from django.utils import timezone

        erased = make_registration(make_course(), erased_at=timezone.now())
        self.assertEqual(self.client.get(f"/supporters/r/{erased.token}/").status_code, 404)

    def test_cancelling_asks_first_then_cancels_and_promotes(self) -> None:
        course = make_course(capacity=1)
        seated = make_registration(course)
        waiting = make_registration(course, status="waitlisted", email="w@example.jp")
        page = self.client.get(f"/supporters/r/{seated.token}/cancel/")
        self.assertContains(page, "この申し込みを取り消しますか")
        seated.refresh_from_db()
        self.assertEqual(seated.status, Registration.Status.CONFIRMED)
        r = self.client.post(f"/supporters/r/{seated.token}/cancel/", follow=True)
        self.assertContains(r, "参加の申し込みを取り消しました")
        self.assertContains(r, "取り消し済み")
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, Registration.Status.CONFIRMED)

    def test_a_second_cancel_says_so_kindly(self) -> None:
        registration = make_registration(make_course())
        self.client.post(f"/supporters/r/{registration.token}/cancel/")
        r = self.client.post(f"/supporters/r/{registration.token}/cancel/", follow=True)
        self.assertContains(r, "すでに取り消されています")
