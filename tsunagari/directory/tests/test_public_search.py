"""The public search page (/resources/): filters, near me, HTMX, pagination, queries."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from unittest import mock
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tsunagari.directory import search as search_backend
from tsunagari.directory.models import Location, Resource
from tsunagari.factory import make_resource
from tsunagari.test import BaseTestCase

URL = "/resources/"


def result_names(html: str) -> list[str]:
    """The names of the results, in the order a person reads them."""
    return re.findall(r'<h3[^>]*><a href="/resources/\d+/(?:\?back=[^"]*)?">([^<]+)</a></h3>', html)


class SearchPageTestCase(BaseTestCase):
    shokudo: Resource
    salon: Resource
    online: Resource
    draft: Resource

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.shokudo = make_resource(
            "サンプル こども食堂ひまわり",
            kinds=("food", "ibasho"),
            targets=("kodomo",),
            municipality="142051",  # 藤沢市
            schedules=({"frequency": "weekly", "weekdays": "6"},),
            is_free=True,
            phone="0466-00-0000",
        )
        cls.salon = make_resource(
            "サンプル 港北ふれあいサロン",
            kinds=("ibasho",),
            targets=("koreisha",),
            municipality="141097",  # 横浜市港北区
            schedules=({"frequency": "weekly", "weekdays": "3"},),
            fee="1回100円",
        )
        cls.online = make_resource(
            "サンプル オンライン日本語教室",
            kinds=("learning",),
            targets=("gaikoku",),
            languages=("ja", "en", "vi"),
            municipality=None,
            is_online=True,
            online_only=True,
            is_free=True,
        )
        cls.draft = make_resource("サンプル 下書きの食堂", kinds=("food",), status="draft")
        search_backend.reindex_all()

    def names(self, **params: str) -> list[str]:
        r = self.client.get(URL, params)
        self.assertEqual(r.status_code, 200)
        return result_names(r.content.decode())

    def test_it_lists_every_published_resource_without_filters(self) -> None:
        names = self.names()
        self.assertEqual(
            sorted(names),
            sorted(
                [
                    "サンプル こども食堂ひまわり",
                    "サンプル 港北ふれあいサロン",
                    "サンプル オンライン日本語教室",
                ]
            ),
        )

    def test_it_finds_a_resource_by_a_japanese_word_in_another_spelling(self) -> None:
        self.assertEqual(self.names(q="子ども食堂"), ["サンプル こども食堂ひまわり"])

    def test_it_never_shows_an_unpublished_resource(self) -> None:
        self.assertNotIn("サンプル 下書きの食堂", self.names(q="食堂"))
        self.assertNotIn("サンプル 下書きの食堂", self.names())

    def test_it_filters_by_municipality(self) -> None:
        self.assertEqual(self.names(municipality="142051"), ["サンプル こども食堂ひまわり"])

    def test_a_city_includes_its_wards(self) -> None:
        self.assertEqual(self.names(municipality="141003"), ["サンプル 港北ふれあいサロン"])

    def test_it_filters_by_kind_target_and_day(self) -> None:
        self.assertEqual(self.names(kind="food"), ["サンプル こども食堂ひまわり"])
        self.assertEqual(self.names(target="koreisha"), ["サンプル 港北ふれあいサロン"])
        self.assertEqual(self.names(day="3"), ["サンプル 港北ふれあいサロン"])

    def test_it_filters_free_online_and_language(self) -> None:
        self.assertEqual(
            sorted(self.names(free="on")),
            sorted(["サンプル こども食堂ひまわり", "サンプル オンライン日本語教室"]),
        )
        self.assertEqual(self.names(online="on"), ["サンプル オンライン日本語教室"])
        self.assertEqual(self.names(lang="vi"), ["サンプル オンライン日本語教室"])

    def test_it_reports_bad_filter_values_and_searches_with_the_rest(self) -> None:
        r = self.client.get(URL, {"day": "9", "municipality": "999999", "kind": "food"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "条件を確認してください")
        self.assertContains(r, "「9」は選べない値です。")
        self.assertContains(r, "「999999」は選べない値です。")
        self.assertEqual(result_names(r.content.decode()), ["サンプル こども食堂ひまわり"])

    def test_a_broken_position_or_page_is_not_an_error_page(self) -> None:
        r = self.client.get(URL, {"lat": "north", "lon": "139.4", "page": "x"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "現在地を読み取れませんでした。")

    def test_it_keeps_what_was_typed(self) -> None:
        r = self.client.get(URL, {"q": "子ども食堂", "day": "6", "free": "on"})
        self.assertContains(r, 'value="子ども食堂"')
        self.assertContains(r, '<option value="6" selected>')
        self.assertContains(r, 'name="free" id="id_free" checked')

    def test_municipalities_are_grouped_with_wards_under_their_city(self) -> None:
        r = self.client.get(URL)
        self.assertContains(r, '<optgroup label="横浜市">')
        self.assertContains(r, '<option value="141097">横浜市港北区</option>')
        self.assertNotContains(r, "神奈川県全域")

    def test_a_result_shows_its_area_next_date_and_badges(self) -> None:
        html = self.client.get(URL, {"q": "子ども食堂"}).content.decode()
        self.assertIn("藤沢市", html)
        self.assertRegex(html, r"次回</dt><dd>令和\d+年\d+月\d+日（土）")
        self.assertIn('class="badge badge-free">無料', html)
        self.assertIn('class="badge badge-sample">サンプル', html)
        self.assertIn("サンプル提供者", html)

    def test_an_online_only_resource_shows_online_as_its_area(self) -> None:
        html = self.client.get(URL, {"online": "on"}).content.decode()
        self.assertIn("<dt>地域</dt><dd>オンライン</dd>", html)

    def test_it_marks_a_resource_not_verified_for_a_year(self) -> None:
        Resource.objects.filter(pk=self.salon.pk).update(
            last_verified_on=dt.date.today() - dt.timedelta(days=400)
        )
        Resource.objects.filter(pk=self.shokudo.pk).update(last_verified_on=dt.date.today())
        html = self.client.get(URL, {"municipality": "141097"}).content.decode()
        self.assertIn("情報が古い可能性があります", html)
        html = self.client.get(URL, {"municipality": "142051"}).content.decode()
        self.assertNotIn("情報が古い可能性があります", html)

    def test_it_never_shows_a_hidden_address(self) -> None:
        make_resource(
            "サンプル 女性のための安心スペース",
            municipality="141305",
            address="川崎市川崎区ひみつ町1-2-3",
        )
        Location.objects.filter(resource__name="サンプル 女性のための安心スペース").update(
            hide_address=True
        )
        search_backend.reindex_all()
        r = self.client.get(URL, {"q": "安心スペース"})
        self.assertEqual(result_names(r.content.decode()), ["サンプル 女性のための安心スペース"])
        self.assertContains(r, "川崎市")
        self.assertNotContains(r, "ひみつ町")

    def test_an_htmx_request_gets_only_the_results(self) -> None:
        r = self.client.get(URL, {"kind": "food"}, headers={"HX-Request": "true"})
        html = r.content.decode()
        self.assertTrue(html.lstrip().startswith('<div id="results"'))
        self.assertNotIn("<form", html)
        self.assertEqual(result_names(html), ["サンプル こども食堂ひまわり"])
        self.assertIn("HX-Request", r["Vary"])

    def test_a_history_restore_gets_the_whole_page(self) -> None:
        r = self.client.get(
            URL,
            {"kind": "food"},
            headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
        )
        self.assertContains(r, "<html")
        self.assertEqual(result_names(r.content.decode()), ["サンプル こども食堂ひまわり"])

    def test_the_page_works_without_javascript(self) -> None:
        r = self.client.get(URL)
        self.assertContains(r, f'<form method="get" action="{URL}"')
        self.assertContains(r, '<button type="submit" class="button">さがす</button>', html=False)

    def test_it_links_to_the_printable_list_with_the_same_filters(self) -> None:
        r = self.client.get(URL, {"kind": "food", "page": "1"})
        self.assertContains(r, 'href="/resources/print/?kind=food"')

    def test_it_says_kindly_when_nothing_is_found(self) -> None:
        r = self.client.get(URL, {"q": "存在しないことば"})
        self.assertContains(r, "0件見つかりました")
        self.assertContains(r, "条件に合うものが見つかりませんでした。")


class NearMeTestCase(BaseTestCase):
    places: dict[str, tuple[str, str]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.places = {
            "サンプル 藤沢駅前サロン": ("35.338", "139.487"),  # 藤沢
            "サンプル 横浜駅前サロン": ("35.466", "139.622"),  # 横浜
            "サンプル 小田原サロン": ("35.256", "139.155"),  # 小田原
        }
        for name, (lat, lon) in cls.places.items():
            resource = make_resource(name)
            Location.objects.filter(resource=resource).update(
                latitude=Decimal(lat), longitude=Decimal(lon)
            )
        make_resource("サンプル 座標のないサロン")
        hidden = make_resource("サンプル 住所非公開のサロン")
        Location.objects.filter(resource=hidden).update(
            latitude=Decimal("35.339"), longitude=Decimal("139.488"), hide_address=True
        )
        search_backend.reindex_all()

    def test_it_sorts_by_distance_and_places_without_a_pin_at_their_municipalitys_centre(
        self,
    ) -> None:
        r = self.client.get(URL, {"q": "サロン", "lat": "35.34", "lon": "139.49"})
        names = result_names(r.content.decode())
        # The two without a public pin are in 藤沢市 (the factory's default), whose
        # centre is 0.1 km from here: among the pinned places, not after them.
        self.assertEqual(
            sorted(names[:2]), sorted(["サンプル 座標のないサロン", "サンプル 住所非公開のサロン"])
        )
        self.assertEqual(
            names[2:],
            ["サンプル 藤沢駅前サロン", "サンプル 横浜駅前サロン", "サンプル 小田原サロン"],
        )
        self.assertContains(r, "現在地から近い順")
        self.assertContains(r, "（約0.4km）")
        # A hidden address's own coordinates are never used: only its area's centre.
        self.assertContains(
            r, "（およそ0.1km・地図の位置が未登録のため市区町村の中心から）", count=2
        )

    def test_a_place_without_any_location_follows_the_located_ones(self) -> None:
        make_resource(
            "サンプル オンラインサロン", municipality=None, is_online=True, online_only=True
        )
        search_backend.reindex_all()
        names = self.names_from("35.26", "139.16")
        self.assertEqual(names[-1], "サンプル オンラインサロン")
        self.assertEqual(names[0], "サンプル 小田原サロン")

    def test_from_odawara_the_order_reverses(self) -> None:
        names = self.names_from("35.26", "139.16")
        self.assertEqual(names[0], "サンプル 小田原サロン")
        self.assertEqual(names[-1], "サンプル 横浜駅前サロン")

    def names_from(self, lat: str, lon: str) -> list[str]:
        r = self.client.get(URL, {"q": "サロン", "lat": lat, "lon": lon})
        return result_names(r.content.decode())


class PaginationAndQueriesTestCase(BaseTestCase):
    def add(self, count: int, start: int = 0) -> None:
        for i in range(start, start + count):
            make_resource(
                f"サンプル 居場所{i:02d}",
                kinds=("ibasho", "event"),
                schedules=(
                    {"frequency": "weekly", "weekdays": "2"},
                    {"frequency": "monthly_nth", "weekdays": "6", "weeks_of_month": "2,4"},
                ),
                municipality="141097" if i % 2 else "142051",
            )
        search_backend.reindex_all()

    def count_queries(self, params: dict[str, str]) -> int:
        cache.clear()  # a page rendered afresh, its filters' choices too (lib/pagecache.py)
        with CaptureQueriesContext(connection) as queries:
            r = self.client.get(URL, params)
        self.assertEqual(r.status_code, 200)
        return len(queries)

    def test_it_shows_twenty_results_a_page(self) -> None:
        self.add(25)
        r = self.client.get(URL)
        self.assertEqual(len(result_names(r.content.decode())), 20)
        self.assertContains(r, "1 / 2 ページ")
        self.assertContains(r, 'href="?page=2"')
        r = self.client.get(URL, {"page": "2"})
        self.assertEqual(len(result_names(r.content.decode())), 5)

    def test_more_results_than_the_cap_read_as_at_least_the_cap(self) -> None:
        self.add(5)
        with mock.patch("tsunagari.directory.search.COUNT_CAP", 3):
            r = self.client.get(URL)
            self.assertContains(r, "3件以上見つかりました")
            # The pages reach the first COUNT_CAP (newest first): narrowing finds the rest.
            self.assertEqual(len(result_names(r.content.decode())), 3)
            r = self.client.get(URL, {"municipality": "141097"})  # 2 of the 5
            self.assertContains(r, "2件見つかりました")
            self.assertNotContains(r, "件以上")
            r = self.client.get(reverse("directory:print"))
            self.assertContains(r, "3件以上のうち")
            self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
            self.assertContains(self.client.get(URL), "More than 3 results found")
            self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
            self.client.get("/?wording=easy")
            self.assertContains(self.client.get(URL), "3 件（けん）より おおく みつかりました")

    def test_the_number_of_queries_does_not_grow_with_the_results(self) -> None:
        self.add(3)
        for params in ({}, {"q": "居場所", "kind": "ibasho"}, {"lat": "35.3", "lon": "139.5"}):
            with self.subTest(params=params):
                baseline = self.count_queries(params)
                self.add(12, start=100 + len(params) * 20)
                cache.clear()
                with self.assertNumQueries(baseline):
                    r = self.client.get(URL, params)
                self.assertGreaterEqual(len(result_names(r.content.decode())), 15)


class BackToSearchTestCase(BaseTestCase):
    """「さがす画面に戻る」 on a resource's page returns to the search it came from."""

    resource: Resource

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.resource = make_resource(
            "サンプル こども食堂ひまわり",
            kinds=("food",),
            schedules=({"frequency": "weekly", "weekdays": "6"},),
        )
        search_backend.reindex_all()

    def back_link(self, path: str) -> str:
        html = self.client.get(path).content.decode()
        match = re.search(r'<a href="([^"]*)" id="back-to-search">', html)
        assert match is not None, html
        return match.group(1).replace("&amp;", "&")

    def test_a_result_link_carries_the_query_and_every_filter_back(self) -> None:
        params = {"q": "食堂", "municipality": "142051", "kind": "food", "day": "6", "free": ""}
        r = self.client.get(URL, {**params, "page": "1"})
        html = r.content.decode()
        link = re.search(rf'href="(/resources/{self.resource.pk}/[^"]*)"', html)
        assert link is not None
        detail = link.group(1).replace("&amp;", "&")
        back = self.back_link(detail)
        self.assertTrue(back.startswith("/resources/?"))
        self.assertEqual(
            QueryDict(back.split("?", 1)[1]).dict(),
            {"q": "食堂", "municipality": "142051", "kind": "food", "day": "6", "page": "1"},
        )
        # Following it shows the same search again, with the filters still chosen.
        again = self.client.get(back)
        self.assertEqual(result_names(again.content.decode()), ["サンプル こども食堂ひまわり"])
        self.assertContains(again, 'value="食堂"')

    def test_without_a_search_it_goes_to_the_plain_search_page(self) -> None:
        self.assertEqual(self.back_link(f"/resources/{self.resource.pk}/"), "/resources/")

    def test_it_never_leads_anywhere_but_the_search_page(self) -> None:
        pk = self.resource.pk
        for back in (
            "https://evil.example/",
            "//evil.example/?q=x",
            "next=https://evil.example/",
            "q=%22%3E%3Cscript%3E",
        ):
            with self.subTest(back=back):
                link = self.back_link(f"/resources/{pk}/?{urlencode({'back': back})}")
                self.assertTrue(link == "/resources/" or link.startswith("/resources/?"), link)
                self.assertNotIn("evil", link)
                self.assertNotIn("<script", link)
