"""A resident sends 「こんな場・支えがほしい」 from a phone; the secretariat publishes a need."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.lib.antibot import HumanCheckForm
from tsunagari.matching.models import Need, ResidentRequest
from tsunagari.members.models import Organization
from tsunagari.test import PASSWORD, run_tasks

require_chromium()
pytestmark = pytest.mark.browser

ORIGINAL = "辻堂に住む山田です。週末に小学生の息子と気軽に行ける場所が近くにほしいです。"


@pytest.mark.browser
class ResidentRequestJourneyTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)
        # A person needs at least 3 seconds; the test types faster than any person.
        self.enterContext(mock.patch.object(HumanCheckForm, "min_seconds", 0))
        self.organization = Organization.objects.get(roster_no=13)
        self.staff = factory.make_user(
            "staff@example.jp", User.Role.MEMBER, organization=self.organization
        )
        self.secretariat = factory.make_user("jimukyoku@example.jp", User.Role.SECRETARIAT)
        factory.make_resource("サンプル 親子の週末ひろば", organization=self.organization)

    def test_a_resident_asks_from_a_phone_and_the_secretariat_publishes_a_need(self) -> None:
        # The resident, on a phone, finds the form from the footer.
        page = self.new_page(mobile=True)
        self.visit(page, "/")
        page.get_by_role("link", name=re.compile("こんな場・支えがほしい")).click()
        page.wait_for_url(re.compile(r"/voice/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("こんな場・支えがほしい")
        self.assert_accessible(page)

        page.get_by_label("どんな場や支えがほしいですか").fill(ORIGINAL)
        page.get_by_label("お住まいの市区町村（任意）").select_option(label="藤沢市")
        page.get_by_role("group", name=re.compile("どなたのための")).get_by_label(
            "子育て世帯"
        ).check()
        # A name typed without ticking the consent box is not kept.
        page.get_by_label("お名前（任意）").fill("山田花子")
        page.get_by_role("button", name="送信する").click()
        page.wait_for_url(re.compile(r"/voice/thanks/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("声を受け付けました")
        self.assert_accessible(page)

        item = ResidentRequest.objects.get()
        self.assertEqual(item.text, ORIGINAL)
        self.assertEqual(item.contact_name, "")
        self.assertFalse(item.contact_consent)

        # The secretariat sees the new voice on the dashboard and screens it.
        desk = self.new_page(mobile=False)
        self.sign_in_with_form(desk, "jimukyoku@example.jp", PASSWORD)
        expect(desk.get_by_role("main")).to_contain_text("未確認 1件")
        desk.get_by_role("link", name="住民の声").click()
        desk.wait_for_url(re.compile(r"/secretariat/voices/$"))
        self.assert_accessible(desk)
        desk.get_by_role("row").nth(1).get_by_role("link").click()
        desk.wait_for_url(re.compile(r"/secretariat/voices/\d+/$"))
        expect(desk.locator(".voice-original")).to_have_text(ORIGINAL)
        self.assert_accessible(desk)

        # The original is pre-filled; publishing needs the confirmation box.
        description = desk.get_by_label(re.compile(r"^内容"))
        expect(description).to_have_value(ORIGINAL)
        desk.get_by_label("ニーズの見出し").fill("週末に親子で参加できる場がほしい")
        description.fill(
            "藤沢市で小学生の子を育てる方から、週末に親子で気軽に行ける場がほしいという声です。"
        )
        desk.get_by_role("group", name="求める資源の種類").get_by_label("居場所").check()
        desk.get_by_role("button", name="ニーズとして公開する").click()
        expect(desk.locator(".error-summary")).to_contain_text("個人が特定される内容")
        self.assert_accessible(desk)
        # The page with the error answers 400 on purpose; the browser logs that.
        self.console_errors = [e for e in self.console_errors if "status of 400" not in e]
        desk.get_by_label(re.compile("個人が特定される内容")).check()
        desk.get_by_role("button", name="ニーズとして公開する").click()
        desk.wait_for_url(re.compile(r"/secretariat/voices/$"))
        expect(desk.get_by_role("status")).to_contain_text("ニーズとして構成員に公開しました")

        need = Need.objects.get()
        self.assertEqual(need.origin, Need.Origin.RESIDENT)
        self.assertIsNone(need.organization)
        self.assertNotIn("山田", need.description)
        # The worker ranks seeds for the new need.
        self.assertGreaterEqual(run_tasks(), 1)
        need.refresh_from_db()
        self.assertIsNotNone(need.suggestions_computed_at)
        self.assert_no_console_errors()
