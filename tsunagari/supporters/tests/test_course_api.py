"""GET /api/v1/supporters/courses: upcoming published courses, public facts only."""

from __future__ import annotations

from django.core.cache import cache

from tsunagari.supporters.models import Course
from tsunagari.supporters.tests.factory import make_course, make_registration
from tsunagari.test import BaseTestCase


class CourseApiTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)

    def test_it_lists_upcoming_published_courses_with_seats_and_no_personal_data(self) -> None:
        course = make_course("【テスト】藤沢の講座", capacity=2)
        make_registration(course, "秘密 太郎", email="secret@example.jp")
        online = make_course("【テスト】オンライン", online=True, days_ahead=20)
        make_course("【テスト】下書き", status=Course.Status.DRAFT)
        r = self.client.get("/api/v1/supporters/courses")
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(
            [c["title"] for c in body], ["【テスト】藤沢の講座", "【テスト】オンライン"]
        )
        self.assertEqual(body[0]["seats_left"], 1)
        self.assertEqual(body[0]["place"]["municipality"]["code"], "142051")
        self.assertIsNone(body[1]["place"])
        text = r.content.decode()
        self.assertNotIn("secret@example.jp", text)
        self.assertNotIn("秘密", text)
        self.assertNotIn(online.online_url, text)

    def test_it_filters_by_municipality_and_refuses_unknown_codes_in_json(self) -> None:
        make_course("【テスト】藤沢の講座")
        make_course("【テスト】横浜の講座", municipality="141003")
        r = self.client.get("/api/v1/supporters/courses?municipality=141011")
        self.assertEqual([c["title"] for c in r.json()], ["【テスト】横浜の講座"])
        r = self.client.get("/api/v1/supporters/courses?municipality=999999")
        self.assertEqual(r.status_code, 422)
        self.assertIn("municipality", r.json()["errors"])
        r = self.client.get("/api/v1/supporters/courses?municipality=abc")
        self.assertEqual(r.status_code, 422)

    def test_a_new_registration_shows_in_the_seats_at_once(self) -> None:
        course = make_course(capacity=3)
        with self.settings(PAGE_CACHE_SECONDS=600):
            self.assertEqual(
                self.client.get("/api/v1/supporters/courses").json()[0]["seats_left"], 3
            )
            from tsunagari.supporters import registrations
            from tsunagari.supporters.tests.test_registration_service import person

            registrations.register(course, person())
            self.assertEqual(
                self.client.get("/api/v1/supporters/courses").json()[0]["seats_left"], 2
            )


class CourseApiContractTests(BaseTestCase):
    def test_answers_fit_the_openapi_document(self) -> None:
        from tsunagari.core.tests.test_api_contract import ContractTestCase

        make_course("【テスト】藤沢の講座")
        make_course("【テスト】オンライン", online=True)
        contract = ContractTestCase(methodName="run")
        contract.spec = self.client.get("/api/v1/openapi.json").json()
        path = "/api/v1/supporters/courses"
        for url, status in (
            (path, 200),
            (path + "?municipality=999999", 422),
            (path + "?municipality=x", 422),
        ):
            with self.subTest(url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, status)
                contract.assert_documented("get", path, response)
