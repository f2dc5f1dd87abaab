"""A working group's board on a phone (390 px): a member posts, another replies; the
public notice of a local council passes axe-core with no WCAG A/AA violation."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.councils.models import LocalCouncil
from tsunagari.groups.sample import load_sample_groups
from tsunagari.groups.tests.factory import make_group
from tsunagari.members.models import Organization

require_chromium()
pytestmark = pytest.mark.browser


@pytest.mark.browser
class GroupsTest(BrowserTestCase):
    def assert_fits(self, page: Any) -> None:
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        self.assertLessEqual(
            scroll, client, f"{page.url} is {scroll}px wide on a {client}px screen"
        )

    def test_a_member_posts_and_another_replies_on_a_phone(self) -> None:
        first = Organization.objects.get(roster_no=13)
        second = Organization.objects.get(roster_no=14)
        group = make_group(first, conveners=(second,), name="【サンプル】居場所づくり分科会")
        writer = factory.make_user(
            "writer@example.jp", User.Role.MEMBER, password=None, organization=first
        )
        replier = factory.make_user(
            "replier@example.jp", User.Role.MEMBER, password=None, organization=second
        )

        page = self.new_page()
        self.sign_in_as(page, writer)
        self.visit(page, f"/groups/{group.pk}/")
        page.get_by_label("件名（なくてもかまいません）").fill("会場の相談")
        page.get_by_label("本文").fill(
            "平日の昼に使える会場を探しています。https://example.org/sample/kaijo/"
        )
        page.get_by_role("button", name="投稿する").click()
        expect(page.get_by_role("heading", name="会場の相談")).to_be_visible()
        self.assert_fits(page)
        self.assert_accessible(page)

        other = self.new_page()
        self.sign_in_as(other, replier)
        self.visit(other, f"/groups/{group.pk}/")
        other.get_by_label("返信", exact=True).fill("夕方なら事務所の一室をお貸しできます。")
        other.get_by_role("button", name="返信する").click()
        expect(other.locator(".board-reply")).to_contain_text("お貸しできます")
        self.assert_fits(other)
        self.assert_accessible(other)
        self.assert_no_console_errors()

    def test_the_council_notice_is_accessible(self) -> None:
        load_sample_groups()
        council = LocalCouncil.objects.get(is_sample=True)
        page = self.new_page()
        self.visit(page, f"/councils/{council.pk}/")
        expect(page.get_by_role("heading", name="公表事項")).to_be_visible()
        expect(page.get_by_text("令和7年4月1日")).to_be_visible()
        self.assert_fits(page)
        self.assert_accessible(page)
        self.visit(page, "/councils/")
        self.assert_fits(page)
        self.assert_accessible(page)
