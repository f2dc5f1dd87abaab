"""The phone-width sweep: every public page (tests/public_pages.py) at 390×844, in
Japanese, English and やさしい日本語, fits the screen and passes axe-core."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.browser.base import (
    PHONE,
    BrowserTestCase,
    axe_violations,
    format_violations,
    require_chromium,
)
from tests.public_pages import PUBLIC_PAGES, PublicPage, make_data, reach
from tsunagari.lib.antibot import HumanCheckForm

require_chromium()
pytestmark = pytest.mark.browser

# (name, language cookie, query added to the path); easy is offered per page.
MODES = [("ja", "ja", ""), ("en", "en", ""), ("easy", "ja", "wording=easy")]

OVERFLOW = """() => {
    const root = document.documentElement;
    if (root.scrollWidth <= root.clientWidth) return null;
    // Name the widest elements that stick out, so the failure says what to fix.
    const wide = [...document.querySelectorAll("body *")]
        .filter(el => el.getBoundingClientRect().right > root.clientWidth + 0.5)
        .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
             + (el.className && typeof el.className === "string"
                ? "." + el.className.trim().split(/\\s+/).join(".") : "")
             + " (" + Math.round(el.getBoundingClientRect().right) + "px)")
        .slice(0, 8);
    return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide};
}"""


def with_query(path: str, query: str) -> str:
    if not query:
        return path
    return f"{path}{'&' if '?' in path else '?'}{query}"


@pytest.mark.browser
class PhoneWidthSweepTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)
        self.enterContext(mock.patch.object(HumanCheckForm, "min_seconds", 0))
        self.data = make_data()

    def open(self, page: Any, entry: PublicPage, language: str, query: str) -> None:
        page.context.clear_cookies()
        page.context.add_cookies(
            [
                {
                    "name": settings.LANGUAGE_COOKIE_NAME,
                    "value": language,
                    "url": self.live_server_url,
                }
            ]
        )
        self.visit(page, with_query(entry.url(self.data), query))
        reach(page, entry)

    def test_every_public_page_fits_a_phone_and_passes_axe_in_each_language(self) -> None:
        page = self.new_page()
        self.assertEqual(page.viewport_size, PHONE)
        for mode, language, query in MODES:
            for entry in PUBLIC_PAGES:
                if mode == "easy" and not entry.easy:
                    continue
                with self.subTest(page=entry.name, mode=mode):
                    self.open(page, entry, language, query)
                    self.assertEqual(
                        page.evaluate("document.documentElement.lang"),
                        "en" if language == "en" else "ja",
                    )
                    overflow = page.evaluate(OVERFLOW)
                    self.assertIsNone(overflow, f"{entry.name} ({mode}) is wider than the phone")
                    violations = axe_violations(page)
                    self.assertEqual(violations, [], format_violations(violations))
