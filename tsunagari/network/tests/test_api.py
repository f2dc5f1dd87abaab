"""GET /api/v1/network/graph: the graph as JSON, for the secretariat only."""

from __future__ import annotations

from datetime import date

from tsunagari.network.tests.factory import attend, collaborate, make_member
from tsunagari.test import BaseTestCase

URL = "/api/v1/network/graph"


class NetworkGraphApiTests(BaseTestCase):
    def test_anonymous_callers_get_401_json(self) -> None:
        r = self.client.get(URL)
        self.assertEqual(r.status_code, 401)
        self.assertIn("detail", r.json())

    def test_member_staff_and_officers_get_403_json(self) -> None:
        for user in (self.staff, self.officer):
            self.login(user)
            r = self.client.get(URL)
            self.assertEqual(r.status_code, 403)
            self.assertIn("detail", r.json())

    def test_the_secretariat_reads_nodes_and_weighted_dated_edges(self) -> None:
        a, b = make_member("【テスト】A"), make_member("【テスト】B")
        collaborate(a, b, on=date(2025, 6, 1))
        attend(a, b, on=date(2025, 7, 1))
        self.login(self.secretariat)
        body = self.client.get(URL).json()
        self.assertEqual(set(body), {"nodes", "edges", "generated_at", "since", "weights"})
        edge = next(e for e in body["edges"] if {e["source"], e["target"]} == {a.pk, b.pk})
        self.assertEqual(edge["weight"], 4)
        self.assertEqual(edge["reasons"], {"collaboration": 1, "meeting": 1})
        self.assertEqual((edge["first_seen"], edge["last_seen"]), ("2025-06-01", "2025-07-01"))
        node = next(n for n in body["nodes"] if n["id"] == a.pk)
        self.assertEqual((node["sector"], node["degree"], node["strength"]), ("community", 1, 4))

    def test_since_filters_the_edges(self) -> None:
        a, b = make_member("【テスト】A"), make_member("【テスト】B")
        attend(a, b, on=date(2025, 1, 1))
        self.login(self.secretariat)
        body = self.client.get(URL, {"since": "2025-02-01"}).json()
        self.assertEqual(body["edges"], [])
        self.assertEqual(body["since"], "2025-02-01")

    def test_a_bad_since_is_422_json_not_500(self) -> None:
        self.login(self.secretariat)
        for bad in ("2025-13-01", "yesterday", "令和7年"):
            r = self.client.get(URL, {"since": bad})
            self.assertEqual(r.status_code, 422, bad)
            self.assertIn("since", r.json()["errors"])

    def test_the_openapi_document_describes_it(self) -> None:
        schema = self.client.get("/api/v1/openapi.json").json()
        operation = schema["paths"]["/api/v1/network/graph"]["get"]
        self.assertTrue({"200", "401", "403", "422"} <= set(operation["responses"]))
