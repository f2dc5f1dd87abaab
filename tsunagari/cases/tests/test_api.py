"""GET /api/v1/cases, /api/v1/cases/{id} and /api/v1/cases/adoptions."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from tsunagari.cases import adoption as services
from tsunagari.cases.models import ModelCase
from tsunagari.cases.tests.adoption_factory import make_case
from tsunagari.directory.hsds import hsds_id
from tsunagari.geo.models import Municipality
from tsunagari.test import BaseTestCase


class CasesApiTest(BaseTestCase):
    def setUp(self) -> None:
        self.case = make_case()
        self.zama = make_case("【テスト】座間の事例")
        self.zama.municipalities.set(Municipality.objects.filter(pk="142166"))
        make_case("【テスト】下書き", status=ModelCase.Status.DRAFT)

    def test_the_list_holds_the_published_cases_and_filters_them(self) -> None:
        body = self.client.get("/api/v1/cases").json()
        self.assertEqual(body["total_items"], 2)
        self.assertEqual(
            {c["name"] for c in body["contents"]},
            {"【テスト】地域の居場所をつなぐ", "【テスト】座間の事例"},
        )
        body = self.client.get("/api/v1/cases?municipality=142166").json()
        self.assertEqual([c["name"] for c in body["contents"]], ["【テスト】座間の事例"])
        body = self.client.get("/api/v1/cases?q=座間").json()
        self.assertEqual(body["total_items"], 1)
        self.assertEqual(self.client.get("/api/v1/cases?q=%00").status_code, 200)

    def test_one_case_by_its_number(self) -> None:
        body = self.client.get(f"/api/v1/cases/{self.case.pk}").json()
        self.assertEqual(body["id"], hsds_id("model_case", self.case.pk))
        self.assertEqual(body["case_number"], self.case.pk)

    def test_unknown_or_unpublished_cases_are_404_json(self) -> None:
        draft = ModelCase.objects.get(title="【テスト】下書き")
        for path in (f"/api/v1/cases/{draft.pk}", "/api/v1/cases/999999"):
            r = self.client.get(path)
            self.assertEqual(r.status_code, 404)
            self.assertEqual(r.json(), {"detail": "Not Found"})

    def test_bad_filters_are_422_naming_the_field(self) -> None:
        for query, field in (
            ("municipality=999999", "municipality"),
            ("municipality=abc", "municipality"),
            ("theme=0", "theme"),
            ("theme=99999", "theme"),
            ("target_group=NOT%20A%20SLUG", "target_group"),
            ("target_group=nothing-like-this", "target_group"),
        ):
            r = self.client.get(f"/api/v1/cases?{query}")
            self.assertEqual(r.status_code, 422, query)
            self.assertIn(field, r.json()["errors"])
        r = self.client.get("/api/v1/cases/abc")
        self.assertEqual(r.status_code, 422)

    def test_adoption_counts_are_public(self) -> None:
        services.set_stage(
            self.case,
            Municipality.objects.get(pk="142051"),
            stage="implementing",
            on=dt.date(2025, 5, 1),
        )
        services.set_stage(
            self.zama,
            Municipality.objects.get(pk="142166"),
            stage="interest",
            on=dt.date(2025, 5, 1),
        )
        body = Client().get("/api/v1/cases/adoptions").json()
        self.assertEqual(
            body["totals"], {"interest": 1, "considering": 0, "implementing": 1, "established": 0}
        )
        self.assertEqual(
            [(m["code"], m["name"], m["stages"]["implementing"]) for m in body["municipalities"]],
            [("142051", "藤沢市", 1), ("142166", "座間市", 0)],
        )

    def test_the_openapi_document_lists_the_municipality_codes(self) -> None:
        schema = self.client.get("/api/v1/openapi.json").json()
        operation = schema["paths"]["/api/v1/cases"]["get"]
        parameter = next(p for p in operation["parameters"] if p["name"] == "municipality")
        self.assertIn("142051", parameter["schema"]["enum"])
        self.assertIn("422", operation["responses"])
        self.assertIn("404", schema["paths"]["/api/v1/cases/{case_id}"]["get"]["responses"])
        self.assertIn("/api/v1/cases/adoptions", schema["paths"])
