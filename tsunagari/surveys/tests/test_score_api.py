"""POST /api/v1/selfcheck/score: scores, stores nothing, needs no sign-in and no CSRF token,
and answers every bad body with a 422 that names each problem."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client, TestCase

from tsunagari.surveys.models import SelfCheckResponse, SelfCheckTally

URL = "/api/v1/selfcheck/score"


class ScoreApiTestCase(TestCase):
    def setUp(self) -> None:
        # A browser-like client: CSRF is checked as it is for real visitors.
        self.api = Client(enforce_csrf_checks=True)

    def post(self, body: Any, *, raw: bool = False) -> Any:
        data = body if raw else json.dumps(body)
        return self.api.post(URL, data, content_type="application/json")

    def assert_422(self, body: Any, *fields: str, raw: bool = False) -> dict[str, Any]:
        r = self.post(body, raw=raw)
        self.assertEqual(r.status_code, 422, r.content[:300])
        self.assertEqual(r["Content-Type"], "application/json; charset=utf-8")
        problem = r.json()
        self.assertIsInstance(problem["detail"], str)
        for field in fields:
            self.assertIn(field, problem["errors"])
        return problem


class ScoringTests(ScoreApiTestCase):
    def test_it_scores_the_answers_as_the_national_survey_does(self) -> None:
        r = self.post({"indirect": [2, 3, 2], "direct": 3})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(
            r.json(),
            {
                "indirect_score": 7,
                "indirect_band": "sometimes",
                "direct_level": 3,
                "direct_lonely": True,
            },
        )

    def test_the_lowest_and_highest_answers(self) -> None:
        low = self.post({"indirect": [1, 1, 1], "direct": 1}).json()
        high = self.post({"indirect": [4, 4, 4], "direct": 5}).json()
        self.assertEqual((low["indirect_score"], low["indirect_band"]), (3, "never"))
        self.assertFalse(low["direct_lonely"])
        self.assertEqual((high["indirect_score"], high["indirect_band"]), (12, "always"))
        self.assertTrue(high["direct_lonely"])

    def test_it_stores_nothing(self) -> None:
        self.post({"indirect": [4, 4, 4], "direct": 5})
        self.post({"indirect": [9, 4, 4], "direct": 5})
        self.assertFalse(SelfCheckResponse.objects.exists())
        self.assertFalse(SelfCheckTally.objects.exists())

    def test_it_needs_no_sign_in_and_no_csrf_token_even_with_a_session_cookie(self) -> None:
        self.api.cookies["sessionid"] = "not-a-session"
        self.api.cookies["csrftoken"] = "x" * 32
        r = self.post({"indirect": [1, 2, 1], "direct": 2})
        self.assertEqual(r.status_code, 200)

    def test_fields_besides_the_answers_are_ignored(self) -> None:
        r = self.post({"indirect": [1, 2, 1], "direct": 2, "comment": "hello"})
        self.assertEqual(r.json()["indirect_score"], 4)

    def test_get_is_not_allowed(self) -> None:
        self.assertEqual(self.api.get(URL).status_code, 405)


class BadBodyTests(ScoreApiTestCase):
    def test_out_of_range_answers_are_named_one_by_one(self) -> None:
        problem = self.assert_422({"indirect": [0, 2, 5], "direct": 6}, "indirect[0]", "direct")
        self.assertEqual(set(problem["errors"]), {"indirect[0]", "indirect[2]", "direct"})

    def test_booleans_fractions_and_strings_are_not_answers(self) -> None:
        for bad in (True, False, 2.5, 1e308, float("nan"), "2", None, [2], {"v": 2}):
            with self.subTest(value=bad):
                self.assert_422({"indirect": [2, bad, 2], "direct": 1}, "indirect[1]")
                self.assert_422({"indirect": [2, 2, 2], "direct": bad}, "direct")

    def test_a_whole_number_written_with_a_fraction_is_that_answer(self) -> None:
        # JSON has one kind of number and the schema says "integer", which 4.0 is.
        r = self.post({"indirect": [4.0, 4, 2e0], "direct": 4.0})
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual(r.json()["indirect_score"], 10)
        self.assertEqual(r.json()["direct_level"], 4)

    def test_the_indirect_answers_must_be_a_list_of_three(self) -> None:
        for bad in ([], [1, 2], [1, 2, 3, 4], "123", 6, {"0": 1}, None):
            with self.subTest(value=bad):
                self.assert_422({"indirect": bad, "direct": 1}, "indirect")

    def test_missing_fields_are_named_as_required(self) -> None:
        problem = self.assert_422({}, "indirect", "direct")
        self.assertEqual(problem["errors"]["direct"], "this field is required")
        self.assert_422({"indirect": [1, 1, 1]}, "direct")
        self.assert_422({"direct": 1}, "indirect")

    def test_a_body_that_is_not_an_object(self) -> None:
        for body in ([[1, 2, 3], 1], "indirect", 3, None, True):
            with self.subTest(body=body):
                self.assert_422(body, "body")

    def test_malformed_json_empty_bodies_and_other_encodings(self) -> None:
        for raw in ("{", "", "indirect=1&direct=2", "{'indirect': [1,1,1]}", "NaN"):
            with self.subTest(raw=raw):
                r = self.post(raw, raw=True)
                self.assertEqual(r.status_code, 422, r.content[:200])
        self.assert_422(b"\xff\xfe\x00{", "body", raw=True)

    def test_absurd_bodies_get_a_422_not_a_500(self) -> None:
        self.assert_422("[" * 100_000 + "]" * 100_000, "body", raw=True)
        self.assert_422('{"indirect": [' + "9" * 5000 + ', 1, 1], "direct": 1}', "body", raw=True)
        # A long value is echoed only in part.
        problem = self.assert_422({"indirect": ["x" * 10_000, 1, 1], "direct": 1}, "indirect[0]")
        self.assertLess(len(problem["errors"]["indirect[0]"]), 300)

    def test_a_form_post_is_not_json(self) -> None:
        r = self.api.post(URL, {"indirect": [1, 1, 1], "direct": 1})
        self.assertEqual(r.status_code, 422)


class OpenApiTests(TestCase):
    def test_the_operation_is_documented_with_its_body_and_responses(self) -> None:
        spec = Client().get("/api/v1/openapi.json").json()
        operation = spec["paths"]["/api/v1/selfcheck/score"]["post"]
        self.assertIn("stores nothing", operation["summary"])
        self.assertIn("422", operation["responses"])
        self.assertIn("200", operation["responses"])
        body = operation["requestBody"]["content"]["application/json"]
        self.assertEqual(body["schema"]["required"], ["indirect", "direct"])
        self.assertEqual(body["schema"]["properties"]["indirect"]["minItems"], 3)
        self.assertEqual(body["example"], {"indirect": [2, 3, 2], "direct": 3})
