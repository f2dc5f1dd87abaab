"""Writing, reviewing and publishing posts: the secretariat publishes directly; member
staff write for their organisation and ask for review; the secretariat approves or
returns with a reason, which reaches the author by mail."""

from __future__ import annotations

from django.core import mail

from tsunagari.audit.models import AuditEvent
from tsunagari.news import services
from tsunagari.news.models import Post
from tsunagari.news.tests.factory import make_post
from tsunagari.test import BaseTestCase, MultiRoleTestCase

DATA = {
    "title": "ＡＢＣ講座のご案内",
    "category": "event",
    "body": "日時：５月１０日\n\n会場：藤沢",
}


class SecretariatPostsTests(BaseTestCase):
    def test_the_secretariat_writes_a_draft_then_publishes_it(self) -> None:
        self.login(self.secretariat)
        r = self.client.post("/news/manage/new/", DATA)
        post = Post.objects.get()
        self.assertRedirects(r, f"/news/manage/{post.pk}/")
        self.assertEqual(post.status, Post.Status.DRAFT)
        self.assertIsNone(post.organization)
        self.assertEqual(post.title, "ABC講座のご案内", "full-width letters made plain")
        self.assertEqual(self.client.get("/news/").content.count("ABC講座".encode()), 0)

        r = self.client.post(f"/news/manage/{post.pk}/publish/", follow=True)
        self.assertContains(r, "を公開しました。")
        post.refresh_from_db()
        self.assertEqual(post.status, Post.Status.PUBLISHED)
        self.assertIsNotNone(post.published_at)
        self.client.logout()
        self.assertContains(self.client.get("/news/"), "ABC講座のご案内")

    def test_unpublishing_takes_the_post_off_the_public_pages(self) -> None:
        post = make_post("取り下げるお知らせ")
        self.login(self.secretariat)
        self.client.post(f"/news/manage/{post.pk}/unpublish/")
        post.refresh_from_db()
        self.assertEqual(post.status, Post.Status.UNPUBLISHED)
        self.client.logout()
        self.assertEqual(self.client.get(f"/news/{post.pk}/").status_code, 404)

    def test_publishing_twice_says_so_and_changes_nothing(self) -> None:
        post = make_post("公開済み")
        self.login(self.secretariat)
        r = self.client.post(f"/news/manage/{post.pk}/publish/", follow=True)
        self.assertContains(r, "すでに「公開中」になっているため、変更しませんでした。")
        self.assertEqual(AuditEvent.objects.for_object(post).count(), 0)

    def test_the_form_keeps_what_was_typed_on_errors(self) -> None:
        self.login(self.secretariat)
        r = self.client.post(
            "/news/manage/new/", {"title": "", "category": "event", "body": "残す本文"}
        )
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "残す本文", status_code=400)


class MemberPostsTests(BaseTestCase):
    def write(self) -> Post:
        self.login(self.staff)
        self.client.post("/news/manage/new/", DATA)
        return Post.objects.get()

    def test_staff_write_for_their_organisation_and_ask_for_review(self) -> None:
        post = self.write()
        self.assertEqual(post.organization, self.organization)
        self.assertEqual(post.author, self.staff)
        r = self.client.post(f"/news/manage/{post.pk}/submit/", follow=True)
        self.assertContains(r, "審査を事務局に依頼しました")
        post.refresh_from_db()
        self.assertEqual(post.status, Post.Status.REVIEW)
        self.assertEqual(self.client.get(f"/news/{post.pk}/").status_code, 200)
        self.client.logout()
        self.assertEqual(self.client.get(f"/news/{post.pk}/").status_code, 404)

    def test_staff_cannot_publish_their_own_post(self) -> None:
        post = self.write()
        self.assertEqual(self.client.post(f"/news/manage/{post.pk}/publish/").status_code, 403)

    def test_staff_cannot_change_a_post_under_review(self) -> None:
        post = self.write()
        services.submit(post, by=self.staff)
        r = self.client.post(
            f"/news/manage/{post.pk}/edit/", {**DATA, "title": "変えた"}, follow=True
        )
        self.assertContains(r, "事務局だけが変更できます")
        post.refresh_from_db()
        self.assertEqual(post.title, "ABC講座のご案内")

    def test_the_review_queue_shows_the_post_and_approval_publishes_it_and_tells_the_author(
        self,
    ) -> None:
        post = self.write()
        services.submit(post, by=self.staff)
        self.login(self.secretariat)
        r = self.client.get("/news/manage/")
        self.assertContains(r, "審査待ち")
        self.assertContains(r, f'href="/news/manage/{post.pk}/"')
        self.client.post(f"/news/manage/{post.pk}/approve/")
        post.refresh_from_db()
        self.assertEqual(post.status, Post.Status.PUBLISHED)
        self.run_tasks()
        [notice] = self.sent_to(self.staff.email)
        self.assertIn("公開しました", notice.subject)
        self.assertIn(f"/news/{post.pk}/", notice.body)

    def test_returning_needs_a_reason_and_mails_it_to_the_author(self) -> None:
        post = self.write()
        services.submit(post, by=self.staff)
        self.login(self.secretariat)
        r = self.client.post(f"/news/manage/{post.pk}/return/", {"return-reason": "　"})
        self.assertEqual(r.status_code, 400)
        self.client.post(
            f"/news/manage/{post.pk}/return/", {"return-reason": "会場の住所を書いてください。"}
        )
        post.refresh_from_db()
        self.assertEqual(post.status, Post.Status.RETURNED)
        self.run_tasks()
        [notice] = self.sent_to(self.staff.email)
        self.assertIn("差し戻されました", notice.subject)
        self.assertIn("会場の住所を書いてください。", notice.body)
        event = AuditEvent.objects.for_object(post).filter(note__startswith="差し戻し").first()
        assert event is not None
        self.assertEqual(event.changes["status"], ["review", "returned"])
        # The author fixes it and asks again.
        self.login(self.staff)
        self.assertContains(
            self.client.get(f"/news/manage/{post.pk}/"), "会場の住所を書いてください。"
        )
        self.client.post(f"/news/manage/{post.pk}/edit/", {**DATA, "body": "会場：藤沢市役所"})
        self.client.post(f"/news/manage/{post.pk}/submit/")
        post.refresh_from_db()
        self.assertEqual(post.status, Post.Status.REVIEW)

    def test_other_staff_see_only_their_own_posts(self) -> None:
        post = self.write()
        self.login(self.other_staff)
        self.assertNotContains(self.client.get("/news/manage/"), f'href="/news/manage/{post.pk}/"')
        self.assertEqual(self.client.get(f"/news/manage/{post.pk}/").status_code, 403)

    def test_the_manage_list_costs_the_same_queries_for_many_posts(self) -> None:
        self.login(self.secretariat)
        make_post("一件", organization=self.organization)
        self.client.get("/news/manage/")
        with self.assertNumQueries(5):
            self.client.get("/news/manage/")
        for i in range(10):
            make_post(f"件{i}", organization=self.other_organization, status="review")
        with self.assertNumQueries(5):
            self.client.get("/news/manage/")

    def test_no_mail_leaves_for_an_approval_that_lost_the_race(self) -> None:
        post = self.write()
        services.submit(post, by=self.staff)
        stale = Post.objects.get(pk=post.pk)
        self.assertTrue(services.approve(post, by=self.secretariat))
        self.assertFalse(services.return_for_changes(stale, by=self.secretariat, reason="遅い"))
        self.run_tasks()
        self.assertEqual(len(mail.outbox), 1)


class AsWhomTests(MultiRoleTestCase):
    def test_staff_of_two_organisations_are_asked_for_which_one(self) -> None:
        self.login(self.two_org_staff)
        r = self.client.get("/news/manage/new/")
        self.assertContains(r, "どの立場で")
        r = self.client.post("/news/manage/new/", DATA)
        self.assertContains(r, "どの立場で行うかを選んでください。", status_code=400)
        self.client.post(
            "/news/manage/new/", {**DATA, "acting_for": str(self.other_organization.pk)}
        )
        self.assertEqual(Post.objects.get().organization, self.other_organization)
