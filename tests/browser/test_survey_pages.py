"""The public survey pages not covered by the journeys: the self-check aggregates (with
data, filtered, in English) and a closed campaign's page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari.surveys.models import Campaign
from tsunagari.surveys.sample import load_sample_selfchecks

require_chromium()
pytestmark = pytest.mark.browser


@pytest.mark.browser
class SurveyPublicPagesTest(BrowserTestCase):
    def test_the_aggregates_page_with_data_filtered_and_in_english(self) -> None:
        load_sample_selfchecks(count=1500)
        page = self.new_page()
        self.visit(page, "/selfcheck/results/")
        # The last 12 months of two years of answers: hundreds, shown as a number.
        expect(page.locator(".results-total")).to_have_text(re.compile(r"回答数：[0-9,]{3,}件"))
        self.assert_accessible(page)
        # A small city: most of its cells are suppressed, shown as "<10".
        self.visit(page, "/selfcheck/results/?city=143821&by=year")
        expect(page.get_by_text("<10").first).to_be_visible()
        self.assert_accessible(page)
        page.get_by_label("表示言語").select_option("en")
        page.get_by_role("button", name="切替").click()
        page.wait_for_selector("html[lang=en]")
        self.assert_accessible(page)
        self.assert_no_console_errors()

    def test_a_closed_campaign_says_so_kindly(self) -> None:
        campaign = Campaign.objects.create(title="閉じた調査", is_open=False)
        page = self.new_page()
        self.visit(page, f"/s/{campaign.token}/")
        expect(page.locator("h1")).to_be_visible()
        self.assert_accessible(page)
