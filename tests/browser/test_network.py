"""The secretariat's network page (SVG + table) on a desktop and a phone, and a member
asking the secretariat for an introduction."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.members.models import Organization
from tsunagari.network.models import IntroductionRequest
from tsunagari.network.tests.factory import attend, collaborate, make_member

require_chromium()
pytestmark = pytest.mark.browser


@pytest.mark.browser
class NetworkPageTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.organization = Organization.objects.get(roster_no=13)
        self.other = Organization.objects.get(roster_no=14)
        factory.make_resource(
            "【テスト】高齢者の居場所13", organization=self.organization, targets=("koreisha",)
        )
        factory.make_resource(
            "【テスト】高齢者の居場所14", organization=self.other, targets=("koreisha",)
        )
        a = make_member(
            "【テスト】とても長い名前の地域福祉活動団体かながわ", municipalities=("142051",)
        )
        b = make_member("【テスト】団体B", "private")
        c = make_member("【テスト】団体C", "academic")
        collaborate(a, b, on=date(2025, 6, 1))
        attend(a, b, c, on=date(2025, 7, 15))

    def check(self, mobile: bool) -> Any:
        secretariat = factory.make_user(
            f"jimu-{int(mobile)}@example.jp", User.Role.SECRETARIAT, password=None
        )
        page = self.new_page(mobile=mobile)
        self.sign_in_as(page, secretariat)
        self.visit(page, "/secretariat/network/")
        self.assertEqual(page.locator("svg.network-graph line").count(), 3)
        self.assertEqual(page.locator("table.network-edges tbody tr").count(), 3)
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        self.assertLessEqual(scroll, client, "the page is wider than the screen")
        svg_width = page.locator("svg.network-graph").bounding_box()["width"]
        self.assertLessEqual(svg_width, client)
        self.assert_accessible(page)
        self.assert_no_console_errors()
        return page

    def test_the_network_page_is_accessible_on_a_desktop(self) -> None:
        self.check(mobile=False)

    def test_the_network_page_fits_a_phone_and_its_table_scrolls_in_its_box(self) -> None:
        page = self.check(mobile=True)
        box = page.locator(".table-scroll").first
        inner, outer = box.evaluate("b => [b.scrollWidth, b.clientWidth]")
        self.assertGreaterEqual(inner, outer)

    def test_a_member_asks_for_an_introduction(self) -> None:
        staff = factory.make_user(
            "staff13@example.jp", User.Role.MEMBER, organization=self.organization
        )
        page = self.new_page()
        self.sign_in_as(page, staff)
        self.visit(page, "/network/introductions/")
        self.assertTrue(
            page.get_by_text("同じ藤沢市で高齢者の居場所を運営、まだ接点なし").first.is_visible()
        )
        self.assert_accessible(page)
        item = page.locator(".introduction-suggestions li", has_text=self.other.name)
        item.get_by_label("事務局への一言（任意）").fill("ぜひお話ししたいです")
        item.get_by_role("button").click()
        page.wait_for_url("**/network/introductions/?organization=*")
        self.assertTrue(page.get_by_text("紹介を依頼中です").first.is_visible())
        asked = IntroductionRequest.objects.get()
        self.assertEqual((asked.to_organization, asked.note), (self.other, "ぜひお話ししたいです"))
        self.assert_no_console_errors()
