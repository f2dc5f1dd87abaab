from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

from django.utils import timezone

from tsunagari.directory.models import Location, Resource
from tsunagari.directory.search import reindex
from tsunagari.factory import make_resource
from tsunagari.geo.models import Municipality
from tsunagari.test import BaseTestCase


def indexed(name: str, **fields: Any) -> Resource:
    resource = make_resource(name, **fields)
    reindex(resource)
    return resource


class ServiceListTestCase(BaseTestCase):
    def test_it_lists_search_results_with_their_details(self) -> None:
        today = timezone.localdate()
        resource = indexed(
            "ひまわり子ども食堂",
            organization=self.organization,
            kinds=("food",),
            targets=("kodomo",),
            is_free=True,
            last_verified_on=today,
            schedules=({"frequency": "once", "starts_on": today + dt.timedelta(days=3)},),
        )
        resource.service_area.set(Municipality.objects.filter(pk="141003"))
        reindex(resource)
        indexed("シニアの体操")
        response = self.client.get("/api/v1/services", {"q": "こども食堂"})
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual((data["count"], data["page"], data["pages"]), (1, 1, 1))
        [item] = data["results"]
        self.assertEqual(item["id"], resource.pk)
        self.assertEqual(item["name"], "ひまわり子ども食堂")
        self.assertEqual(item["provider"], self.organization.name)
        self.assertEqual(item["kinds"], [{"slug": "food", "name": "食の支援"}])
        self.assertEqual(item["target_groups"], [{"slug": "kodomo", "name": "こども"}])
        self.assertEqual(
            item["municipalities"],
            [{"code": "142051", "name": "藤沢市"}, {"code": "141003", "name": "横浜市"}],
        )
        self.assertTrue(item["is_free"])
        self.assertFalse(item["is_online"])
        self.assertEqual(item["next_date"], str(today + dt.timedelta(days=3)))
        self.assertEqual(item["url"], f"/resources/{resource.pk}/")
        self.assertEqual(item["last_verified_on"], str(today))
        self.assertFalse(item["stale"])

    def test_it_filters_like_the_search_page(self) -> None:
        indexed(
            "港北の居場所",
            municipality="141097",
            schedules=({"frequency": "weekly", "weekdays": "6"},),
        )
        indexed("藤沢の居場所", municipality="142051")
        response = self.client.get(
            "/api/v1/services", {"q": "居場所", "municipality": "141003", "day": "6"}
        )
        self.assertEqual([r["name"] for r in response.json()["results"]], ["港北の居場所"])
        response = self.client.get("/api/v1/services", {"kind": "ibasho", "free": "true"})
        self.assertEqual(response.json()["count"], 0)

    def test_it_pages_through_results(self) -> None:
        for i in range(23):
            indexed(f"居場所{i:02d}", name_kana=f"{i:02d}", municipality=None)
        response = self.client.get("/api/v1/services", {"page": 2})
        data = response.json()
        self.assertEqual((data["count"], data["page"], data["pages"]), (23, 2, 2))
        self.assertEqual([r["name"] for r in data["results"]], ["居場所20", "居場所21", "居場所22"])
        self.assertEqual(self.client.get("/api/v1/services", {"page": 9}).json()["results"], [])

    def test_more_results_than_the_cap_give_a_lower_bound_and_every_page(self) -> None:
        for i in range(5):
            indexed(f"食堂{i}", is_free=i < 3)
        with (
            mock.patch("tsunagari.directory.search.COUNT_CAP", 3),
            mock.patch("tsunagari.directory.api.PER_PAGE", 2),
        ):
            data = self.client.get("/api/v1/services", {"q": "食堂"}).json()
            self.assertEqual((data["count"], data["count_is_lower_bound"]), (3, True))
            self.assertEqual(data["pages"], 2)
            # Pages after `pages` still hold the rest.
            pages = [
                self.client.get("/api/v1/services", {"q": "食堂", "page": p}).json()["results"]
                for p in (1, 2, 3, 4)
            ]
            self.assertEqual([len(results) for results in pages], [2, 2, 1, 0])
            found = sorted(r["name"] for results in pages for r in results)
            self.assertEqual(found, [f"食堂{i}" for i in range(5)])
            exact = self.client.get("/api/v1/services", {"q": "食堂", "free": "true"}).json()
            self.assertEqual((exact["count"], exact["count_is_lower_bound"]), (3, False))

    def test_it_answers_in_a_fixed_number_of_queries(self) -> None:
        for i in range(5):
            indexed(
                f"食堂{i}",
                kinds=("food", "ibasho"),
                targets=("kodomo",),
                schedules=({"frequency": "weekly", "weekdays": "3"},),
            )
        # count (from the index), page, kinds, targets, service areas, locations, schedules
        with self.assertNumQueries(7):
            response = self.client.get("/api/v1/services", {"q": "食堂"})
        self.assertEqual(response.json()["count"], 5)
        # + the API's check that the kind exists, and the search's look-up of its id
        with self.assertNumQueries(9):
            self.client.get("/api/v1/services", {"q": "食堂", "kind": "food"})

    def test_it_rejects_bad_parameters_with_422(self) -> None:
        for params in (
            {"day": "8"},
            {"day": "土"},
            {"page": "0"},
            {"municipality": "12"},
            {"municipality": "999999"},
            {"kind": "nothing"},
            {"lang": "xx"},
            {"free": "maybe"},
            {"q": "あ" * 201},
        ):
            with self.subTest(params):
                response = self.client.get("/api/v1/services", params)
                self.assertEqual(response.status_code, 422)
                self.assertIn("detail", response.json())

    def test_it_lists_published_resources_only(self) -> None:
        indexed("下書きの食堂", status=Resource.Status.DRAFT)
        self.assertEqual(self.client.get("/api/v1/services", {"q": "食堂"}).json()["count"], 0)


class ServiceDetailTestCase(BaseTestCase):
    def test_it_shows_a_resource_with_its_schedules_in_japanese(self) -> None:
        resource = make_resource(
            "ひまわり子ども食堂",
            languages=("ja", "en"),
            concerns=("kosodate",),
            fee="1回300円",
            phone="0466-00-0000",
            schedules=(
                {
                    "frequency": "monthly_nth",
                    "weekdays": "6",
                    "weeks_of_month": "2,4",
                    "opens_at": dt.time(10),
                    "closes_at": dt.time(12),
                },
            ),
        )
        # the resource, 3 terms, concerns, languages, accessibility, places, schedules
        with self.assertNumQueries(9):
            response = self.client.get(f"/api/v1/services/{resource.pk}", HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["schedules"][0]["description"], "第2・第4土曜 10:00〜12:00")
        self.assertEqual(data["schedules"][0]["weekdays"], [6])
        self.assertEqual([lang["code"] for lang in data["languages"]], ["ja", "en"])
        self.assertEqual(data["concerns"], [{"slug": "kosodate", "name": "子育て"}])
        self.assertEqual((data["fee"], data["phone"]), ("1回300円", "0466-00-0000"))
        [place] = data["locations"]
        self.assertEqual(place["address"], "藤沢市藤沢1-1-1（サンプル）")
        self.assertFalse(place["address_hidden"])

    def test_it_never_shows_a_hidden_address(self) -> None:
        resource = make_resource("相談室", address="秘密町1-2-3", municipality="141097")
        Location.objects.filter(resource=resource).update(
            hide_address=True,
            latitude="35.5",
            longitude="139.6",
            postal_code="222-0000",
            name="隠れ家",
            access="駅から徒歩",
        )
        response = self.client.get(f"/api/v1/services/{resource.pk}")
        [place] = response.json()["locations"]
        self.assertEqual(place["municipality"], {"code": "141097", "name": "横浜市港北区"})
        self.assertTrue(place["address_hidden"])
        for field in ("name", "address", "postal_code", "latitude", "longitude", "access"):
            self.assertIsNone(place[field], field)
        for secret in ("秘密町", "隠れ家", "35.5", "222-0000", "徒歩"):
            self.assertNotIn(secret, response.content.decode())

    def test_unknown_and_unpublished_resources_are_404_json(self) -> None:
        draft = make_resource("下書き", status=Resource.Status.DRAFT)
        hidden = make_resource("非公開", status=Resource.Status.UNPUBLISHED)
        for url in (
            "/api/v1/services/999999",
            f"/api/v1/services/{draft.pk}",
            f"/api/v1/services/{hidden.pk}",
        ):
            with self.subTest(url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response.json(), {"detail": "Not Found"})
        self.assertEqual(self.client.get("/api/v1/services/abc").status_code, 422)
