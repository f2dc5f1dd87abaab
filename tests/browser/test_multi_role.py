"""A municipality officer who is also staff of member organisations posts a need on a
phone, saying in which capacity (「どの立場で」)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.geo.models import Municipality
from tsunagari.matching.models import Need
from tsunagari.members.models import Organization
from tsunagari.test import PASSWORD

require_chromium()
pytestmark = pytest.mark.browser


def assert_fits(test: BrowserTestCase, page: object) -> None:
    width = page.evaluate(  # type: ignore[attr-defined]
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    test.assertLessEqual(width[0], width[1], f"wider than the phone: {width}")


@pytest.mark.browser
class MultiRoleOfficerTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.city = Organization.objects.get(roster_no=31)  # 藤沢市 as a member
        self.npo = Organization.objects.get(roster_no=13)
        self.person = factory.add_capacities(
            factory.make_user(
                "fujisawa-both@example.jp",
                User.Role.MUNICIPALITY,
                municipality=Municipality.objects.get(code="142051"),
                full_name="藤沢 担当",
            ),
            organizations=(self.city, self.npo),
        )

    def test_the_officer_posts_a_need_as_the_city_on_a_phone(self) -> None:
        page = self.new_page()
        self.sign_in_with_form(page, "fujisawa-both@example.jp", PASSWORD)
        expect(page.get_by_role("heading", name="藤沢市の担当者として")).to_be_visible()
        self.assert_accessible(page)
        assert_fits(self, page)

        page.get_by_role("link", name="ニーズを登録する").click()
        page.wait_for_url(re.compile(r"/needs/new/$"))
        choice = page.get_by_role("group", name=re.compile("どの立場で"))
        expect(choice).to_be_visible()
        self.assert_accessible(page)
        assert_fits(self, page)

        # Sent without saying as whom: the question comes back with what was typed.
        page.locator("#id_title").fill("平日の夕方に中高生が過ごせる場がほしい")
        page.locator("#id_description").fill("放課後に安心して過ごせる場所が地域に足りません。")
        page.locator("#id_municipality").select_option(label="藤沢市")
        page.get_by_role("button", name="登録する").click()
        expect(page.locator(".error-summary")).to_contain_text("どの立場で行うかを選んでください。")
        expect(page.locator("#id_title")).to_have_value("平日の夕方に中高生が過ごせる場がほしい")
        self.assert_accessible(page)
        self.console_errors.clear()  # the 400 answer, on purpose

        choice.get_by_label("藤沢市", exact=True).check()
        page.get_by_role("button", name="登録する").click()
        page.wait_for_url(re.compile(r"/needs/\d+/$"))
        expect(page.locator(".messages")).to_contain_text("登録しました")
        expect(page.get_by_role("main")).to_contain_text("藤沢市")
        self.assertEqual(Need.objects.get().organization, self.city)
        self.assert_accessible(page)
        assert_fits(self, page)

        # Next time the city is already chosen.
        self.visit(page, "/needs/new/")
        expect(choice.get_by_label("藤沢市", exact=True)).to_be_checked()

        # As the officer: the gap view opens on the city.
        self.visit(page, "/my/")
        page.get_by_role("link", name="ニーズとシーズのギャップ").first.click()
        page.wait_for_url(re.compile(r"/gaps/"))
        expect(page.locator("#id_area")).to_have_value("142051")
        self.assert_accessible(page)
        self.assert_no_console_errors()
