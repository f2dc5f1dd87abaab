"""Mailings and reviews under concurrency (PostgreSQL, real threads): ten presses of
「送信する」 at once send the mailing once; an approval and a return at once take one
step, and only its mail leaves."""

from __future__ import annotations

from django.core import mail

from tsunagari.accounts.models import User
from tsunagari.members.models import Organization
from tsunagari.news.models import Mailing, Post, Recipient
from tsunagari.news.tests.factory import make_mailing, make_post, subscribe
from tsunagari.race import Post as Press
from tsunagari.race import RaceTestCase, at_once, make_people, messages_of
from tsunagari.test import run_tasks


class MailingRaceTests(RaceTestCase):
    def setUp(self) -> None:
        self.officers = make_people(10, "jimu", User.Role.SECRETARIAT)
        organization = Organization.objects.get(roster_no=13)
        self.staff = make_people(3, "member", User.Role.MEMBER, organization=organization)
        subscribe(*self.staff)

    def test_ten_presses_of_send_at_once_mail_each_person_once(self) -> None:
        mailing = make_mailing()
        url = f"/news/mailings/{mailing.pk}/send/"
        outcomes = at_once([Press(u, url) for u in self.officers])
        self.assertEqual([o.status for o in outcomes], [302] * 10)
        said = messages_of(outcomes)
        self.assertEqual(sum("送信にまわしました" in m for m in said), 1)
        self.assertEqual(said.count("このメールはすでに送信されています。二重には送りません。"), 9)
        self.assertEqual(Recipient.objects.filter(mailing=mailing).count(), 3)
        run_tasks()
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), sorted(u.email for u in self.staff))
        mailing.refresh_from_db()
        self.assertEqual(mailing.status, Mailing.Status.SENT)

    def test_an_approval_and_a_return_at_once_take_one_step(self) -> None:
        author = self.staff[0]
        post = make_post(
            "同時の審査",
            status=Post.Status.REVIEW,
            organization=author.organizations.get(),
            author=author,
        )
        base = f"/news/manage/{post.pk}/"
        outcomes = at_once(
            [
                Press(self.officers[0], base + "approve/"),
                Press(
                    self.officers[1], base + "return/", {"return-reason": "日付を直してください。"}
                ),
            ]
        )
        self.assertEqual([o.status for o in outcomes], [302, 302])
        post.refresh_from_db()
        self.assertIn(post.status, (Post.Status.PUBLISHED, Post.Status.RETURNED))
        run_tasks()
        self.assertEqual([m.to for m in mail.outbox], [[author.email]])
        self.assertEqual(sum("すでに" in m for m in messages_of(outcomes)), 1)
