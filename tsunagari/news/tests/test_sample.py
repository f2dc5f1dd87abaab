"""The demo's news: 【サンプル】 posts (one by a sample member, one awaiting review), the
sample staff opted in, a sample mailing sent; a second run changes nothing."""

from __future__ import annotations

from django.core import mail

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.directory.sample import load_sample_organizations
from tsunagari.news import services
from tsunagari.news.models import Mailing, Post, Recipient
from tsunagari.news.sample import SAMPLE_DOMAIN, load_sample_news
from tsunagari.test import BaseTestCase


class SampleNewsTests(BaseTestCase):
    def setUp(self) -> None:
        organizations = load_sample_organizations()
        factory.make_user(f"secretariat@{SAMPLE_DOMAIN}", User.Role.SECRETARIAT, password=None)
        self.sample_staff = [
            factory.make_user(
                f"{local}@{SAMPLE_DOMAIN}",
                User.Role.MEMBER,
                password=None,
                organization=organizations[name],
            )
            for local, name in (
                ("sample-pokapoka", "子育てひろば ぽかぽか"),
                ("sample-hidamari", "地域食堂ひだまりの会"),
            )
        ]

    def test_it_loads_marked_posts_and_a_sent_mailing_once(self) -> None:
        lines = load_sample_news()
        self.assertEqual(len(lines), 3)
        posts = Post.objects.all()
        self.assertEqual(posts.count(), 4)
        self.assertTrue(all(p.title.startswith("【サンプル】") and p.is_sample for p in posts))
        self.assertTrue(all(p.organization is None or p.organization.is_sample for p in posts))
        self.assertEqual(Post.objects.published().filter(organization__isnull=False).count(), 1)
        self.assertEqual(Post.objects.filter(status=Post.Status.REVIEW).count(), 1)
        self.assertTrue(all(services.is_subscribed(u) for u in self.sample_staff))
        self.assertFalse(services.is_subscribed(self.staff))
        mailing = Mailing.objects.get()
        self.assertTrue(mailing.is_sample)
        self.assertEqual(mailing.recipient_count, 2)
        self.run_tasks()
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), sorted(u.email for u in self.sample_staff)
        )

        self.assertEqual(load_sample_news(), [])
        self.assertEqual(Post.objects.count(), 4)
        self.assertEqual(Mailing.objects.count(), 1)
        self.assertEqual(Recipient.objects.count(), 2)
