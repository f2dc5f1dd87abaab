"""A resident on a phone turns on やさしい日本語 on the home page and walks the public
pages in it: search, a resource, consultation and the voice form."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import override_settings
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tests.browser.test_public_pages import OVERFLOW
from tsunagari.directory.search import reindex_all
from tsunagari.factory import make_resource

require_chromium()
PLAIN = re.compile("^ふつうの")  # ふつうの 日本語, with its reading in <ruby>
pytestmark = pytest.mark.browser


@pytest.mark.browser
class EasyJapaneseJourneyTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)
        self.enterContext(override_settings(MAP_TILE_URL=""))
        make_resource(
            "サンプル 地域の居場所 ひだまり",
            kinds=("ibasho",),
            targets=("koreisha",),
            municipality="142051",
            schedules=({"frequency": "weekly", "weekdays": "3"},),
        )
        make_resource(
            "サンプル こころの相談ダイヤル",
            kinds=("consultation",),
            concerns=("kokoro",),
            phone="0120-000-000",
            is_24h=True,
        )
        reindex_all()

    def assert_easy_page(self, page: Any) -> None:
        """In easy wording, still Japanese to the browser, fits the phone, no axe finding."""
        html = page.locator("html")
        expect(html).to_have_attribute("data-wording", "easy")
        expect(html).to_have_attribute("lang", "ja")
        expect(page.get_by_role("banner").get_by_role("link", name=PLAIN)).to_be_visible()
        nav = page.get_by_role("navigation", name="メニュー")
        expect(nav.get_by_role("link", name="相談（そうだん）する")).to_be_visible()
        overflow = page.evaluate(OVERFLOW)
        self.assertIsNone(overflow, f"{page.url} is wider than the phone")
        self.assert_accessible(page)

    def test_a_resident_walks_the_site_in_easy_japanese(self) -> None:
        page = self.new_page(mobile=True)
        self.visit(page, "/")
        page.get_by_role("banner").get_by_role("link", name="やさしい にほんご").click()
        page.wait_for_url(re.compile(r"/\?wording=easy$"))
        self.assert_easy_page(page)

        # Search: the links carry no wording; the cookie keeps it.
        page.get_by_role("navigation", name="メニュー").get_by_role("link", name="さがす").click()
        page.wait_for_url(re.compile(r"/resources/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "まちの いばしょや たすけを さがす"
        )
        page.get_by_role("searchbox").fill("居場所")
        page.get_by_role("search").get_by_role("button", name="さがす", exact=True).click()
        results = page.locator("#results")
        expect(results).to_contain_text("件（けん） みつかりました")
        self.assert_easy_page(page)

        # A resource.
        results.get_by_role("link", name="サンプル 地域の居場所 ひだまり").click()
        page.wait_for_url(re.compile(r"/resources/\d+/"))
        main = page.get_by_role("main")
        expect(main).to_contain_text("いばしょ")  # 居場所, a taxonomy label
        expect(main).to_contain_text("おとしより")  # 高齢者
        expect(main.get_by_role("link", name="さがす ページに もどる")).to_be_visible()
        self.assert_easy_page(page)

        # Consultation.
        page.get_by_role("navigation", name="メニュー").get_by_role(
            "link", name="相談（そうだん）する"
        ).click()
        page.wait_for_url(re.compile(r"/consult/"))
        expect(page.get_by_role("main")).to_contain_text("ひとりで なやまないで ください。")
        self.assert_easy_page(page)

        # The voice form, sent empty: the errors are easy too.
        footer = page.get_by_role("contentinfo")
        footer.get_by_role("link", name=re.compile("こんな ばしょや")).click()
        page.wait_for_url(re.compile(r"/voice/$"))
        text = page.get_by_role("textbox", name=re.compile("どんな ばしょや たすけが ほしいですか"))
        expect(text).to_be_visible()
        self.assert_easy_page(page)
        page.get_by_role("button", name="おくる").click()
        expect(page.get_by_role("main")).to_contain_text("かいた ことを たしかめて ください")
        self.assert_easy_page(page)

        # And back to plain Japanese in one tap.
        page.get_by_role("banner").get_by_role("link", name=PLAIN).click()
        expect(page.locator("html")).not_to_have_attribute("data-wording", "easy")
        expect(page.get_by_role("heading", level=1)).to_have_text("こんな場・支えがほしい")
        # The form with errors answers 400, which the browser logs; nothing else.
        self.assertEqual([e for e in self.console_errors if "status of 400" not in e], [])
