"""The Atom feed: valid XML in the Atom namespace, absolute links, newest first, only
published posts, the body escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from tsunagari.news.tests.factory import make_post
from tsunagari.test import BaseTestCase

ATOM = "{http://www.w3.org/2005/Atom}"


def one(element: ET.Element, path: str) -> ET.Element:
    found = element.find(path)
    assert found is not None, path
    return found


class FeedTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.addCleanup(cache.clear)

    def feed(self) -> ET.Element:
        r = self.client.get("/news/feed.atom")
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r["Content-Type"].startswith("application/atom+xml"))
        return ET.fromstring(r.content)

    def test_it_lists_published_posts_newest_first_with_absolute_links(self) -> None:
        now = timezone.now()
        old = make_post("前のお知らせ", published_at=now - timedelta(days=2))
        new = make_post(
            "次のお知らせ", published_at=now - timedelta(days=1), organization=self.organization
        )
        make_post("下書きのお知らせ", status="draft")
        root = self.feed()
        self.assertEqual(root.tag, f"{ATOM}feed")
        self.assertEqual(root.findtext(f"{ATOM}id"), f"{settings.SITE_URL}/news/")
        entries = root.findall(f"{ATOM}entry")
        self.assertEqual(
            [e.findtext(f"{ATOM}title") for e in entries], ["次のお知らせ", "前のお知らせ"]
        )
        first = entries[0]
        self.assertEqual(
            one(first, f"{ATOM}link").get("href"), f"{settings.SITE_URL}/news/{new.pk}/"
        )
        self.assertEqual(first.findtext(f"{ATOM}author/{ATOM}name"), self.organization.name)
        self.assertEqual(
            entries[1].findtext(f"{ATOM}author/{ATOM}name"), "かながわつながりネットワーク事務局"
        )
        self.assertIsNotNone(first.findtext(f"{ATOM}updated"))
        self.assertIsNotNone(first.findtext(f"{ATOM}published"))
        self.assertEqual(one(first, f"{ATOM}category").get("term"), "お知らせ")
        self.assertNotIn(str(old.pk) + "/draft", root.findtext(f"{ATOM}id") or "")
        self_link = next(x for x in root.findall(f"{ATOM}link") if x.get("rel") == "self")
        self.assertEqual(self_link.get("href"), f"{settings.SITE_URL}/news/feed.atom")

    def test_the_summary_is_escaped_html_of_the_text(self) -> None:
        make_post("タグ入り", body="<b>太字</b>ではありません\n\n二段落目")
        entry = one(self.feed(), f"{ATOM}entry")
        summary = one(entry, f"{ATOM}summary")
        self.assertEqual(summary.get("type"), "html")
        self.assertIn("&lt;b&gt;太字&lt;/b&gt;", summary.text or "")
        self.assertIn("<p>二段落目</p>", summary.text or "")

    def test_an_empty_feed_is_still_valid(self) -> None:
        self.assertEqual(self.feed().findall(f"{ATOM}entry"), [])
