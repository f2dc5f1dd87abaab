"""The secretariat's chart page in a browser (axe-core AA on a phone) and the annual report
downloaded from it as a PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.insights.tests.test_report import TEST_CHARTS, pdf_text, registered_charts

require_chromium()
pytestmark = pytest.mark.browser


@pytest.mark.browser
class VisibleReportBrowserTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.secretariat = factory.make_user("jimukyoku@example.jp", User.Role.SECRETARIAT)
        self.enterContext(registered_charts(*TEST_CHARTS))

    def test_the_staff_view_is_accessible_and_the_report_downloads(self) -> None:
        page = self.new_page()
        self.sign_in_as(page, self.secretariat)
        self.visit(page, "/visible/staff/")
        self.assertEqual(page.locator("h1").inner_text(), "可視化（事務局）")
        self.assertTrue(page.get_by_text("応答のないニーズ").first.is_visible())
        self.assert_accessible(page)

        page.select_option("#id_fiscal_year", "2025")
        page.get_by_role("button", name="表示する").click()
        page.wait_for_url("**fiscal_year=2025")
        self.assert_accessible(page)
        with page.expect_download(timeout=60_000) as download:  # built on first ask
            page.get_by_role("link", name="この年度の年次報告（PDF）").click()
        body = Path(download.value.path()).read_bytes()
        self.assertTrue(body.startswith(b"%PDF"))
        self.assertIn("テスト：市町村別の社会資源", "".join(pdf_text(body)))

        # Anyone may download it: the same address without signing in.
        response = self.new_page().request.get(self.url("/visible/report/2025.pdf"), timeout=60_000)
        self.assertEqual(response.status, 200)
        self.assertEqual(response.headers["content-type"], "application/pdf")
        self.assertTrue(response.body().startswith(b"%PDF"))
        self.assert_no_console_errors()
