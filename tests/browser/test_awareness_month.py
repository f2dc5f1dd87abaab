"""The May awareness month in a browser: the page on a phone (no sideways scroll, axe-core
AA), printed without the navigation, and the flyer printing on one A4 page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import override_settings

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari.awareness.month import year_to_show
from tsunagari.awareness.tests.factory import make_item, make_may_event
from tsunagari.members.models import Organization

require_chromium()
pytestmark = pytest.mark.browser


def page_count(body: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", body))


@pytest.mark.browser
class AwarenessMonthBrowserTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.enterContext(override_settings(MAP_TILE_URL=""))  # no request leaves the machine
        self.year = year_to_show()
        member = Organization.objects.get(roster_no=13)
        make_item(
            "【テスト】強化月間 特別電話相談（とても長い名前の窓口の例）",
            starts_on=dt.date(self.year, 5, 1),
            ends_on=dt.date(self.year, 5, 31),
        )
        for i in range(30):  # more than the flyer holds: it must still be one page
            event = make_may_event(
                f"【テスト】とても長い名前の交流会かながわつながりカフェ{i}",
                member,
                day=dt.date(self.year, 5, 1 + i),
                municipality=("142051", "141097", "141500")[i % 3],
            )
            event.locations.update(latitude=f"35.{300 + i}", longitude="139.490")

    def assert_fits(self, page: Any) -> None:
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        self.assertLessEqual(scroll, client, f"{page.url} is {scroll}px wide on {client}px")

    def test_the_may_page_fits_a_phone_is_accessible_and_prints_without_the_navigation(
        self,
    ) -> None:
        page = self.new_page()
        self.visit(page, f"/awareness-month/{self.year}/")
        self.assertIn("孤独・孤立対策強化月間", page.locator("h1").inner_text())
        page.locator("#resource-map .leaflet-marker-icon").first.wait_for()
        self.assert_fits(page)
        self.assert_accessible(page)
        page.get_by_label("週").select_option("2")
        page.get_by_role("button", name="しぼりこむ").click()
        page.wait_for_url(re.compile(r"week=2"))
        self.assertIn("7件の催しがあります", page.get_by_role("status").inner_text())
        page.emulate_media(media="print")
        self.assertTrue(page.locator(".site-header").is_hidden())
        self.assertTrue(page.locator("form.filters").is_hidden())
        self.assertTrue(page.locator("#resource-map").is_hidden())
        self.assertTrue(page.get_by_role("heading", name="月間の取組").is_visible())
        self.assert_no_console_errors()

    def test_the_flyer_fits_one_a4_page_with_its_qr_code(self) -> None:
        page = self.new_page(mobile=False)
        self.visit(page, f"/awareness-month/{self.year}/flyer/")
        self.assert_accessible(page)
        page.emulate_media(media="print")
        self.assertTrue(page.locator(".site-header").is_hidden())
        self.assertTrue(page.locator(".flyer-qr svg").is_visible())
        body = page.pdf(format="A4", prefer_css_page_size=True)
        self.assertEqual(page_count(body), 1)
        self.assert_no_console_errors()

    def test_the_flyer_fits_a_phone(self) -> None:
        page = self.new_page()
        self.visit(page, f"/awareness-month/{self.year}/flyer/")
        self.assert_fits(page)
        self.assert_accessible(page)

    def test_the_secretariat_adds_an_item_and_its_pages_pass_axe(self) -> None:
        from tsunagari import factory
        from tsunagari.accounts.models import User

        secretariat = factory.make_user("jimukyoku@example.jp", User.Role.SECRETARIAT)
        page = self.new_page(mobile=False)
        self.sign_in_as(page, secretariat)
        self.visit(page, "/secretariat/awareness-month/")
        self.assert_accessible(page)
        page.get_by_role("link", name="取組を登録する").click()
        page.get_by_label("名称").fill("【テスト】県の啓発イベント")
        page.get_by_role("button", name="保存する").click()
        page.wait_for_selector(".error-summary")  # dates and source missing
        self.assert_accessible(page)
        self.assertEqual(page.get_by_label("名称").input_value(), "【テスト】県の啓発イベント")
        page.get_by_label("開始日").fill(f"{self.year}-05-16")
        page.get_by_label("終了日").fill(f"{self.year}-05-16")
        page.get_by_label("出典").fill("県の発表資料（テスト）")
        page.get_by_role("button", name="保存する").click()
        page.wait_for_url(re.compile(r"/secretariat/awareness-month/$"))
        self.assertIn("【テスト】県の啓発イベント", page.get_by_role("table").inner_text())
        errors = [e for e in self.console_errors if "400 (Bad Request)" not in e]
        self.assertEqual(errors, [])  # the form with errors is answered 400, as meant
