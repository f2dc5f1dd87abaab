"""An officer of 藤沢市 looks after their area: confirms one resource, points out an
error in another, and screens a resident's voice into a need; each page passes axe-core."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.directory.models import ErrorReport
from tsunagari.geo.models import Municipality
from tsunagari.matching.models import Need, ResidentRequest
from tsunagari.members.models import Organization

require_chromium()
pytestmark = pytest.mark.browser


@pytest.mark.browser
class OfficerAreaJourneyTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        organization = Organization.objects.get(roster_no=13)
        self.officer = factory.make_user(
            "fujisawa@example.jp",
            User.Role.MUNICIPALITY,
            municipality=Municipality.objects.get(pk="142051"),
        )
        self.old = factory.make_resource(
            "サンプル 辻堂の居場所", organization=organization, last_verified_on=dt.date(2024, 4, 1)
        )
        self.wrong = factory.make_resource(
            "サンプル 湘南の食堂", organization=organization, kinds=("food",)
        )
        factory.make_resource("サンプル 横浜の居場所", municipality="141003")
        self.voice = ResidentRequest.objects.create(
            text="辻堂の山田です。週末に親子で行ける場所がほしいです。",
            municipality_id="142051",
        )

    def test_an_officer_confirms_flags_and_screens(self) -> None:
        page = self.new_page(mobile=False)
        self.sign_in_as(page, self.officer)
        self.visit(page, "/my/")
        page.get_by_role("link", name="担当地域の社会資源（確認・指摘）").click()
        page.wait_for_url(re.compile(r"/manage/area/resources/\?municipality=142051$"))
        expect(page.get_by_role("main")).not_to_contain_text("サンプル 横浜の居場所")
        self.assert_accessible(page)

        page.get_by_role("button", name="「サンプル 辻堂の居場所」を確認した").click()
        expect(page.get_by_role("status")).to_contain_text("確認済みにしました")
        self.old.refresh_from_db()
        self.assertIsNotNone(self.old.last_verified_on)
        self.assertGreater(self.old.last_verified_on, dt.date(2024, 4, 1))

        page.get_by_role("link", name="「サンプル 湘南の食堂」について指摘する").click()
        page.wait_for_url(re.compile(r"/manage/area/resources/\d+/flag/"))
        self.assert_accessible(page)
        page.get_by_label("指摘の内容").fill("昨年で閉所しています。")
        page.get_by_role("button", name="指摘を送る").click()
        page.wait_for_url(re.compile(r"/manage/area/resources/\?municipality=142051$"))
        expect(page.get_by_role("status")).to_contain_text("提供団体と事務局に送りました")
        report = ErrorReport.objects.get()
        self.assertEqual(report.resource, self.wrong)
        self.assertIn("昨年で閉所しています。", report.message)

        # The voice from 藤沢市, screened into a need.
        self.visit(page, "/manage/area/voices/?municipality=142051")
        self.assert_accessible(page)
        page.get_by_role("row").nth(1).get_by_role("link").click()
        page.wait_for_url(re.compile(r"/manage/area/voices/\d+/$"))
        self.assert_accessible(page)
        page.get_by_label("ニーズの見出し").fill("週末に親子で参加できる場がほしい")
        page.get_by_label(re.compile(r"^内容")).fill(
            "藤沢市で子育て中の方から、週末に親子で行ける場がほしいという声です。"
        )
        page.get_by_label(re.compile("個人が特定される内容")).check()
        page.get_by_role("button", name="ニーズとして公開する").click()
        page.wait_for_url(re.compile(r"/manage/area/voices/$"))
        expect(page.get_by_role("status")).to_contain_text("ニーズとして構成員に公開しました")
        need = Need.objects.get()
        self.assertEqual(need.municipality_id, "142051")
        self.assertNotIn("山田", need.description)
        self.assert_no_console_errors()
