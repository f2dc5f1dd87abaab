"""Staff key paper self-checks with the keyboard only: digits, auto-advance, Enter."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.members.models import Organization
from tsunagari.surveys.models import Channel, SelfCheckResponse

require_chromium()
pytestmark = pytest.mark.browser


@pytest.mark.browser
class PaperEntryJourneyTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.staff = factory.make_user(
            "staff@example.jp",
            User.Role.MEMBER,
            organization=Organization.objects.get(roster_no=13),
        )

    def test_staff_key_three_sheets_with_the_keyboard_only(self) -> None:
        page = self.new_page(mobile=False)
        self.sign_in_as(page, self.staff)
        self.visit(page, "/selfcheck/entry/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("紙の回答の入力")
        self.assert_accessible(page)

        sheets = ["2314", "4445", "1111"]
        for number, answers in enumerate(sheets, 1):
            expect(page.locator("#id_ucla_1")).to_be_focused()
            # One digit per question; the page moves on by itself.
            page.keyboard.type(answers)
            expect(page.locator("#id_age_band")).to_be_focused()
            page.keyboard.type("８")  # full width, as a Japanese keyboard may send it
            expect(page.locator("#id_municipality")).to_be_focused()
            page.keyboard.type("142051")
            page.keyboard.press("Tab")
            page.keyboard.type("1 3")
            page.keyboard.press("Enter")
            expect(page.get_by_role("status")).to_contain_text(f"{number}件目を保存しました")
            self.assertRegex(page.url, r"/selfcheck/entry/\?date=\d{4}-\d{2}-\d{2}&wording=ja$")

        expect(page.locator("#id_ucla_1")).to_have_value("")
        expect(page.get_by_role("table")).to_contain_text("1 / 1 / 1 / 1 / 8 / 1 3")
        self.assert_accessible(page)
        rows = list(
            SelfCheckResponse.objects.values_list(
                "channel", "indirect_score", "direct", "age_band", "municipality_id", "helps"
            )
        )
        self.assertCountEqual(  # random keys: the rows have no order of arrival
            rows,
            [
                (Channel.PAPER, 6, 4, "80+", "142051", "talk,place"),
                (Channel.PAPER, 12, 5, "80+", "142051", "talk,place"),
                (Channel.PAPER, 3, 1, "80+", "142051", "talk,place"),
            ],
        )
        self.assert_no_console_errors()

    def test_without_javascript_tab_and_enter_do_and_a_mistake_is_kept(self) -> None:
        page = self.new_page(mobile=False, java_script_enabled=False)
        self.sign_in_as(page, self.staff)
        self.visit(page, "/selfcheck/entry/")
        expect(page.locator("#id_ucla_1")).to_be_focused()  # autofocus needs no script
        for digit in "2395":
            page.keyboard.type(digit)
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        # 9 is not an option of question 3: the sheet stays as typed, focus on it.
        expect(page.locator("#id_ucla_3_error")).to_contain_text("1〜4")
        expect(page.locator("#id_ucla_3")).to_be_focused()
        expect(page.locator("#id_ucla_1")).to_have_value("2")
        expect(page.locator("#id_direct")).to_have_value("5")
        self.assertFalse(SelfCheckResponse.objects.exists())
        page.keyboard.press("End")
        page.keyboard.press("Backspace")
        page.keyboard.type("4")
        page.keyboard.press("Enter")
        expect(page.get_by_role("status")).to_contain_text("1件目を保存しました")
        self.assertEqual(SelfCheckResponse.objects.get().indirect_score, 9)
