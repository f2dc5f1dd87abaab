"""The HSDS API under /api/v1/hsds/: Page envelopes, full services, 404 and 422 in JSON."""

from __future__ import annotations

from typing import Any

from tsunagari.directory import hsds
from tsunagari.directory.models import Resource
from tsunagari.directory.tests.hsds_support import (
    HIDDEN_ACCESS,
    HIDDEN_ADDRESS,
    HIDDEN_PLACE,
    errors,
    make_directory,
)
from tsunagari.test import BaseTestCase

PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


class HSDSApiTestCase(BaseTestCase):
    resources: dict[str, Resource]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.resources = make_directory(cls.organization)

    def get(self, url: str, status: int = 200) -> Any:
        r = self.client.get(url)
        self.assertEqual(r.status_code, status, r.content[:300])
        self.assertEqual(r["Content-Type"], "application/json; charset=utf-8")
        return r.json()

    def test_the_root_says_which_hsds_version_it_speaks(self) -> None:
        data = self.get("/api/v1/hsds/")
        self.assertEqual(data["version"], "3.0")
        self.assertEqual(data["openapi_url"], "http://testserver/api/v1/openapi.json")

    def test_services_come_in_a_page_envelope(self) -> None:
        data = self.get("/api/v1/hsds/services")
        self.assertEqual(set(data), PAGE_KEYS)
        self.assertEqual(
            {k: data[k] for k in PAGE_KEYS - {"contents"}},
            {
                "total_items": 3,
                "total_pages": 1,
                "page_number": 1,
                "size": 3,
                "first_page": True,
                "last_page": True,
                "empty": False,
            },
        )
        for service in data["contents"]:
            self.assertEqual(errors("compiled/service_list.json", service), [])
        self.assertNotIn("サンプル 下書きの資源", {s["name"] for s in data["contents"]})

    def test_it_pages_with_page_and_per_page(self) -> None:
        data = self.get("/api/v1/hsds/services?page=2&per_page=2")
        self.assertEqual((data["total_pages"], data["page_number"], data["size"]), (2, 2, 1))
        self.assertEqual((data["first_page"], data["last_page"]), (False, True))
        beyond = self.get("/api/v1/hsds/services?page=9&per_page=2")
        self.assertEqual((beyond["contents"], beyond["empty"]), ([], True))

    def test_bad_paging_parameters_are_a_422_in_json(self) -> None:
        for query in ("page=0", "per_page=0", "per_page=101", "page=abc"):
            with self.subTest(query=query):
                data = self.get(f"/api/v1/hsds/services?{query}", status=422)
                self.assertIn("detail", data)

    def test_a_service_is_fully_nested_and_valid(self) -> None:
        salon = self.resources["salon"]
        data = self.get(f"/api/v1/hsds/services/{hsds.hsds_id('service', salon.pk)}")
        self.assertEqual(data["name"], "サンプル 多世代サロン")
        self.assertEqual(len(data["service_at_locations"]), 2)
        self.assertEqual(errors("compiled/service.json", data), [])

    def test_unknown_or_unpublished_services_are_a_404_in_json(self) -> None:
        draft = hsds.hsds_id("service", self.resources["draft"].pk)
        for service_id in (draft, "00000000-0000-0000-0000-000000000000", "nonsense"):
            with self.subTest(service_id=service_id):
                self.assertEqual(
                    self.get(f"/api/v1/hsds/services/{service_id}", status=404),
                    {"detail": "Not Found"},
                )

    def test_services_filter_by_search_term_and_organization(self) -> None:
        found = self.get("/api/v1/hsds/services?search=オンライン")
        self.assertEqual([s["name"] for s in found["contents"]], ["サンプル オンライン交流会"])
        term = hsds.CONCERN.term_id("dv")
        found = self.get(f"/api/v1/hsds/services?taxonomy_term_id={term}")
        self.assertEqual([s["name"] for s in found["contents"]], ["サンプル 女性のための相談"])
        org = hsds.hsds_id("organization", self.organization.pk)
        found = self.get(f"/api/v1/hsds/services?organization_id={org}")
        self.assertEqual([s["name"] for s in found["contents"]], ["サンプル 多世代サロン"])
        provider = hsds.hsds_id("provider", "サンプル提供者")
        found = self.get(f"/api/v1/hsds/services?organization_id={provider}")
        self.assertEqual(found["total_items"], 2)

    def test_organizations_list_and_detail(self) -> None:
        data = self.get("/api/v1/hsds/organizations")
        self.assertEqual(set(data), PAGE_KEYS)
        names = [o["name"] for o in data["contents"]]
        self.assertEqual(names, [self.organization.name, "サンプル提供者"])
        for organization in data["contents"]:
            self.assertEqual(errors("compiled/organization_list.json", organization), [])
        org_id = hsds.hsds_id("organization", self.organization.pk)
        detail = self.get(f"/api/v1/hsds/organizations/{org_id}")
        self.assertEqual([s["name"] for s in detail["services"]], ["サンプル 多世代サロン"])
        self.assertEqual(errors("compiled/organization.json", detail), [])
        self.get("/api/v1/hsds/organizations/nonsense", status=404)

    def test_taxonomies_and_terms(self) -> None:
        data = self.get("/api/v1/hsds/taxonomies")
        self.assertEqual(
            [t["name"] for t in data["contents"]],
            ["資源の種類", "対象", "相談の分野", "アクセシビリティ", "つながり拡張"],
        )
        self.assertEqual(self.get(f"/api/v1/hsds/taxonomies/{hsds.KIND.id}")["name"], "資源の種類")
        terms = self.get(f"/api/v1/hsds/taxonomy_terms?taxonomy_id={hsds.KIND.id}&per_page=100")
        self.assertIn("居場所", [t["name"] for t in terms["contents"]])
        self.assertEqual({t["taxonomy_id"] for t in terms["contents"]}, {hsds.KIND.id})
        term = self.get(f"/api/v1/hsds/taxonomy_terms/{hsds.KIND.term_id('ibasho')}")
        self.assertEqual((term["code"], term["name"]), ("ibasho", "居場所"))
        for term in self.get("/api/v1/hsds/taxonomy_terms?per_page=100")["contents"]:
            self.assertEqual(errors("taxonomy_term.json", term), [])
        self.get("/api/v1/hsds/taxonomies/nonsense", status=404)
        self.get("/api/v1/hsds/taxonomy_terms/nonsense", status=404)

    def test_a_hidden_address_appears_in_no_api_output(self) -> None:
        shelter = hsds.hsds_id("service", self.resources["shelter"].pk)
        provider = hsds.hsds_id("provider", "サンプル提供者")
        urls = [
            "/api/v1/hsds/services?per_page=100",
            f"/api/v1/hsds/services/{shelter}",
            "/api/v1/hsds/organizations",
            f"/api/v1/hsds/organizations/{provider}",
        ]
        for url in urls:
            body = self.client.get(url).content.decode()
            for secret in (HIDDEN_ADDRESS, HIDDEN_PLACE, HIDDEN_ACCESS, "251-0099", "35.338"):
                self.assertNotIn(secret, body, url)

    def test_lists_and_details_take_a_fixed_number_of_queries(self) -> None:
        salon = hsds.hsds_id("service", self.resources["salon"].pk)
        # count + page + target groups
        with self.assertNumQueries(3):
            self.client.get("/api/v1/hsds/services")
        # id lookup + resource + 8 prefetches
        with self.assertNumQueries(10):
            self.client.get(f"/api/v1/hsds/services/{salon}")
        with self.assertNumQueries(2):
            self.client.get("/api/v1/hsds/organizations")
        make_directory(self.organization)
        with self.assertNumQueries(3):
            data = self.client.get("/api/v1/hsds/services").json()
        self.assertEqual(data["total_items"], 6)
        with self.assertNumQueries(2):
            self.client.get("/api/v1/hsds/organizations")
