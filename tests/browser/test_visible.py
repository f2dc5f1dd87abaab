"""The public dashboard /visible/ in a browser: on a phone and a desktop, at 200% zoom,
a municipality's view chosen with the form (no JavaScript needed), a chart's CSV, and no
request leaving the site under the real Content Security Policy.

200% zoom: a desktop window of 1280×900 at 200% browser zoom lays the page out in a
640×450 CSS-pixel viewport with two device pixels per CSS pixel; that is what the zoom
test opens (viewport 640×450, device_scale_factor 2), as Chrome's own zoom does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.core.cache import cache

from tests.browser.base import BrowserTestCase, require_chromium
from tests.browser.test_public_pages import OVERFLOW
from tsunagari.insights.charts import CHARTS
from tsunagari.insights.tests.test_visible import FUJISAWA, sample_counts

require_chromium()
pytestmark = pytest.mark.browser


@pytest.mark.browser
class VisibleDashboardTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)
        patcher = sample_counts()
        patcher.start()
        self.addCleanup(patcher.stop)

    def assert_fits(self, page: Any) -> None:
        self.assertIsNone(page.evaluate(OVERFLOW), "the page scrolls sideways")

    def test_on_a_phone_it_fits_and_passes_axe(self) -> None:
        page = self.new_page(mobile=True)
        self.visit(page, "/visible/")
        self.assertEqual(page.locator("section.chart").count(), len(CHARTS))
        self.assert_fits(page)
        for box in page.locator("svg.chart-svg").evaluate_all(
            "els => els.map(e => e.getBoundingClientRect().width)"
        ):
            self.assertLessEqual(box, 390)
        self.assert_accessible(page)

    def test_on_a_desktop_every_chart_has_its_table(self) -> None:
        page = self.new_page(mobile=False)
        self.visit(page, "/visible/")
        for slug in CHARTS:
            section = page.locator(f"#chart-{slug}")
            self.assertEqual(section.get_by_role("img").count(), 1)
            self.assertEqual(section.locator("table").count(), 1)
        self.assertIn("10未満", page.locator("#chart-resources table").inner_text())
        self.assert_accessible(page)

    def test_at_200_percent_zoom_it_reflows(self) -> None:
        context = self.browser.new_context(
            viewport={"width": 640, "height": 450},
            device_scale_factor=2,
            locale="ja-JP",
            timezone_id="Asia/Tokyo",
            bypass_csp=True,
        )
        self.contexts.append(context)
        page = context.new_page()
        self.visit(page, "/visible/")
        self.assert_fits(page)
        self.assert_accessible(page)

    def test_a_municipality_is_chosen_with_the_form(self) -> None:
        page = self.new_page(mobile=True)
        self.visit(page, "/visible/")
        page.get_by_label("市町村", exact=True).select_option(FUJISAWA)
        page.get_by_role("button", name="表示する").click()
        page.wait_for_url(f"**municipality={FUJISAWA}**")
        self.assertIn("藤沢市", page.get_by_role("heading", level=1).inner_text())
        self.assertEqual(page.locator("#chart-members").count(), 0)  # the prefecture's only
        tile = page.locator(f'#chart-resources g.tile[data-code="{FUJISAWA}"] rect')
        self.assertEqual(tile.get_attribute("stroke-width"), "3")
        self.assert_fits(page)
        self.assert_accessible(page)

    def test_a_chart_downloads_as_csv(self) -> None:
        page = self.new_page(mobile=False)
        self.visit(page, "/visible/")
        with page.expect_download() as info:
            page.locator("#chart-resources .chart-csv a").click()
        path = Path(info.value.path())
        text = path.read_bytes().decode("utf-8")
        self.assertTrue(text.startswith("\ufeff市町村,"))
        self.assertIn("藤沢市,25,", text)
        self.assertIn("茅ヶ崎市,10未満,", text)

    def test_no_request_leaves_the_site_under_its_policy(self) -> None:
        page = self.new_page(mobile=False, bypass_csp=False)
        hosts: set[str] = set()
        page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
        self.visit(page, "/visible/")
        page.wait_for_load_state("networkidle")
        self.assertEqual(hosts, {urlparse(self.live_server_url).netloc})
        self.assert_no_console_errors()
