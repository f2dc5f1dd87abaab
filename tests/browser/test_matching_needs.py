"""A member's staff post a need and see ranked seeds from across the network."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.matching.models import Need, Suggestion
from tsunagari.members.models import Organization
from tsunagari.test import PASSWORD, run_tasks

require_chromium()
pytestmark = pytest.mark.browser


@pytest.mark.browser
class MatchingNeedsTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.organization = Organization.objects.get(roster_no=13)
        self.partner = Organization.objects.get(roster_no=14)
        self.staff = factory.make_user(
            "staff@example.jp", User.Role.MEMBER, organization=self.organization
        )
        self.hiroba = factory.make_resource(
            "サンプル 週末親子ひろば",
            organization=self.partner,
            description="土曜と日曜に親子で遊べるひろばです。乳幼児と保護者が参加できます（サンプル）。",
            targets=("kosodate",),
            kinds=("ibasho",),
        )
        factory.make_resource(
            "サンプル 子育てサロン",
            description="乳幼児と保護者が集まる子育てサロン。毎月第1土曜（サンプル）。",
            targets=("kosodate",),
            kinds=("ibasho", "event"),
            municipality="142077",  # 茅ヶ崎市
        )
        factory.make_resource(
            "サンプル 高齢者の囲碁クラブ",
            description="平日の午後に囲碁を楽しむクラブです（サンプル）。",
            targets=("koreisha",),
            kinds=("culture",),
            municipality="143821",  # 箱根町
        )

    def test_staff_post_a_need_see_suggestions_with_reasons_and_bookmark_one(self) -> None:
        page = self.new_page(mobile=False)
        self.sign_in_with_form(page, "staff@example.jp", PASSWORD)
        page.get_by_role("link", name="ニーズを登録する").click()
        page.wait_for_url(re.compile(r"/needs/new/$"))
        self.assert_accessible(page)

        # A missing area comes back with the message and everything typed kept.
        page.locator("#id_title").fill("週末に親子で参加できる場がほしい")
        page.locator("#id_description").fill(
            "土日に乳幼児と保護者が気軽に過ごせる場所が近くにありません。"
        )
        page.locator("#id_target_groups").get_by_label("子育て世帯").check()
        page.locator("#id_kinds_wanted").get_by_label("居場所").check()
        page.get_by_role("button", name="登録する").click()
        expect(page.locator(".error-summary")).to_contain_text("地域を選んでください。")
        expect(page.locator("#id_title")).to_have_value("週末に親子で参加できる場がほしい")
        expect(page.locator("#id_target_groups").get_by_label("子育て世帯")).to_be_checked()
        self.assert_accessible(page)
        # The form answered 400 on purpose; Chromium logs that as an error.
        self.console_errors.clear()

        page.locator("#id_municipality").select_option(label="藤沢市")
        page.get_by_role("button", name="登録する").click()
        page.wait_for_url(re.compile(r"/needs/\d+/$"))
        expect(page.locator(".messages")).to_contain_text("登録しました")
        expect(page.locator("#suggestions")).to_contain_text("計算中です")

        # The background worker embeds the need and ranks the seeds; the page polls.
        self.assertGreaterEqual(run_tasks(), 1)
        suggestions = page.locator("#suggestions")
        expect(suggestions).to_contain_text("サンプル 週末親子ひろば", timeout=15_000)
        need = Need.objects.get()
        first = need.suggestions.order_by("rank").first()
        assert first is not None
        self.assertEqual(first.resource, self.hiroba)
        row = page.locator(f"#suggestion-{first.pk}")
        for reason in first.reasons:
            expect(row.locator(".reason-tags")).to_contain_text(reason)
        expect(row.get_by_role("link", name="この団体に連携を提案する")).to_have_attribute(
            "href", f"/collaborations/new/?need={need.pk}&resource={self.hiroba.pk}"
        )
        self.assert_accessible(page)

        row.get_by_role("button", name="ブックマーク").click()
        expect(page.locator(f"#suggestion-{first.pk}")).to_contain_text("ブックマーク済み")
        # The keyboard focus stays in the row that changed.
        expect(row.get_by_role("button", name="ブックマークを外す")).to_be_focused()
        first.refresh_from_db()
        self.assertEqual(first.state, Suggestion.State.BOOKMARKED)

        # Still bookmarked after a reload.
        page.reload()
        expect(page.locator(f"#suggestion-{first.pk}")).to_contain_text("ブックマーク済み")
        self.assert_accessible(page)

        page.get_by_role("link", name="ニーズ一覧に戻る").click()
        page.wait_for_url(re.compile(r"/needs/$"))
        expect(page.locator("#needs")).to_contain_text("週末に親子で参加できる場がほしい")
        self.assert_accessible(page)
        page.get_by_role("link", name="あなたの資源を待っているニーズ").click()
        page.wait_for_url(re.compile(r"/needs/waiting/$"))
        self.assert_accessible(page)
        self.assert_no_console_errors()
