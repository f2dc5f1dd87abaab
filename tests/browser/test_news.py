"""News on a phone (390 px: no sideways scroll, axe-core finds no WCAG A/AA violation),
and the secretariat previewing and sending a member mailing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.members.models import Organization
from tsunagari.news.models import Mailing, Recipient
from tsunagari.news.tests.factory import make_post, subscribe

require_chromium()
pytestmark = pytest.mark.browser

LONG_URL = "https://www.example.jp/kurashi/fukushi/tsunagari/oshirase/totemo-nagai-page-no-namae.html?from=news"


@pytest.mark.browser
class NewsTest(BrowserTestCase):
    def assert_fits(self, page: Any) -> None:
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        self.assertLessEqual(
            scroll, client, f"{page.url} is {scroll}px wide on a {client}px screen"
        )

    def test_the_list_and_a_post_read_well_on_a_phone(self) -> None:
        organization = Organization.objects.get(roster_no=13)
        for i in range(3):
            make_post(
                f"【サンプル】とても長いタイトルのお知らせ・地域のつながりを考える集い第{i}回のご案内"
            )
        post = make_post(
            "【サンプル】交流会のお知らせ",
            category="event",
            organization=organization,
            body=f"毎月の交流会です。\n\n詳しくは {LONG_URL} をご覧ください。",
        )
        page = self.new_page()
        self.visit(page, "/news/")
        expect(page.get_by_role("heading", name="お知らせ", level=1)).to_be_visible()
        self.assert_fits(page)
        self.assert_accessible(page)
        page.get_by_role("link", name="【サンプル】交流会のお知らせ").click()
        page.wait_for_url(re.compile(rf"/news/{post.pk}/$"))
        expect(page.get_by_role("link", name=LONG_URL)).to_be_visible()
        self.assert_fits(page)
        self.assert_accessible(page)
        self.assert_no_console_errors()

    def test_the_secretariat_previews_and_sends_a_mailing(self) -> None:
        organization = Organization.objects.get(roster_no=13)
        staff = [
            factory.make_user(
                f"m{i}@example.jp", User.Role.MEMBER, password=None, organization=organization
            )
            for i in range(2)
        ]
        subscribe(*staff)
        secretariat = factory.make_user("jimu@example.jp", User.Role.SECRETARIAT, password=None)
        page = self.new_page(mobile=False)
        self.sign_in_as(page, secretariat)
        self.visit(page, "/news/mailings/")
        page.get_by_role("link", name="メールを書く").click()
        page.get_by_label("件名").fill("総会のご案内")
        page.get_by_label("本文").fill("構成員の皆さまへ。\n\n総会を開きます。")
        page.get_by_role("button", name="保存して確認する").click()
        expect(page.get_by_role("heading", name="届くメールの確認")).to_be_visible()
        expect(page.locator(".mail-body")).to_contain_text("総会を開きます。")
        expect(page.locator(".mail-body")).to_contain_text("配信の停止")
        self.assert_accessible(page)
        page.get_by_role("button", name="2人に送信する").click()
        expect(page.get_by_role("heading", name="送信の記録")).to_be_visible()
        expect(page.locator(".messages")).to_contain_text("2人への送信にまわしました")
        self.assert_accessible(page)
        mailing = Mailing.objects.get()
        self.assertEqual(mailing.status, Mailing.Status.SENDING)
        self.assertEqual(Recipient.objects.filter(mailing=mailing).count(), 2)
        self.assert_no_console_errors()
