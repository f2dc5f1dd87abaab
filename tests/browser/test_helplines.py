"""The crisis help and /consult/ on a phone (390 × 844): nothing is cut off or makes the
page wider than the screen, axe-core finds no WCAG A/AA violation, and the numbers are
one tap away."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory

require_chromium()
pytestmark = pytest.mark.browser

LONG_EMAIL = "soudan-madoguchi.kokoro-no-sodan-center.yokohama-shi@example-nagai-domain.jp"
LONG_URL = (
    "https://www.example.jp/kurashi/fukushi/kokoro/soudan/madoguchi/"
    "sodan-no-annai-ichiran-page-ga-totemo-nagai.html?from=tsunagari&lang=ja"
)


def fits_the_screen(page: Any) -> tuple[int, int]:
    return page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


@pytest.mark.browser
class PhoneWidthTest(BrowserTestCase):
    def assert_fits(self, page: Any) -> None:
        scroll, client = fits_the_screen(page)
        self.assertLessEqual(
            scroll, client, f"{page.url} is {scroll}px wide on a {client}px screen"
        )

    def check(self, path: str) -> Any:
        page = self.new_page()
        self.visit(page, path)
        # The lines with set hours are folded; open them so they are measured too.
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        self.assert_fits(page)
        self.assert_accessible(page)
        self.assert_no_console_errors()
        return page

    def test_consult_with_long_emails_urls_and_names_fits_a_phone(self) -> None:
        from tsunagari.directory.search import reindex_all

        for i in range(3):
            factory.make_resource(
                f"【サンプル】とても長い名前の相談窓口かながわこころとくらしの総合相談センター{i}",
                kinds=("consultation",),
                concerns=("kokoro",),
                languages=("ja", "en", "zh", "ko", "vi"),
                email=LONG_EMAIL,
                url=LONG_URL,
                phone="0120-000-000",
                how_to_join="電話またはメールでご相談ください。" + LONG_URL,
                hours_note="月曜日から金曜日の午前9時から午後5時まで（祝日・年末年始を除く）",
            )
        reindex_all()
        page = self.check("/consult/")
        # The crisis block comes first, with 110 / 119 one tap away.
        first_call = page.locator("main a[href^='tel:']").first
        self.assertEqual(first_call.get_attribute("href"), "tel:110")
        self.assertTrue(page.get_by_text(LONG_EMAIL).first.is_visible())

    def test_consult_of_a_fresh_install_shows_the_national_lines(self) -> None:
        page = self.check("/consult/")
        self.assertTrue(page.get_by_role("heading", name="いますぐ助けが必要なとき").is_visible())
        self.assertTrue(page.locator("a[href='tel:0120279338']").is_visible())

    def test_help_page(self) -> None:
        self.check("/help/")

    def test_help_page_in_easy_japanese(self) -> None:
        self.check("/help/?wording=easy")

    def test_help_page_in_english(self) -> None:
        page = self.new_page()
        self.visit(page, "/help/")
        page.select_option("#lang-select", "en")
        page.locator(".lang-form button").click()
        page.wait_for_load_state()
        self.assertEqual(page.locator("html").get_attribute("lang"), "en")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        self.assert_fits(page)
        self.assert_accessible(page)

    def test_the_footer_link_reaches_help_in_one_tap(self) -> None:
        page = self.new_page()
        self.visit(page, "/resources/")
        page.locator("footer a[href='/help/']").click()
        page.wait_for_url("**/help/")
        self.assertTrue(page.locator("a[href='tel:119']").is_visible())


@pytest.mark.browser
class SecretariatTest(BrowserTestCase):
    def test_the_secretariat_reverifies_a_waiting_line_and_residents_see_it(self) -> None:
        from tsunagari.accounts.models import User

        secretariat = factory.make_user("jimukyoku@example.jp", User.Role.SECRETARIAT)
        page = self.new_page(mobile=False)
        self.sign_in_as(page, secretariat)
        self.visit(page, "/secretariat/helplines/")
        self.assert_accessible(page)
        page.get_by_role("link", name="チャイルドライン").click()
        page.wait_for_url("**/secretariat/helplines/*/")
        self.assert_accessible(page)
        page.get_by_label("情報確認日").fill("2026-11-30")
        page.get_by_role("button", name="確認済みにする").click()
        page.wait_for_load_state()
        self.assertIn("確認済みにしました", page.locator(".messages").inner_text())
        self.assertIn("公開中", page.locator("main").inner_text())
        resident = self.new_page()
        self.visit(resident, "/help/")
        self.assertTrue(resident.get_by_text("チャイルドライン").is_visible())
