from __future__ import annotations

import json

from django.test import TestCase
from django.utils import translation

from tsunagari.members.models import Membership, Organization


class OrganizationsApiTestCase(TestCase):
    url = "/api/v1/organizations"

    def test_it_lists_the_current_roster(self) -> None:
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "application/json; charset=utf-8")
        data = r.json()
        self.assertEqual(data["as_of"], "2025-07-30")
        self.assertEqual(data["count"], 35)
        self.assertEqual(len(data["items"]), 35)
        self.assertEqual([item["no"] for item in data["items"]], list(range(1, 36)))
        first = data["items"][0]
        self.assertEqual(first["name"], "社会福祉法人神奈川県社会福祉協議会")
        self.assertEqual(first["sector"], "private")
        self.assertEqual(first["sector_label"], "民間事業者")
        self.assertEqual(first["legal_form"], "social_welfare")
        self.assertIn("municipalities", first)

    def test_a_local_government_lists_its_own_area(self) -> None:
        items = self.client.get(self.url).json()["items"]
        fujisawa = next(i for i in items if i["no"] == 31)
        self.assertEqual(fujisawa["name"], "藤沢市")
        self.assertEqual(fujisawa["municipalities"], [{"code": "142051", "name": "藤沢市"}])

    def test_it_filters_by_sector(self) -> None:
        data = self.client.get(self.url, {"sector": "government"}).json()
        self.assertEqual(data["count"], 9)
        self.assertEqual({i["sector"] for i in data["items"]}, {"government"})

    def test_the_roster_before_the_baseline_date_is_empty(self) -> None:
        data = self.client.get(self.url, {"as_of": "2025-07-29"}).json()
        self.assertEqual(data["as_of"], "2025-07-29")
        self.assertEqual(data["count"], 0)
        self.assertEqual(data["items"], [])

    def test_a_past_roster_leaves_out_an_organisation_that_joined_later(self) -> None:
        org = Organization.objects.create(roster_no=36, name="新しい団体", sector="community")
        Membership.objects.create(organization=org, started_on="2025-09-01")
        self.assertEqual(self.client.get(self.url, {"as_of": "2025-08-31"}).json()["count"], 35)
        self.assertEqual(self.client.get(self.url, {"as_of": "2025-09-01"}).json()["count"], 36)

    def test_an_unknown_sector_is_a_422_with_a_json_body(self) -> None:
        r = self.client.get(self.url, {"sector": "bogus"})
        self.assertEqual(r.status_code, 422)
        self.assertIn("detail", r.json())

    def test_a_malformed_date_is_a_422_with_a_json_body(self) -> None:
        r = self.client.get(self.url, {"as_of": "notadate"})
        self.assertEqual(r.status_code, 422)
        self.assertIn("detail", r.json())

    def test_it_does_not_publish_contact_details(self) -> None:
        Organization.objects.filter(roster_no=13).update(
            phone="0466-00-0000", email="info@example.org", address="藤沢市藤沢1-1-1"
        )
        body = self.client.get(self.url).content.decode()
        self.assertNotIn("0466-00-0000", body)
        self.assertNotIn("info@example.org", body)


class MunicipalitiesApiTestCase(TestCase):
    url = "/api/v1/municipalities"

    def test_it_lists_every_place(self) -> None:
        data = self.client.get(self.url).json()
        self.assertEqual(len(data), 62)
        self.assertEqual(
            data[0],
            {
                "code": "140007",
                "name": "神奈川県",
                "name_en": "Kanagawa Prefecture",
                "label": "神奈川県",
                "kind": "prefecture",
                "parent_code": None,
            },
        )
        kohoku = next(m for m in data if m["code"] == "141097")
        self.assertEqual(
            kohoku,
            {
                "code": "141097",
                "name": "横浜市港北区",
                "name_en": "Kohoku Ward, Yokohama",
                "label": "横浜市港北区",
                "kind": "ward",
                "parent_code": "141003",
            },
        )

    def test_it_labels_in_the_language_asked_for(self) -> None:
        with translation.override("ja"):  # the request's English stays in the request
            data = self.client.get(self.url, {"kind": "city"}, headers={"accept-language": "en"})
        fujisawa = next(m for m in data.json() if m["code"] == "142051")
        self.assertEqual((fujisawa["name"], fujisawa["label"]), ("藤沢市", "Fujisawa"))

    def test_it_filters_by_kind(self) -> None:
        data = self.client.get(self.url, {"kind": "ward"}).json()
        self.assertEqual(len(data), 28)
        self.assertEqual({m["kind"] for m in data}, {"ward"})

    def test_it_filters_by_parent(self) -> None:
        data = self.client.get(self.url, {"parent_code": "141500"}).json()
        self.assertEqual(
            [m["name"] for m in data], ["相模原市緑区", "相模原市中央区", "相模原市南区"]
        )

    def test_an_unknown_kind_is_a_422(self) -> None:
        r = self.client.get(self.url, {"kind": "county"})
        self.assertEqual(r.status_code, 422)
        self.assertIn("detail", r.json())


class ApiTestCase(TestCase):
    def test_the_openapi_document_lists_both_paths(self) -> None:
        r = self.client.get("/api/v1/openapi.json")
        self.assertEqual(r.status_code, 200)
        schema = json.loads(r.content)
        self.assertEqual(schema["info"]["title"], "Tsunagari API")
        self.assertIn("/api/v1/organizations", schema["paths"])
        self.assertIn("/api/v1/municipalities", schema["paths"])

    def test_an_unknown_api_path_is_a_json_404(self) -> None:
        for path in ("/api/v1/xyz", "/api/v1/organizations/1/extra", "/api/v1/"):
            with self.subTest(path=path):
                r = self.client.get(path)
                self.assertEqual(r.status_code, 404)
                self.assertEqual(r["Content-Type"], "application/json")
                self.assertEqual(r.json(), {"detail": "Not Found"})

    def test_the_api_works_signed_out(self) -> None:
        for path in ("/api/v1/organizations", "/api/v1/municipalities", "/api/v1/openapi.json"):
            with self.subTest(path=path):
                r = self.client.get(path)
                self.assertEqual(r.status_code, 200)
                self.assertNotIn("Location", r)

    def test_the_api_does_not_need_a_csrf_token_to_read(self) -> None:
        from django.test import Client

        r = Client(enforce_csrf_checks=True).get("/api/v1/organizations")
        self.assertEqual(r.status_code, 200)
