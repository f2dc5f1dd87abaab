"""A resource's public page (/resources/<id>/): what a resident reads, and who sees drafts."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

from django.test import override_settings

from tsunagari.directory.models import Location, Resource
from tsunagari.factory import make_resource
from tsunagari.test import BaseTestCase


def script_json(html: str, element_id: str) -> Any:
    """The data of a json_script element."""
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    assert match is not None, f"no #{element_id} in the page"
    return json.loads(match.group(1))


class DetailPageTestCase(BaseTestCase):
    resource: Resource
    url: str

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.resource = make_resource(
            "サンプル こども食堂ひまわり",
            organization=cls.organization,
            kinds=("food",),
            targets=("kodomo", "kosodate"),
            languages=("ja", "en"),
            accessibility=("wheelchair",),
            accessibility_note="入口にスロープがあります。",
            schedules=({"frequency": "monthly_nth", "weekdays": "6", "weeks_of_month": "2,4"},),
            is_free=True,
            fee="材料費のカンパ歓迎",
            how_to_join="予約は不要です。直接お越しください。",
            contact_name="サンプル担当",
            phone="０４６６－００－００００",
            email="info@example.org",
            url="https://example.org/",
            last_verified_on=dt.date(2025, 7, 30),
        )
        Location.objects.filter(resource=cls.resource).update(
            latitude=Decimal("35.338"), longitude=Decimal("139.487"), access="藤沢駅から徒歩5分"
        )
        cls.url = f"/resources/{cls.resource.pk}/"

    def test_it_shows_everything_a_resident_needs(self) -> None:
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)
        for text in (
            "サンプル こども食堂ひまわり",
            "第2・第4土曜",
            "藤沢市藤沢1-1-1（サンプル）",
            "藤沢駅から徒歩5分",
            "材料費のカンパ歓迎",
            "こども、子育て世帯",
            "日本語、英語",
            "車いすで利用できる",
            "入口にスロープがあります。",
            "予約は不要です。直接お越しください。",
            "サンプル担当",
            "最終確認日：令和7年7月30日",
        ):
            with self.subTest(text=text):
                self.assertContains(r, text)
        self.assertRegex(r.content.decode(), r"次回：令和\d+年\d+月\d+日（土）")

    def test_a_phone_number_is_a_tappable_link(self) -> None:
        r = self.client.get(self.url)
        self.assertContains(r, 'href="tel:0466000000"')
        self.assertContains(r, 'href="mailto:info@example.org"')

    def test_the_provider_links_to_the_member_page(self) -> None:
        r = self.client.get(self.url)
        self.assertContains(
            r, f'href="/members/{self.organization.pk}/">{self.organization.name}</a>'
        )

    def test_the_map_gets_the_public_coordinates_and_the_tile_server(self) -> None:
        r = self.client.get(self.url)
        self.assertContains(r, 'id="resource-map"')
        self.assertContains(r, "/static/vendor/leaflet/leaflet.js")
        places = script_json(r.content.decode(), "map-places")
        self.assertEqual(
            places, [{"name": "サンプル こども食堂ひまわりの会場", "lat": 35.338, "lon": 139.487}]
        )
        tiles = script_json(r.content.decode(), "map-tiles")
        self.assertEqual(tiles["url"], "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png")
        self.assertIn("地理院タイル", tiles["attribution"])

    @override_settings(MAP_TILE_URL="")
    def test_without_tiles_the_map_draws_the_places_only(self) -> None:
        r = self.client.get(self.url)
        self.assertContains(r, 'id="resource-map"')
        self.assertNotContains(r, "cyberjapandata")

    def test_a_place_without_coordinates_has_no_map_but_its_address(self) -> None:
        Location.objects.filter(resource=self.resource).update(latitude=None, longitude=None)
        r = self.client.get(self.url)
        self.assertNotContains(r, 'id="resource-map"')
        self.assertNotContains(r, "leaflet")
        self.assertContains(r, "藤沢市藤沢1-1-1（サンプル）")

    def test_a_hidden_address_shows_only_the_area_and_no_coordinates(self) -> None:
        Location.objects.filter(resource=self.resource).update(
            hide_address=True, address="藤沢市ひみつ町9-9", postal_code="251-0000"
        )
        r = self.client.get(self.url)
        self.assertContains(r, "住所は公開していません。問い合わせ先にご連絡ください。")
        self.assertContains(r, "藤沢市")
        for secret in ("ひみつ町", "251-0000", "35.338", "139.487", "resource-map"):
            with self.subTest(secret=secret):
                self.assertNotContains(r, secret)

    def test_it_marks_a_sample_and_stale_information(self) -> None:
        Resource.objects.filter(pk=self.resource.pk).update(
            last_verified_on=dt.date.today() - dt.timedelta(days=366)
        )
        r = self.client.get(self.url)
        self.assertContains(r, "これは表示例のためのサンプルです。")
        self.assertContains(r, "情報が古い可能性があります。")

    def test_it_links_to_the_error_report(self) -> None:
        self.assertContains(self.client.get(self.url), "情報の誤りを報告")


class UnpublishedDetailTestCase(BaseTestCase):
    resource: Resource
    url: str

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.resource = make_resource(
            "サンプル 準備中の居場所", organization=cls.organization, status="draft"
        )
        cls.url = f"/resources/{cls.resource.pk}/"

    def test_the_public_gets_404(self) -> None:
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_another_members_staff_and_an_officer_get_404(self) -> None:
        for user in (self.other_staff, self.officer):
            with self.subTest(user=user.email):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_the_owners_staff_see_it_with_a_banner(self) -> None:
        self.login(self.staff)
        r = self.client.get(self.url)
        self.assertContains(r, "この資源は公開されていません（下書き）。")

    def test_the_secretariat_sees_why_it_was_unpublished(self) -> None:
        self.resource.unpublish(by=self.secretariat, reason="連絡がとれないため")
        self.login(self.secretariat)
        r = self.client.get(self.url)
        self.assertContains(r, "この資源は公開されていません（事務局が非公開にした）。")
        self.assertContains(r, "連絡がとれないため")
