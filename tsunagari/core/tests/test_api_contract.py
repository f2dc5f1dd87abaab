"""The API says what it does: each answer below, good or bad, has its status code in the
OpenAPI document and a body valid against the schema documented for that code (with the
formats checked, so a time of day must be what the document says). scripts/api-fuzz
checks the same with schemathesis over generated requests."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jsonschema
from django.test import Client

from tsunagari.directory import hsds
from tsunagari.directory.models import Schedule
from tsunagari.factory import make_resource
from tsunagari.test import BaseTestCase

FORMATS = jsonschema.Draft202012Validator.FORMAT_CHECKER


class ContractTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.spec = Client().get("/api/v1/openapi.json").json()

    def operation(self, method: str, path: str) -> dict[str, Any]:
        return self.spec["paths"][path][method]

    def assert_documented(self, method: str, path: str, response: Any) -> Any:
        """The status is documented for the operation and the body fits its schema."""
        responses = self.operation(method, path)["responses"]
        status = str(response.status_code)
        self.assertIn(status, responses, f"{method.upper()} {path}: undocumented {status}")
        schema = responses[status]["content"]["application/json"]["schema"]
        body = response.json()
        # The schema's $refs (#/components/...) resolve within this document.
        document = {**schema, "components": self.spec["components"]}
        jsonschema.validate(
            body,
            document,
            cls=jsonschema.Draft202012Validator,
            format_checker=FORMATS,
        )
        return body


class ErrorResponsesTests(ContractTestCase):
    def test_unknown_ids_are_documented_404s(self) -> None:
        for path, url in (
            ("/api/v1/services/{service_id}", "/api/v1/services/999999"),
            ("/api/v1/hsds/services/{service_id}", "/api/v1/hsds/services/0"),
            ("/api/v1/hsds/organizations/{organization_id}", "/api/v1/hsds/organizations/0"),
            ("/api/v1/hsds/taxonomies/{taxonomy_id}", "/api/v1/hsds/taxonomies/0"),
            ("/api/v1/hsds/taxonomy_terms/{term_id}", "/api/v1/hsds/taxonomy_terms/0"),
        ):
            with self.subTest(url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(
                    self.assert_documented("get", path, response), {"detail": "Not Found"}
                )

    def test_bad_parameters_are_documented_422s_naming_each_field(self) -> None:
        for path, url, field in (
            ("/api/v1/hsds/organizations", "/api/v1/hsds/organizations?per_page=x", "per_page"),
            ("/api/v1/hsds/services", "/api/v1/hsds/services?page=0", "page"),
            ("/api/v1/municipalities", "/api/v1/municipalities?parent_code=AAA", "parent_code"),
            ("/api/v1/organizations", "/api/v1/organizations?sector=null", "sector"),
            ("/api/v1/services", "/api/v1/services?kind=nothing", "kind"),
            ("/api/v1/services/{service_id}", "/api/v1/services/null,null", "service_id"),
        ):
            with self.subTest(url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 422)
                body = self.assert_documented("get", path, response)
                self.assertIsInstance(body["detail"], str)
                self.assertIn(field, body["errors"])

    def test_a_roster_date_must_be_a_date_not_a_unix_time(self) -> None:
        # "0" was read as 1970-01-01; the document says format: date.
        for bad in ("0", "20250730", "2025-02-30", "1e9"):
            with self.subTest(bad):
                response = self.client.get("/api/v1/organizations", {"as_of": bad})
                self.assertEqual(response.status_code, 422)
                self.assert_documented("get", "/api/v1/organizations", response)
        good = self.client.get("/api/v1/organizations", {"as_of": "2025-07-30"})
        self.assertEqual(self.assert_documented("get", "/api/v1/organizations", good)["count"], 35)

    def test_a_bad_score_body_is_the_documented_problem(self) -> None:
        response = self.client.post(
            "/api/v1/selfcheck/score", "[]", content_type="application/json"
        )
        self.assertEqual(response.status_code, 422)
        self.assert_documented("post", "/api/v1/selfcheck/score", response)

    def test_every_operation_documents_the_errors_it_can_give(self) -> None:
        for path, operations in self.spec["paths"].items():
            for method, operation in operations.items():
                with self.subTest(f"{method} {path}"):
                    codes = set(operation["responses"])
                    parameters = operation.get("parameters", [])
                    self.assertIn("429", codes)
                    if parameters or "requestBody" in operation:
                        self.assertIn("422", codes)
                    if any(p["in"] == "path" for p in parameters):
                        self.assertIn("404", codes)


class ParameterChoicesTests(ContractTestCase):
    def parameter(self, name: str) -> dict[str, Any]:
        parameters = self.operation("get", "/api/v1/services")["parameters"]
        return next(p["schema"] for p in parameters if p["name"] == name)

    def test_the_filters_list_exactly_the_values_the_server_accepts(self) -> None:
        kinds = self.parameter("kind")["enum"]
        self.assertIn("", kinds)  # no filter
        for kind in kinds:
            with self.subTest(kind=kind):
                response = self.client.get("/api/v1/services", {"kind": kind})
                self.assertEqual(response.status_code, 200)
        self.assertNotIn("nothing", kinds)
        self.assertEqual(self.client.get("/api/v1/services", {"kind": "nothing"}).status_code, 422)
        municipalities = self.parameter("municipality")["enum"]
        self.assertIn("141097", municipalities)
        self.assertNotIn("", municipalities)
        self.assertEqual(self.client.get("/api/v1/services", {"municipality": ""}).status_code, 422)

    def test_query_parameters_are_not_documented_as_null(self) -> None:
        # A query string has no null: "municipality=null" is the string "null".
        self.assertNotIn("anyOf", self.parameter("municipality"))
        self.assertEqual(self.parameter("day")["type"], "integer")


class ResponseFormatTests(ContractTestCase):
    def test_schedule_times_are_hh_mm_as_documented(self) -> None:
        resource = make_resource(
            "時刻の確認",
            schedules=(
                {
                    "frequency": "weekly",
                    "weekdays": "1",
                    "opens_at": dt.time(9, 30),
                    "closes_at": dt.time(0, 0),
                },
            ),
        )
        self.assertEqual(Schedule.objects.filter(resource=resource).count(), 1)
        response = self.client.get(f"/api/v1/services/{resource.pk}")
        body = self.assert_documented("get", "/api/v1/services/{service_id}", response)
        [schedule] = body["schedules"]
        self.assertEqual((schedule["opens_at"], schedule["closes_at"]), ("09:30", "00:00"))

    def test_a_whole_number_with_a_fraction_is_accepted_as_the_schema_allows(self) -> None:
        response = self.client.post(
            "/api/v1/selfcheck/score",
            json.dumps({"indirect": [4.0, 4, 4], "direct": 4.0}),
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200)
        body = self.assert_documented("post", "/api/v1/selfcheck/score", response)
        self.assertEqual((body["indirect_score"], body["direct_level"]), (12, 4))

    def test_hsds_lists_and_the_root_fit_the_document(self) -> None:
        for path in ("/api/v1/hsds/", "/api/v1/hsds/taxonomies", "/api/v1/municipalities"):
            with self.subTest(path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                self.assert_documented("get", path, response)
        self.assertTrue(hsds.TAXONOMIES)
