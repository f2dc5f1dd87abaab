"""Model cases in a browser: a member's staff turns a completed collaboration into a case
on a phone, fills in a step and submits it; the secretariat publishes it; the public
library shows it. axe-core finds no AA violations on the way and nothing is wider than
390 px."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.cases.models import ModelCase
from tsunagari.collaborations.tests.test_services import make_collaboration
from tsunagari.members.models import Organization

require_chromium()
pytestmark = pytest.mark.browser


@pytest.mark.browser
class CasesJourneyTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.organization = Organization.objects.get(roster_no=13)
        self.city = Organization.objects.get(roster_no=32)
        self.staff = factory.make_user(
            "staff@example.jp", User.Role.MEMBER, organization=self.organization
        )
        self.secretariat = factory.make_user("jimukyoku@example.jp", User.Role.SECRETARIAT)
        self.collaboration = make_collaboration(
            self.organization,
            self.city,
            "completed",
            title="【テスト】駅前の見守りカフェ",
            outcome="毎月30人が来るようになった。",
        )

    def assert_fits(self, page: Any) -> None:
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 390)

    def test_from_collaboration_to_the_public_library(self) -> None:
        page = self.new_page(mobile=True)
        self.sign_in_as(page, self.staff)
        self.visit(page, f"/collaborations/{self.collaboration.pk}/")
        page.get_by_role("link", name="モデル事例にする").click()
        page.wait_for_url(re.compile(r"/cases/new/from-collaboration/\d+/$"))
        self.assert_accessible(page)
        self.assert_fits(page)
        page.get_by_role("button", name="下書きを作る").click()
        page.wait_for_url(re.compile(r"/cases/\d+/edit/$"))
        expect(page.locator(".messages")).to_contain_text("下書きを作りました")
        self.assert_accessible(page)
        self.assert_fits(page)
        # A collaboration without a need carries no issue: the author writes it.
        page.get_by_label("課題（何に困っていたか）").fill("駅前で一人で過ごす高齢者が多かった。")
        page.locator("#id_steps-0-title").fill("駅前の空き店舗を借りる")
        page.get_by_role("button", name="下書きを保存する").click()
        page.wait_for_url(re.compile(r"/cases/\d+/$"))
        expect(page.get_by_role("main")).to_contain_text("駅前の空き店舗を借りる")
        page.get_by_role("button", name="事務局に確認を依頼する").click()
        expect(page.locator(".messages")).to_contain_text("事務局に確認を依頼しました。")
        case = ModelCase.objects.get()
        self.assertEqual(case.status, ModelCase.Status.REVIEW)

        reviewer = self.new_page(mobile=False)
        self.sign_in_as(reviewer, self.secretariat)
        self.visit(reviewer, "/secretariat/cases/")
        self.assert_accessible(reviewer)
        reviewer.get_by_role("link", name="【テスト】駅前の見守りカフェ").click()
        reviewer.get_by_role("button", name="公開する").click()
        expect(reviewer.locator(".messages")).to_contain_text("を公開しました。")

        public = self.new_page(mobile=True)
        self.visit(public, "/cases/?q=見守り")
        self.assert_accessible(public)
        self.assert_fits(public)
        public.get_by_role("link", name="【テスト】駅前の見守りカフェ").click()
        public.wait_for_url(re.compile(rf"/cases/{case.pk}/$"))
        main = public.get_by_role("main")
        expect(main).to_contain_text("毎月30人が来るようになった。")
        expect(main).to_contain_text(self.city.name)
        expect(main).to_contain_text("駅前の空き店舗を借りる")
        self.assert_accessible(public)
        self.assert_fits(public)
