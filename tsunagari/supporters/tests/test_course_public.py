"""The public course pages: the list with its filters, the detail with seats and map,
and signing up on the detail page without an account."""

from __future__ import annotations

import time
from datetime import timedelta
from itertools import count
from typing import Any
from unittest import mock

from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from tsunagari.lib.antibot import issue_token
from tsunagari.lib.ratelimit import RateLimit
from tsunagari.supporters.models import Course, Registration
from tsunagari.supporters.tests.factory import make_course, make_registration
from tsunagari.test import BaseTestCase

_serial = count(1)


def registration_data(**overrides: Any) -> dict[str, Any]:
    """POST data of a complete sign-up, shown a minute ago."""
    data: dict[str, Any] = {
        "name": "つながり 花子",
        "email": f"hanako{next(_serial)}@example.jp",
        "phone": "",
        "municipality": "142051",
        "age_band": "60s",
        "accessibility_needs": "",
        "consent": "on",
        "shown_at": issue_token(now=time.time() - 60),
        "homepage": "",
    }
    data.update(overrides)
    return data


class CourseListTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)

    def test_it_explains_the_programme_and_lists_upcoming_published_courses(self) -> None:
        make_course("【テスト】藤沢の講座")
        make_course("【テスト】下書きの講座", status=Course.Status.DRAFT)
        make_course("【テスト】中止の講座", status=Course.Status.CANCELLED)
        make_course("【テスト】終わった講座", days_ahead=-3)
        r = self.client.get("/supporters/")
        self.assertContains(r, "つながりサポーターとは")
        self.assertContains(r, "約90分")
        self.assertContains(r, "無料")
        self.assertContains(r, "【テスト】藤沢の講座")
        for hidden in ("下書きの講座", "中止の講座", "終わった講座"):
            self.assertNotContains(r, hidden)

    def test_it_filters_by_municipality_and_month(self) -> None:
        make_course("【テスト】藤沢の講座", days_ahead=5)
        make_course("【テスト】横浜の講座", municipality="141003", days_ahead=40)
        r = self.client.get("/supporters/?municipality=142051")
        self.assertContains(r, "藤沢の講座")
        self.assertNotContains(r, "横浜の講座")
        later = timezone.localtime() + timedelta(days=40)
        r = self.client.get(f"/supporters/?month={later:%Y-%m}")
        self.assertContains(r, "横浜の講座")
        if later.month != (timezone.localtime() + timedelta(days=5)).month:
            self.assertNotContains(r, "藤沢の講座")

    def test_a_ward_finds_the_courses_of_its_city(self) -> None:
        make_course("【テスト】横浜の講座", municipality="141003")
        r = self.client.get("/supporters/?municipality=141011")  # 横浜市鶴見区
        self.assertContains(r, "横浜の講座")

    def test_it_shows_seats_left_or_the_waitlist(self) -> None:
        open_course = make_course("【テスト】空きあり", capacity=3)
        make_registration(open_course)
        full = make_course("【テスト】満席", capacity=1)
        make_registration(full)
        r = self.client.get("/supporters/")
        self.assertContains(r, "受付中（残り2席）")
        self.assertContains(r, "キャンセル待ちで受付中")

    def test_the_list_reads_a_fixed_number_of_queries(self) -> None:
        for n in range(3):
            course = make_course(f"【テスト】講座{n}")
            make_registration(course)
        with self.settings(PAGE_CACHE_SECONDS=0), self.assertNumQueries(3):
            self.client.get("/supporters/")
        for n in range(3, 8):
            make_course(f"【テスト】講座{n}")
        with self.settings(PAGE_CACHE_SECONDS=0), self.assertNumQueries(3):
            self.client.get("/supporters/")


class CourseDetailTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)

    def test_it_shows_the_place_map_deadline_and_wareki_date(self) -> None:
        course = make_course("【テスト】藤沢の講座")
        location = course.location
        assert location is not None
        location.latitude, location.longitude = 35.339, 139.49
        location.save()
        r = self.client.get(f"/supporters/courses/{course.pk}/")
        self.assertContains(r, "【テスト】藤沢の講座")
        self.assertContains(r, location.name)
        self.assertContains(r, 'id="resource-map"')
        self.assertContains(r, "令和")
        self.assertContains(r, "申込締切")
        self.assertContains(r, "受付中（残り20席）")

    def test_the_online_link_is_never_on_the_public_page(self) -> None:
        course = make_course("【テスト】オンライン講座", online=True)
        r = self.client.get(f"/supporters/courses/{course.pk}/")
        self.assertContains(r, "オンライン")
        self.assertNotContains(r, course.online_url)

    def test_a_draft_is_not_found_by_the_public_but_seen_by_its_organiser(self) -> None:
        course = make_course(status=Course.Status.DRAFT, organization=self.organization)
        self.assertEqual(self.client.get(f"/supporters/courses/{course.pk}/").status_code, 404)
        self.login(self.staff)
        self.assertContains(self.client.get(f"/supporters/courses/{course.pk}/"), "下書き")

    def test_a_cancelled_course_says_so_and_takes_no_sign_ups(self) -> None:
        course = make_course(status=Course.Status.CANCELLED)
        r = self.client.get(f"/supporters/courses/{course.pk}/")
        self.assertContains(r, "この講座は中止になりました。")
        self.assertNotContains(r, 'name="consent"')

    def test_seats_left_change_on_the_cached_page_at_once(self) -> None:
        course = make_course(capacity=2)
        url = f"/supporters/courses/{course.pk}/"
        with self.settings(PAGE_CACHE_SECONDS=600):
            self.assertContains(self.client.get(url), "残り2席")
            self.client.post(url, registration_data())
            self.assertContains(self.client.get(url), "残り1席")
            self.client.post(url, registration_data())
            self.assertContains(self.client.get(url), "キャンセル待ちで受付中")
            self.assertContains(self.client.get("/supporters/"), "キャンセル待ちで受付中")
            registration = Registration.objects.confirmed().first()
            assert registration is not None
            self.client.post(f"/supporters/r/{registration.token}/cancel/")
            self.assertContains(self.client.get(url), "残り1席")
            self.assertContains(self.client.get("/supporters/"), "残り1席")


class SignUpTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)
        self.course = make_course("【テスト】藤沢の講座", capacity=1)
        self.url = f"/supporters/courses/{self.course.pk}/"

    def test_a_resident_signs_up_and_gets_the_confirmation_with_the_cancel_link(self) -> None:
        r = self.client.post(self.url, registration_data(email="ＨＡＮＡＫＯ@Example.JP"))
        registration = Registration.objects.get()
        self.assertRedirects(r, f"/supporters/r/{registration.token}/thanks/")
        self.assertEqual(registration.status, Registration.Status.CONFIRMED)
        self.assertEqual(registration.email, "hanako@example.jp")
        self.assertEqual(registration.municipality_id, "142051")
        page = self.client.get(r["Location"])
        self.assertContains(page, "参加が確定しました")
        self.assertContains(page, registration.code)
        self.run_tasks()
        (message,) = self.sent_to("hanako@example.jp")
        self.assertIn("参加確定", message.subject)
        self.assertIn(f"/supporters/r/{registration.token}/", message.body)
        self.assertIn(registration.code, message.body)
        self.assertIn(self.course.location.name, message.body)  # type: ignore[union-attr]

    def test_when_full_the_thanks_page_gives_the_waitlist_position(self) -> None:
        make_registration(self.course)
        r = self.client.post(self.url, registration_data(), follow=True)
        self.assertContains(r, "キャンセル待ちの1番目")
        self.assertEqual(Registration.objects.waitlisted().count(), 1)

    def test_a_phone_only_sign_up_is_fine_and_normalised(self) -> None:
        r = self.client.post(
            self.url, registration_data(email="", phone="０９０ー１２３４ー５６７８")
        )
        self.assertEqual(r.status_code, 302)
        registration = Registration.objects.get()
        self.assertEqual(registration.phone, "090-1234-5678")
        self.run_tasks()
        self.assertEqual(mail.outbox, [])

    def test_it_asks_for_an_email_or_a_phone_and_keeps_what_was_typed(self) -> None:
        r = self.client.post(self.url, registration_data(email="", phone="", name="山田"))
        self.assertContains(r, "メールアドレスか電話番号のどちらか", status_code=400)
        self.assertContains(r, 'value="山田"', status_code=400)
        self.assertFalse(Registration.objects.exists())

    def test_it_needs_the_consent(self) -> None:
        r = self.client.post(self.url, registration_data(consent=""))
        self.assertContains(r, "同意が必要です", status_code=400)

    def test_a_second_sign_up_with_the_same_email_shows_the_existing_one(self) -> None:
        self.client.post(self.url, registration_data(email="taro@example.jp"))
        self.run_tasks()
        mail.outbox.clear()
        r = self.client.post(self.url, registration_data(email="TARO@example.jp"))
        self.assertContains(r, "すでに申し込みを受け付けています", status_code=409)
        self.assertEqual(Registration.objects.count(), 1)
        self.run_tasks()
        (message,) = self.sent_to("taro@example.jp")
        self.assertIn(Registration.objects.get().token, message.body)

    def test_a_second_sign_up_with_the_same_phone_is_refused(self) -> None:
        self.client.post(self.url, registration_data(email="", phone="090-1111-2222"))
        r = self.client.post(self.url, registration_data(email="", phone="09011112222"))
        self.assertContains(r, "すでに申し込みを受け付けています", status_code=409)
        self.assertEqual(Registration.objects.count(), 1)

    def test_after_the_deadline_it_is_refused_kindly(self) -> None:
        self.course.deadline = timezone.now() - timedelta(minutes=1)
        self.course.save()
        r = self.client.post(self.url, registration_data())
        self.assertContains(r, "締め切りを過ぎました", status_code=409)
        self.assertFalse(Registration.objects.exists())

    def test_a_robot_filling_the_trap_stores_nothing(self) -> None:
        r = self.client.post(self.url, registration_data(homepage="http://spam.example"))
        self.assertEqual(r.status_code, 302)
        self.assertFalse(Registration.objects.exists())

    def test_a_form_sent_too_fast_is_refused_with_what_was_typed(self) -> None:
        r = self.client.post(self.url, registration_data(shown_at=issue_token(), name="早い人"))
        self.assertContains(r, "送信が早すぎた", status_code=400)
        self.assertContains(r, 'value="早い人"', status_code=400)

    def test_the_rate_limit_answers_429_and_keeps_the_form(self) -> None:
        with mock.patch.object(RateLimit, "exceeded", return_value=True):
            r = self.client.post(self.url, registration_data(name="多い人"))
        self.assertContains(r, "しばらくしてから", status_code=429)
        self.assertContains(r, 'value="多い人"', status_code=429)
        self.assertFalse(Registration.objects.exists())

    def test_english_visitors_get_their_mail_in_english(self) -> None:
        self.client.cookies["django_language"] = "en"
        self.client.post(self.url, registration_data(email="en@example.jp"))
        self.assertEqual(Registration.objects.get().language, "en")
        self.run_tasks()
        (message,) = self.sent_to("en@example.jp")
        self.assertIn("confirmed", message.subject.lower())
