"""The public news list and a post: newest first, in 和暦, paginated, the body shown as
text with paragraphs and links, drafts hidden from the public."""

from __future__ import annotations

from datetime import datetime, timedelta
from unittest import mock

from django.core.cache import cache
from django.utils import timezone

from tsunagari.news.models import Post
from tsunagari.news.tests.factory import make_post
from tsunagari.test import BaseTestCase

TOKYO = timezone.get_fixed_timezone(9 * 60)


class PostListTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.addCleanup(cache.clear)

    def test_it_lists_published_posts_newest_first_with_wareki_dates(self) -> None:
        make_post("古いお知らせ", published_at=datetime(2026, 4, 1, 10, tzinfo=TOKYO))
        make_post(
            "新しいお知らせ",
            published_at=datetime(2026, 5, 3, 10, tzinfo=TOKYO),
            organization=self.organization,
            category=Post.Category.EVENT,
        )
        r = self.client.get("/news/")
        self.assertEqual(r.status_code, 200)
        html = r.content.decode()
        self.assertLess(html.index("新しいお知らせ"), html.index("古いお知らせ"))
        self.assertContains(r, "令和8年5月3日")
        self.assertContains(r, self.organization.name)
        self.assertContains(r, "イベント")

    def test_it_hides_drafts_posts_under_review_and_unpublished_ones(self) -> None:
        for status in ("draft", "review", "returned", "unpublished"):
            make_post(f"見えない{status}", status=status)
        r = self.client.get("/news/")
        self.assertNotContains(r, "見えない")
        self.assertContains(r, "お知らせはまだありません。")

    def test_it_pages_ten_at_a_time(self) -> None:
        now = timezone.now()
        for i in range(12):
            make_post(f"お知らせ番号{i:02d}", published_at=now - timedelta(hours=i + 1))
        first = self.client.get("/news/")
        self.assertContains(first, "お知らせ番号00")
        self.assertNotContains(first, "お知らせ番号10")
        self.assertContains(first, "1 / 2 ページ")
        second = self.client.get("/news/?page=2")
        self.assertContains(second, "お知らせ番号11")

    def test_the_list_costs_the_same_queries_for_one_post_or_ten(self) -> None:
        make_post("一件目", organization=self.organization)
        self.client.get("/news/")  # warm the session-less page once (no cache involved)
        with self.settings(PAGE_CACHE_SECONDS=0), self.assertNumQueries(2):
            self.client.get("/news/")
        for i in range(9):
            make_post(f"追加{i}", organization=self.other_organization)
        with self.settings(PAGE_CACHE_SECONDS=0), self.assertNumQueries(2):
            self.client.get("/news/")

    def test_a_new_post_shows_on_the_cached_list_at_once(self) -> None:
        with self.settings(PAGE_CACHE_SECONDS=300):
            self.assertNotContains(self.client.get("/news/"), "出たばかり")
            make_post("出たばかり")
            self.assertContains(self.client.get("/news/"), "出たばかり")

    def test_it_reads_in_english(self) -> None:
        make_post("英語のページ")
        r = self.client.get("/news/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(r, "News")

    def test_it_links_to_the_feed_for_people_and_for_feed_readers(self) -> None:
        r = self.client.get("/news/")
        self.assertContains(r, '<a href="/news/feed.atom" type="application/atom+xml">')
        self.assertContains(
            r, '<link rel="alternate" type="application/atom+xml" href="/news/feed.atom"'
        )


class PostDetailTests(BaseTestCase):
    def test_the_body_is_text_with_paragraphs_and_links_and_no_html(self) -> None:
        post = make_post(
            "本文の表示",
            body=(
                "一段落目です。\n\n"
                "<script>alert(1)</script> 詳しくは https://example.jp/a?b=1&c=2 へ。"
            ),
        )
        r = self.client.get(f"/news/{post.pk}/")
        self.assertContains(r, "<p>一段落目です。</p>", html=True)
        self.assertNotContains(r, "<script>alert(1)</script>")
        self.assertContains(r, "&lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertContains(r, 'href="https://example.jp/a?b=1&amp;c=2" rel="nofollow"')

    def test_a_draft_is_not_found_for_the_public(self) -> None:
        post = make_post("下書き", status=Post.Status.DRAFT, organization=self.organization)
        self.assertEqual(self.client.get(f"/news/{post.pk}/").status_code, 404)

    def test_its_organisation_sees_a_draft_marked_as_not_yet_published(self) -> None:
        post = make_post("下書き", status=Post.Status.DRAFT, organization=self.organization)
        self.login(self.staff)
        r = self.client.get(f"/news/{post.pk}/")
        self.assertContains(r, "まだ公開されていません")

    def test_a_post_scheduled_later_is_not_shown_yet(self) -> None:
        post = make_post("まだ先", published_at=timezone.now() + timedelta(days=1))
        self.assertEqual(self.client.get(f"/news/{post.pk}/").status_code, 404)
        with mock.patch(
            "django.utils.timezone.now", return_value=timezone.now() + timedelta(days=2)
        ):
            self.assertEqual(self.client.get(f"/news/{post.pk}/").status_code, 200)
