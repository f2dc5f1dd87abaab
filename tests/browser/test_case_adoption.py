"""An officer on a phone (390 px) takes a published model case up for 藤沢市: 関心, then
実施 with a note; the public case page names the municipality. The adopt form and the
adoptions page pass axe-core with no WCAG A/AA violation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.cases import adoption as services
from tsunagari.cases.models import CaseAdoption
from tsunagari.cases.tests.adoption_factory import make_case
from tsunagari.geo.models import Municipality

require_chromium()
pytestmark = pytest.mark.browser


@pytest.mark.browser
class CaseAdoptionTest(BrowserTestCase):
    def assert_fits(self, page: Any) -> None:
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        self.assertLessEqual(
            scroll, client, f"{page.url} is {scroll}px wide on a {client}px screen"
        )

    def test_an_officer_adopts_a_case_on_a_phone(self) -> None:
        case = make_case("【サンプル】居場所をつなぐ月例会")
        officer = factory.make_user(
            "fujisawa-officer@example.jp",
            User.Role.MUNICIPALITY,
            password=None,
            municipality=Municipality.objects.get(pk="142051"),
        )
        page = self.new_page()
        self.sign_in_as(page, officer)
        self.visit(page, f"/cases/{case.pk}/")
        page.get_by_role("link", name="この事例の導入を記録する（市町村の担当者）").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("導入を記録する")
        self.assert_fits(page)
        self.assert_accessible(page)
        page.get_by_label("関心").check()
        page.get_by_label("この段階になった日").fill("令和7年6月1日")
        page.get_by_role("button", name="記録する").click()
        expect(page.get_by_text("藤沢市の段階を「関心」にしました。")).to_be_visible()

        page.get_by_role("link", name="この事例の導入を記録する（市町村の担当者）").click()
        page.get_by_label("実施").check()
        page.get_by_label("この段階になった日").fill("R7.9.1")
        page.get_by_label("メモ").fill("藤沢駅周辺の3か所で始めた。")
        page.get_by_role("button", name="記録する").click()
        expect(page.get_by_text("藤沢市の段階を「実施」にしました。")).to_be_visible()
        adoption = CaseAdoption.objects.get(case=case)
        self.assertEqual(
            list(adoption.history.values_list("stage", flat=True)), ["interest", "implementing"]
        )

        self.visit(page, "/cases/adoptions/")
        expect(page.get_by_role("cell", name="令和7年9月1日")).to_be_visible()
        self.assert_fits(page)
        self.assert_accessible(page)

        public = self.new_page()
        self.visit(public, f"/cases/{case.pk}/")
        section = public.locator(".case-adoptions")
        expect(section).to_contain_text("藤沢市")
        expect(section).to_contain_text("実施")
        expect(section).to_contain_text("令和7年9月1日から")
        self.assert_fits(public)
        self.assert_accessible(public)
        self.assert_no_console_errors()

    def test_the_secretariat_counts_are_accessible(self) -> None:
        case = make_case()

        services.set_stage(
            case, Municipality.objects.get(pk="142051"), stage="interest", on=dt.date(2025, 5, 1)
        )
        secretariat = factory.make_user("office@example.jp", User.Role.SECRETARIAT, password=None)
        page = self.new_page()
        self.sign_in_as(page, secretariat)
        self.visit(page, "/cases/adoptions/")
        expect(page.get_by_text("市町村ごと・段階ごとの件数")).to_be_visible()
        self.assert_fits(page)
        self.assert_accessible(page)
