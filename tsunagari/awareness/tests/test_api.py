from __future__ import annotations

from tsunagari.awareness.tests.factory import make_item, make_may_event
from tsunagari.test import BaseTestCase


class AwarenessMonthApiTest(BaseTestCase):
    def test_it_gives_the_items_and_member_events_of_the_month(self) -> None:
        item = make_item()
        event = make_may_event("【テスト】港北の居場所", self.organization, municipality="141097")
        r = self.client.get("/api/v1/awareness-month/2027")
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(body["year"], 2027)
        self.assertTrue(body["url"].endswith("/awareness-month/2027/"))
        self.assertTrue(body["ics"].endswith("/awareness-month/2027.ics"))
        self.assertEqual([i["id"] for i in body["items"]], [item.pk])
        self.assertEqual(body["items"][0]["source"], "テスト用の出典")
        (found,) = body["events"]
        self.assertEqual(found["resource_id"], event.pk)
        self.assertEqual(found["municipality_code"], "141003")  # the ward's city
        self.assertEqual(found["days"], ["2027-05-12"])
        self.assertEqual(found["kind"], "event")

    def test_a_year_out_of_range_is_a_json_422(self) -> None:
        r = self.client.get("/api/v1/awareness-month/1999")
        self.assertEqual(r.status_code, 422)
        self.assertIn("detail", r.json())

    def test_it_is_in_the_openapi_document(self) -> None:
        r = self.client.get("/api/v1/openapi.json")
        self.assertIn("/api/v1/awareness-month/{year}", r.json()["paths"])
