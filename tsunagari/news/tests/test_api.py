"""GET /api/v1/news: the published posts, newest first, a page at a time."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from tsunagari.news.tests.factory import make_post
from tsunagari.test import BaseTestCase


class NewsApiTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.addCleanup(cache.clear)

    def test_it_lists_published_posts_newest_first(self) -> None:
        now = timezone.now()
        make_post("古い", published_at=now - timedelta(days=2))
        new = make_post(
            "新しい", published_at=now - timedelta(days=1), organization=self.organization
        )
        make_post("下書き", status="draft")
        r = self.client.get("/api/v1/news")
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(body["count"], 2)
        self.assertEqual([p["title"] for p in body["results"]], ["新しい", "古い"])
        first = body["results"][0]
        self.assertEqual(first["organization"], self.organization.name)
        self.assertEqual(first["category"], "notice")
        self.assertTrue(first["url"].endswith(f"/news/{new.pk}/"))
        self.assertIsNone(body["results"][1]["organization"])

    def test_a_new_post_appears_at_once(self) -> None:
        self.assertEqual(self.client.get("/api/v1/news").json()["count"], 0)
        make_post("出た")
        self.assertEqual(self.client.get("/api/v1/news").json()["count"], 1)

    def test_a_bad_page_is_a_422_in_json(self) -> None:
        for page in ("0", "x", "-1"):
            with self.subTest(page):
                r = self.client.get(f"/api/v1/news?page={page}")
                self.assertEqual(r.status_code, 422)
                self.assertIn("detail", r.json())

    def test_a_page_past_the_end_is_empty(self) -> None:
        make_post("一件")
        body = self.client.get("/api/v1/news?page=5").json()
        self.assertEqual((body["results"], body["pages"]), ([], 1))

    def test_the_openapi_document_describes_it(self) -> None:
        schema = self.client.get("/api/v1/openapi.json").json()
        self.assertIn("/api/v1/news", schema["paths"])
