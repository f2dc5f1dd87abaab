from __future__ import annotations

import re

from django.conf import settings
from django.test import override_settings

from tsunagari.awareness import flyer, views
from tsunagari.awareness.tests.factory import make_item, make_may_event
from tsunagari.lib.pdf import find_font
from tsunagari.test import BaseTestCase

PAGE_URL = f"{settings.SITE_URL.rstrip('/')}/awareness-month/2027/"


def page_count(body: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", body))


@override_settings(PAGE_CACHE_SECONDS=0)
class FlyerPageTest(BaseTestCase):
    def test_it_prints_the_title_items_counts_and_a_qr_code_to_the_page(self) -> None:
        make_item()
        make_may_event("【テスト】藤沢の交流会", self.organization)
        make_may_event("【テスト】港北の居場所", self.organization, municipality="141097")
        r = self.client.get("/awareness-month/2027/flyer/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "5月は孤独・孤立対策強化月間です")
        self.assertContains(r, "令和9年5月")
        self.assertContains(r, "【テスト】月間の特別電話相談")
        self.assertContains(r, "藤沢市 1件")
        self.assertContains(r, "横浜市 1件")
        self.assertContains(r, "<svg")
        self.assertContains(r, PAGE_URL)

    def test_a_year_without_events_says_so(self) -> None:
        r = self.client.get("/awareness-month/2031/flyer/")
        self.assertContains(r, "催しの情報はまだありません。")


class FlyerPdfTest(BaseTestCase):
    def setUp(self) -> None:
        if find_font() is None:
            self.skipTest("no Japanese font (fonts-noto-cjk)")

    def test_it_is_one_a4_page_with_the_title_the_url_and_the_font_embedded(self) -> None:
        make_item()
        for i in range(40):  # far more than fit: the rest is left out, not carried over
            make_may_event(f"【テスト】催し{i}", self.organization)
        r = self.client.get("/awareness-month/2027/flyer.pdf")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "application/pdf")
        body = r.content
        self.assertTrue(body.startswith(b"%PDF-"))
        self.assertEqual(page_count(body), 1)
        self.assertIn(b"/MediaBox [0 0 595.28 841.89]", body)
        self.assertRegex(body, rb"/FontName /[A-Z]{6}\+NotoSansCJKJP")
        self.assertIn(f"/URI ({PAGE_URL})".encode(), body)  # the address is a link

    def test_the_drawn_text_holds_the_title_the_items_and_the_url(self) -> None:
        make_item()
        make_may_event("【テスト】藤沢の交流会", self.organization)
        doc = flyer.build(views.flyer_context(2027))
        self.assertEqual(doc.pages_count, 1)
        self.assertIn("2027年5月は孤独・孤立対策強化月間です", doc.drawn)
        self.assertIn("【テスト】月間の特別電話相談", doc.drawn)
        self.assertIn(PAGE_URL, doc.drawn)
        self.assertIn("藤沢市 1件", "".join(doc.drawn))
        self.assertEqual(doc.title, "2027年5月は孤独・孤立対策強化月間です")


class FlyerPdfCacheTest(BaseTestCase):
    """The PDF takes about a second to lay out, so anonymous visitors get it from the page
    cache like the pages; a new item of the month is in the next one at once."""

    def setUp(self) -> None:
        if find_font() is None:
            self.skipTest("no Japanese font (fonts-noto-cjk)")

    def test_a_second_download_is_served_from_the_cache_until_an_item_changes(self) -> None:
        make_may_event("【テスト】藤沢の交流会", self.organization)
        first = self.client.get("/awareness-month/2027/flyer.pdf")
        again = self.client.get("/awareness-month/2027/flyer.pdf")
        self.assertEqual(again.pagecache, "hit")  # type: ignore[attr-defined]
        self.assertEqual(again["Content-Type"], "application/pdf")
        self.assertEqual(again.content, first.content)
        make_item()
        changed = self.client.get("/awareness-month/2027/flyer.pdf")
        self.assertEqual(changed.pagecache, "miss")  # type: ignore[attr-defined]
        self.assertNotEqual(changed.content, first.content)
