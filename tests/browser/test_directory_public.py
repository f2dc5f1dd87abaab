"""A resident on a phone finds a place, a consultation window and a list to print."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari.directory.models import Location
from tsunagari.directory.search import reindex_all
from tsunagari.factory import make_resource

require_chromium()
pytestmark = pytest.mark.browser


def place(resource: Any, lat: str, lon: str) -> None:
    Location.objects.filter(resource=resource).update(latitude=Decimal(lat), longitude=Decimal(lon))


@pytest.mark.browser
class ResidentFindsResourcesTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        # No request leaves the test machine: the map draws its markers without tiles.
        self.enterContext(override_settings(MAP_TILE_URL=""))
        saturday = make_resource(
            "サンプル こども食堂ひまわり",
            kinds=("food", "ibasho"),
            municipality="142051",
            schedules=({"frequency": "weekly", "weekdays": "6", "opens_at": "11:00"},),
            is_free=True,
            phone="0466-00-0000",
        )
        place(saturday, "35.338", "139.487")
        wednesday = make_resource(
            "サンプル 子供食堂すいようび",
            kinds=("food",),
            municipality="142051",
            schedules=({"frequency": "weekly", "weekdays": "3"},),
        )
        place(wednesday, "35.339", "139.488")
        yokohama = make_resource(
            "サンプル こども食堂みなと",
            kinds=("food",),
            municipality="141097",
            schedules=({"frequency": "weekly", "weekdays": "6"},),
        )
        place(yokohama, "35.466", "139.622")
        make_resource(
            "サンプル こころの相談ダイヤル",
            kinds=("consultation",),
            concerns=("kokoro",),
            phone="0120-000-000",
            is_24h=True,
            is_free=True,
            how_to_join="電話でご相談ください。",
        )
        make_resource(
            "サンプル くらしの相談窓口",
            kinds=("consultation",),
            concerns=("seikatsu",),
            phone="045-000-0000",
            schedules=(
                {
                    "frequency": "weekly",
                    "weekdays": "1,2,3,4,5",
                    "opens_at": "09:00",
                    "closes_at": "17:00",
                },
            ),
        )
        reindex_all()

    def results(self, page: Any) -> Any:
        return page.locator("#results .resource-card h3")

    def test_resident_searches_filters_and_opens_a_resource(self) -> None:
        page = self.new_page()
        self.visit(page, "/resources/")
        page.wait_for_function("typeof window.htmx !== 'undefined'")
        page.get_by_label("キーワード").fill("子ども食堂")
        page.get_by_role("button", name="さがす", exact=True).click()
        page.wait_for_url(re.compile(r"q=%E5%AD%90"))
        expect(self.results(page)).to_have_count(3)
        self.assert_accessible(page)

        page.get_by_label("市区町村").select_option(label="藤沢市")
        page.wait_for_url(re.compile(r"municipality=142051"))
        expect(self.results(page)).to_have_count(2)
        page.get_by_text("条件をしぼりこむ").click()
        page.get_by_label("曜日").select_option(label="土曜日")
        page.wait_for_url(re.compile(r"day=6"))
        expect(self.results(page)).to_have_count(1)
        expect(self.results(page)).to_have_text("サンプル こども食堂ひまわり")
        expect(page.locator("#results")).to_contain_text("（土）")
        self.assert_accessible(page)

        page.get_by_role("link", name="サンプル こども食堂ひまわり").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("サンプル こども食堂ひまわり")
        expect(page.locator(".schedules")).to_contain_text("毎週土曜 11:00〜")
        expect(page.locator("#resource-map")).to_be_visible()
        expect(page.locator("#resource-map .leaflet-marker-icon")).to_have_count(1)
        expect(page.locator('a[href="tel:0466000000"]')).to_be_visible()
        self.assert_accessible(page)
        self.assert_no_console_errors()

    def test_the_search_page_without_results_is_accessible(self) -> None:
        page = self.new_page()
        self.visit(page, "/resources/?q=存在しないことば")
        expect(page.locator("#results")).to_contain_text("条件に合うものが見つかりませんでした。")
        self.assert_accessible(page)

    def test_a_bad_filter_value_is_explained_accessibly(self) -> None:
        page = self.new_page()
        self.visit(page, "/resources/?day=9")
        expect(page.locator(".error-summary")).to_contain_text("「9」は選べない値です。")
        self.assert_accessible(page)

    def test_near_me_sorts_by_distance_from_the_phone(self) -> None:
        page = self.new_page(
            geolocation={"latitude": 35.466, "longitude": 139.622}, permissions=["geolocation"]
        )
        self.visit(page, "/resources/?q=食堂")
        page.wait_for_function("typeof window.htmx !== 'undefined'")
        page.get_by_role("button", name="現在地から近い順にする").click()
        page.wait_for_url(re.compile(r"lat=35.466"))
        expect(page.locator("#results h2")).to_contain_text("現在地から近い順")
        expect(self.results(page).first).to_have_text("サンプル こども食堂みなと")
        self.assert_accessible(page)

    def test_the_map_works_under_the_content_security_policy(self) -> None:
        page = self.new_page(bypass_csp=False)
        resource = Location.objects.get(latitude=Decimal("35.338")).resource
        self.visit(page, f"/resources/{resource.pk}/")
        expect(page.locator("#resource-map .leaflet-marker-icon")).to_have_count(1)
        self.assert_no_console_errors()

    def test_resident_in_difficulty_finds_a_window_and_can_call_it(self) -> None:
        page = self.new_page()
        self.visit(page, "/")
        page.get_by_role("navigation", name="メインメニュー").get_by_role(
            "link", name="相談する"
        ).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("相談する")
        self.assert_accessible(page)
        page.get_by_role("link", name="こころ", exact=True).click()
        page.wait_for_url(re.compile(r"concern=kokoro"))
        expect(page.locator(".concern-group")).to_have_count(1)
        call = page.get_by_role("link", name=re.compile("電話する 0120-000-000"))
        expect(call).to_have_attribute("href", "tel:0120000000")
        box = call.bounding_box()
        assert box is not None
        self.assertGreaterEqual(box["height"], 44, "a phone link must be easy to tap")
        expect(page.locator(".window-card")).to_contain_text("24時間")
        self.assert_accessible(page)

        page.get_by_role("link", name="DV・性暴力").click()
        expect(page.locator(".concern-group")).to_contain_text("まだ登録されていません")
        self.assert_accessible(page)

    def test_resident_prints_a_list_for_a_neighbour(self) -> None:
        page = self.new_page()
        self.visit(page, "/resources/?kind=food")
        page.get_by_role("link", name="印刷用の一覧").click()
        expect(page).to_have_url(re.compile(r"/resources/print/\?kind=food"))
        expect(page.locator(".print-table tbody tr")).to_have_count(3)
        expect(page.get_by_role("button", name="印刷する")).to_be_visible()
        self.assert_accessible(page)
        page.emulate_media(media="print")
        expect(page.locator(".site-header")).to_be_hidden()
        expect(page.get_by_role("button", name="印刷する")).to_be_hidden()
        expect(page.locator(".print-table")).to_be_visible()

    def test_on_a_phone_the_count_is_announced_and_the_back_link_keeps_the_search(self) -> None:
        page = self.new_page()
        self.visit(page, "/resources/")
        page.wait_for_function("typeof window.htmx !== 'undefined'")
        status = page.get_by_role("status").filter(has_text="件見つかりました")
        expect(status).to_have_attribute("aria-live", "polite")
        expect(status).to_have_text("5件見つかりました")

        page.get_by_label("キーワード").fill("食堂")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"q=%E9%A3%9F%E5%A0%82"))
        expect(status).to_have_text("3件見つかりました")
        box = status.bounding_box()
        assert box is not None
        self.assertLess(box["y"] + box["height"], 844, "the count must be on the first screen")

        page.get_by_label("市区町村").select_option(label="藤沢市")
        page.wait_for_url(re.compile(r"municipality=142051"))
        expect(status).to_have_text("2件見つかりました")
        self.assert_accessible(page)

        page.get_by_role("link", name="サンプル こども食堂ひまわり").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("サンプル こども食堂ひまわり")
        page.get_by_role("link", name="さがす画面に戻る").click()
        page.wait_for_url(re.compile(r"/resources/\?"))
        self.assertIn("q=%E9%A3%9F%E5%A0%82", page.url)
        self.assertIn("municipality=142051", page.url)
        expect(page.get_by_label("キーワード")).to_have_value("食堂")
        expect(page.get_by_label("市区町村")).to_have_value("142051")
        expect(self.results(page)).to_have_count(2)
        self.assert_no_console_errors()


@pytest.mark.browser
class HomeForResidentsTest(BrowserTestCase):
    def test_on_a_phone_search_consult_and_the_self_check_come_first(self) -> None:
        page = self.new_page()
        self.visit(page, "/")
        main = page.get_by_role("main")
        search = main.get_by_role("searchbox")
        consult = main.get_by_role("link", name="相談する", exact=True)
        selfcheck = main.get_by_role("link", name="セルフチェックをはじめる（1分）")
        apply = main.get_by_role("link", name="構成員として参加を申し込む")
        bottoms = []
        for element in (search, consult, selfcheck):
            box = element.bounding_box()
            assert box is not None
            bottoms.append(box["y"] + box["height"])
        self.assertLess(
            max(bottoms), 844, "search, 相談する and the self-check fit the first screen"
        )
        apply_box = apply.bounding_box()
        assert apply_box is not None
        self.assertGreater(apply_box["y"], max(bottoms))
        self.assert_accessible(page)

        search.fill("居場所")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/resources/\?q=%E5%B1%85%E5%A0%B4%E6%89%80"))
        expect(page.get_by_role("heading", level=1)).to_have_text("地域の居場所・支えをさがす")
