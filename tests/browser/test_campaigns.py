"""A member's staff run a before/after campaign; a participant answers twice on a phone;
the staff read the paired report (事前・事後の比較)."""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.lib.antibot import HumanCheckForm
from tsunagari.members.models import Organization
from tsunagari.surveys.models import Campaign, CampaignResponse
from tsunagari.surveys.services import record_response
from tsunagari.test import PASSWORD

require_chromium()
pytestmark = pytest.mark.browser

UCLA = (
    "あなたは、自分には人とのつきあいが無いと感じることがありますか。",
    "あなたは、自分は取り残されていると感じることがありますか。",
    "あなたは、自分は他の人たちから孤立していると感じることがありますか。",
)
DIRECT = "あなたはどの程度、孤独であると感じることがありますか。"


@pytest.mark.browser
class BeforeAfterCampaignJourneyTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)
        # A person needs at least 3 seconds; the test answers faster than any person.
        self.enterContext(mock.patch.object(HumanCheckForm, "min_seconds", 0))
        self.organization = Organization.objects.get(roster_no=13)
        factory.make_user("staff@example.jp", User.Role.MEMBER, organization=self.organization)

    def answer_on_a_phone(self, link: str, phase: str, code: str, choices: list[str]) -> Any:
        page = self.new_page(mobile=True)
        page.goto(link)
        expect(page.get_by_role("heading", level=1)).to_have_text("サロン 事前・事後アンケート")
        page.get_by_role("group", name=re.compile("いつの回答ですか")).get_by_label(phase).check()
        page.get_by_label("あなたが決める合言葉").fill(code)
        for text, choice in zip((*UCLA, DIRECT), choices, strict=True):
            page.get_by_role("group", name=text).get_by_label(choice, exact=True).check()
        return page

    def test_staff_run_a_before_after_campaign_and_read_the_paired_report(self) -> None:
        # The staff create the campaign with the UCLA items and the direct question.
        desk = self.new_page(mobile=False)
        self.sign_in_with_form(desk, "staff@example.jp", PASSWORD)
        self.visit(desk, "/surveys/")
        desk.get_by_role("link", name="新しい調査を作る").click()
        desk.get_by_label(re.compile("^調査名")).fill("サロン 事前・事後アンケート")
        desk.get_by_label("事前・事後で比べる").check()
        satisfaction = desk.get_by_role("checkbox", name=re.compile("誰もが地域で孤立することなく"))
        # Nothing comes ticked; the national set is one button away.
        for text in (*UCLA, DIRECT):
            expect(desk.get_by_role("checkbox", name=text)).not_to_be_checked()
        satisfaction.check()
        desk.get_by_role("button", name="国の調査と同じ設問（4問）").click()
        expect(desk.get_by_role("status")).to_contain_text("国の調査と同じ4問を選びました")
        expect(desk.get_by_role("status")).to_be_focused()
        for text in (*UCLA, DIRECT):
            expect(desk.get_by_role("checkbox", name=text)).to_be_checked()
        expect(satisfaction).not_to_be_checked()
        # What was typed stays.
        expect(desk.get_by_label(re.compile("^調査名"))).to_have_value(
            "サロン 事前・事後アンケート"
        )
        expect(desk.get_by_label("事前・事後で比べる")).to_be_checked()
        self.assert_accessible(desk)
        self.assertFalse(Campaign.objects.exists())
        # Enter in a text field saves (it does not apply the preset again).
        desk.get_by_label(re.compile("^調査名")).press("Enter")
        desk.wait_for_url(re.compile(r"/surveys/\d+/$"))
        expect(desk.get_by_role("status")).to_contain_text("作りました")
        self.assert_accessible(desk)
        campaign = Campaign.objects.get()
        link = desk.locator(".poster-url a").get_attribute("href")
        self.assertEqual(link, f"{self.live_server_url}/s/{campaign.token}/")
        expect(desk.locator("img.poster-qr")).to_have_js_property("complete", True)
        self.assertGreater(desk.locator("img.poster-qr").evaluate("img => img.naturalWidth"), 0)

        # A participant answers "before" on a phone with a code of their own.
        phone = self.answer_on_a_phone(
            link, "最初（事前）", "あおいうみ7", ["時々ある", "常にある", "時々ある", "時々ある"]
        )
        self.assert_accessible(phone)
        phone.get_by_role("button", name="送信する").click()
        phone.wait_for_url(re.compile(r"/thanks/\?phase=before$"))
        expect(phone.get_by_role("heading", level=1)).to_have_text("回答ありがとうございました")
        expect(phone.get_by_role("main")).to_contain_text("合言葉を覚えておいてください")
        expect(phone.get_by_role("main")).to_contain_text(
            "主催者にも事務局にも調べることができません"
        )
        self.assert_accessible(phone)

        # Later, "after", typing the same code in full width.
        later = self.answer_on_a_phone(
            link,
            "後日（事後）",
            "あおいうみ７",
            ["ほとんどない", "時々ある", "ほとんどない", "たまにある"],
        )
        later.get_by_role("button", name="送信する").click()
        later.wait_for_url(re.compile(r"/thanks/$"))
        first, second = CampaignResponse.objects.order_by("pk")
        self.assertEqual(first.pair_key, second.pair_key)

        # Nine more participants answered both times (entered here directly).
        items = [e.item_id for e in campaign.entries.order_by("position")]
        for i in range(9):
            before = [3, 3, 2 + i % 2, 3 + i % 3]
            after = [2, 3 - i % 2, 2, 2 + i % 2]
            for phase, values in (("before", before), ("after", after)):
                record_response(
                    campaign, dict(zip(items, values, strict=True)), phase=phase, code=f"p{i}x"
                )

        self.visit(desk, f"/surveys/{campaign.pk}/")
        desk.get_by_role("link", name="事前・事後の比較を見る").click()
        desk.wait_for_url(re.compile(r"/report/$"))
        expect(desk.get_by_role("heading", level=1)).to_have_text("事前・事後の比較")
        score = desk.locator("#ucla_score")
        expect(score.locator(".pairs")).to_have_text("10")
        expect(score.locator(".change")).to_contain_text("-")
        expect(score.locator(".improved")).to_contain_text("100.0%")
        expect(score.locator(".p-value")).to_have_text(re.compile(r"^(< 0\.001|0\.\d{3})$"))
        expect(score.locator(".reading")).to_contain_text("言い切ることはできません")
        self.assert_accessible(desk)
        self.assert_no_console_errors()

    def test_a_code_already_used_asks_for_another_with_the_answers_kept(self) -> None:
        from tsunagari.surveys.tests.test_campaigns import make_campaign

        campaign = make_campaign(
            self.organization, title="サロン 事前・事後アンケート", before_after=True
        )
        items = [e.item_id for e in campaign.entries.order_by("position")]
        record_response(campaign, dict.fromkeys(items, 2), phase="before", code="hoshi123")
        link = f"{self.live_server_url}/s/{campaign.token}/"
        phone = self.answer_on_a_phone(
            link, "最初（事前）", "HOSHI123", ["決してない", "決してない", "時々ある", "たまにある"]
        )
        phone.get_by_role("button", name="送信する").click()
        expect(phone.locator(".error-summary")).to_contain_text("この合言葉は使えません")
        expect(phone.get_by_label("あなたが決める合言葉")).to_have_value("HOSHI123")
        expect(
            phone.get_by_role("group", name=DIRECT).get_by_label("たまにある", exact=True)
        ).to_be_checked()
        self.assert_accessible(phone)
        self.assertEqual(CampaignResponse.objects.count(), 1)
        # The page with the error answers 400 on purpose; the browser logs that.
        self.console_errors = [e for e in self.console_errors if "status of 400" not in e]
        phone.get_by_label("あなたが決める合言葉").fill("hoshi-456")
        phone.get_by_role("button", name="送信する").click()
        phone.wait_for_url(re.compile(r"/thanks/\?phase=before$"))
        self.assertEqual(CampaignResponse.objects.count(), 2)
        self.assert_no_console_errors()
