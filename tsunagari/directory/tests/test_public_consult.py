"""The consultation page (/consult/): windows by concern, with hours and a phone to tap."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tsunagari.directory import search as search_backend
from tsunagari.directory.models import Resource
from tsunagari.factory import make_resource
from tsunagari.test import BaseTestCase

URL = "/consult/"


def sections(html: str) -> dict[str, list[str]]:
    """Each concern heading with the window names under it."""
    found: dict[str, list[str]] = {}
    for part in re.split(r'<h2 id="concern-', html)[1:]:
        heading = re.search(r'">([^<]+)</h2>', part).group(1)  # type: ignore[union-attr]
        found[heading] = re.findall(r'<h3[^>]*><a href="/resources/\d+/">([^<]+)</a></h3>', part)
    return found


class ConsultPageTestCase(BaseTestCase):
    kokoro: Resource
    life: Resource
    not_a_window: Resource

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.kokoro = make_resource(
            "サンプル こころの相談ダイヤル",
            kinds=("consultation",),
            concerns=("kokoro",),
            municipality="142051",
            phone="0120-000-000",
            is_24h=True,
            is_free=True,
            how_to_join="電話でご相談ください。匿名でも大丈夫です。",
        )
        cls.life = make_resource(
            "サンプル 生活相談窓口",
            kinds=("consultation",),
            concerns=("seikatsu", "shigoto"),
            languages=("ja", "vi"),
            municipality="141097",
            phone="045-000-0000",
            schedules=(
                {
                    "frequency": "weekly",
                    "weekdays": "1,2,3,4,5",
                    "opens_at": "09:00",
                    "closes_at": "17:00",
                },
            ),
            hours_note="祝日・年末年始は休み",
        )
        cls.not_a_window = make_resource(
            "サンプル 居場所カフェ", kinds=("ibasho",), concerns=("kokoro",)
        )
        search_backend.reindex_all()

    def test_it_groups_the_windows_by_concern(self) -> None:
        found = sections(self.client.get(URL).content.decode())
        self.assertEqual(found["こころ"], ["サンプル こころの相談ダイヤル"])
        self.assertEqual(found["生活の困りごと"], ["サンプル 生活相談窓口"])
        self.assertEqual(found["仕事"], ["サンプル 生活相談窓口"])

    def test_only_consultation_windows_are_listed(self) -> None:
        self.assertNotContains(self.client.get(URL), "サンプル 居場所カフェ")

    def test_picking_a_concern_shows_only_that_concern(self) -> None:
        found = sections(self.client.get(URL, {"concern": "kokoro"}).content.decode())
        self.assertEqual(found, {"こころ": ["サンプル こころの相談ダイヤル"]})

    def test_it_filters_by_municipality(self) -> None:
        html = self.client.get(URL, {"municipality": "141003"}).content.decode()
        self.assertIn("サンプル 生活相談窓口", html)
        self.assertNotIn("サンプル こころの相談ダイヤル", html)

    def test_it_says_kindly_when_a_concern_has_no_window(self) -> None:
        r = self.client.get(URL, {"concern": "dv"})
        self.assertContains(r, "この分野の相談窓口は、まだ登録されていません。")

    def test_it_shows_hours_phone_and_languages(self) -> None:
        r = self.client.get(URL)
        self.assertContains(r, 'href="tel:0120000000"')
        self.assertContains(r, 'href="tel:0450000000"')
        self.assertContains(r, 'class="badge badge-24h">24時間')
        self.assertContains(r, "祝日・年末年始は休み")
        self.assertContains(r, "電話でご相談ください。匿名でも大丈夫です。")
        self.assertContains(r, "日本語、ベトナム語")

    def test_a_bad_concern_is_reported_not_an_error_page(self) -> None:
        r = self.client.get(URL, {"concern": "nothing"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "「nothing」は選べない値です。")

    def test_it_invents_no_phone_numbers(self) -> None:
        # The national lines above the windows come from their own sourced list (helplines).
        html = self.client.get(URL).content.decode().split('id="local-windows"')[1]
        self.assertEqual(
            sorted(set(re.findall(r'href="tel:([^"]+)"', html))), ["0120000000", "0450000000"]
        )


class ConsultQueriesTestCase(BaseTestCase):
    def add(self, count: int, start: int) -> None:
        for i in range(start, start + count):
            make_resource(
                f"サンプル 相談窓口{i:02d}",
                kinds=("consultation",),
                concerns=("kokoro", "seikatsu") if i % 2 else ("kosodate",),
                languages=("ja", "en"),
                phone="045-000-0000",
                schedules=({"frequency": "weekly", "weekdays": "1,2,3"},),
            )
        search_backend.reindex_all()

    def test_the_number_of_queries_does_not_grow_with_the_windows(self) -> None:
        self.add(2, start=0)
        with CaptureQueriesContext(connection) as queries:
            self.client.get(URL)
        self.add(10, start=10)
        with self.assertNumQueries(len(queries)):
            r = self.client.get(URL)
        self.assertContains(r, "サンプル 相談窓口19")
