"""The roll-out in a browser: a resident reads their municipality's page on a phone
(390 px: nothing wider than the screen, axe-core finds no WCAG A/AA violation), the
roll-out table and tile map on a desktop and a phone, and a secretariat edit that
changes the table and shows in the history."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User

require_chromium()
pytestmark = pytest.mark.browser


def width(page: Any) -> tuple[int, int]:
    return page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


@pytest.mark.browser
class RolloutBrowserTest(BrowserTestCase):
    def assert_fits(self, page: Any) -> None:
        scroll, client = width(page)
        self.assertLessEqual(scroll, client, f"{page.url} is {scroll}px on {client}px")

    def test_resident_reads_fujisawa_on_a_phone(self) -> None:
        factory.make_resource("【サンプル】藤沢の居場所")
        page = self.new_page()
        self.visit(page, "/municipalities/142051/")
        self.assertIn("藤沢市", page.locator("h1").inner_text())
        self.assertTrue(page.get_by_text("1万人あたり").first.is_visible())
        self.assert_fits(page)
        self.assert_accessible(page)
        self.assert_no_console_errors()

    def test_rollout_table_and_map_on_desktop_and_phone(self) -> None:
        for mobile in (False, True):
            page = self.new_page(mobile=mobile)
            self.visit(page, "/rollout/")
            self.assertEqual(page.locator("svg.tilemap g[data-code]").count(), 33)
            self.assertEqual(page.locator("table.rollout-table tbody tr").count(), 33)
            self.assertTrue(page.locator("svg.tilemap").is_visible())
            self.assert_fits(page)
            self.assert_accessible(page)
        self.assert_no_console_errors()

    def test_secretariat_edit_changes_the_table_and_the_history(self) -> None:
        secretariat = factory.make_user("jimu-browser@example.jp", User.Role.SECRETARIAT)
        page = self.new_page(mobile=False)
        self.sign_in_as(page, secretariat)
        self.visit(page, "/rollout/142051/edit/")
        page.select_option("#id_stage", "third")
        page.fill("#id_reason", "市との打合せで確認")
        page.get_by_role("button", name="保存する").click()
        page.wait_for_url("**/rollout/142051/history/")
        self.assertIn("市との打合せで確認", page.content())
        self.assert_accessible(page)
        self.visit(page, "/rollout/")
        row = page.locator('tr[data-code="142051"]')
        self.assertIn("第3ステージ", row.inner_text())
        tile = page.locator('svg.tilemap g[data-code="142051"]')
        self.assertIn("第3", tile.text_content() or "")
