"""The discussion board of a group: posts, replies, edits within 24 hours, safe text."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.utils import timezone

from tsunagari.groups.models import GroupPost
from tsunagari.groups.tests.factory import make_group, make_post
from tsunagari.test import MultiRoleTestCase


class BoardTest(MultiRoleTestCase):
    def setUp(self) -> None:
        self.group = make_group(self.organization, self.other_organization)

    def test_a_member_posts_and_another_replies(self) -> None:
        self.login(self.staff)
        r = self.client.post(
            f"/groups/{self.group.pk}/posts/",
            {"title": "会場の相談", "body": "平日の会場を探しています。"},
        )
        self.assertRedirects(r, f"/groups/{self.group.pk}/#board", fetch_redirect_response=False)
        post = GroupPost.objects.get()
        self.assertEqual(post.organization, self.organization)
        self.login(self.other_staff)
        self.client.post(
            f"/groups/{self.group.pk}/posts/", {"parent": str(post.pk), "body": "お貸しできます。"}
        )
        reply = GroupPost.objects.get(parent=post)
        self.assertEqual(reply.organization, self.other_organization)
        page = self.client.get(f"/groups/{self.group.pk}/")
        self.assertContains(page, "平日の会場を探しています。")
        self.assertContains(page, "お貸しできます。")

    def test_a_reply_to_a_reply_joins_the_thread(self) -> None:
        post = make_post(self.group, self.staff)
        reply = make_post(self.group, self.other_staff, parent=post)
        self.login(self.staff)
        self.client.post(
            f"/groups/{self.group.pk}/posts/", {"parent": str(reply.pk), "body": "ありがとう"}
        )
        self.assertEqual(GroupPost.objects.get(body="ありがとう").parent, post)

    def test_the_secretariat_writes_on_any_board(self) -> None:
        self.login(self.secretariat)
        self.client.post(f"/groups/{self.group.pk}/posts/", {"body": "事務局からのお知らせ"})
        self.assertIsNone(GroupPost.objects.get().organization)

    def test_non_members_get_403(self) -> None:
        group = make_group(self.organization)
        self.login(self.other_staff)
        r = self.client.post(f"/groups/{group.pk}/posts/", {"body": "入れて"})
        self.assertEqual(r.status_code, 403)
        self.assertFalse(GroupPost.objects.exists())

    def test_an_empty_body_is_refused_and_the_title_kept(self) -> None:
        self.login(self.staff)
        r = self.client.post(f"/groups/{self.group.pk}/posts/", {"title": "件名だけ", "body": "  "})
        self.assertContains(r, "本文を書いてください。", status_code=400)
        self.assertContains(r, "件名だけ", status_code=400)

    def test_html_is_shown_as_text_and_links_work(self) -> None:
        make_post(self.group, self.staff, body="<script>alert(1)</script>\n\nhttps://example.org/a")
        self.login(self.staff)
        r = self.client.get(f"/groups/{self.group.pk}/")
        self.assertNotContains(r, "<script>alert(1)</script>")
        self.assertContains(r, "&lt;script&gt;")
        self.assertContains(r, 'href="https://example.org/a"')

    def test_staff_of_two_member_organisations_say_in_which_capacity(self) -> None:
        self.login(self.two_org_staff)
        self.assertContains(self.client.get(f"/groups/{self.group.pk}/"), "どの立場で")
        self.client.post(
            f"/groups/{self.group.pk}/posts/",
            {"acting_for": str(self.other_organization.pk), "body": "二つの団体の職員です"},
        )
        self.assertEqual(GroupPost.objects.get().organization, self.other_organization)

    def test_the_page_reads_a_fixed_number_of_queries_however_many_posts(self) -> None:
        def count_queries() -> int:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as ctx:
                self.client.get(f"/groups/{self.group.pk}/")
            return len(ctx.captured_queries)

        self.login(self.staff)
        post = make_post(self.group, self.staff)
        make_post(self.group, self.other_staff, parent=post)
        few = count_queries()
        for _ in range(5):
            post = make_post(self.group, self.staff, organization=self.organization)
            make_post(
                self.group, self.other_staff, parent=post, organization=self.other_organization
            )
        with self.assertNumQueries(few):
            self.client.get(f"/groups/{self.group.pk}/")


class EditTest(MultiRoleTestCase):
    def setUp(self) -> None:
        self.group = make_group(self.organization)
        self.post = make_post(self.group, self.staff, title="件名", body="最初の文")
        self.url = f"/groups/{self.group.pk}/posts/{self.post.pk}/edit/"

    def test_the_author_corrects_a_post_within_24_hours_and_it_is_marked(self) -> None:
        self.login(self.staff)
        self.client.post(self.url, {"title": "件名", "body": "直した文"})
        self.post.refresh_from_db()
        self.assertEqual(self.post.body, "直した文")
        self.assertIsNotNone(self.post.edited_at)
        self.assertContains(self.client.get(f"/groups/{self.group.pk}/"), "編集済み")

    def test_after_24_hours_the_post_stays_as_it_is(self) -> None:
        self.login(self.staff)
        later = timezone.now() + dt.timedelta(hours=25)
        with mock.patch("django.utils.timezone.now", return_value=later):
            r = self.client.post(self.url, {"title": "件名", "body": "遅すぎる"})
        self.assertRedirects(r, f"/groups/{self.group.pk}/", fetch_redirect_response=False)
        self.post.refresh_from_db()
        self.assertEqual(self.post.body, "最初の文")

    def test_someone_else_cannot_edit(self) -> None:
        self.login(self.secretariat)
        self.assertEqual(self.client.get(self.url).status_code, 403)
