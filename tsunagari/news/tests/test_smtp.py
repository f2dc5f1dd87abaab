"""A mailing through the real path: the secretariat presses send → batch task → outbox
→ `db_worker` → SMTP → a local aiosmtpd server; then the one-click unsubscribe a mail
client would post, and the next mailing leaves that person out."""

from __future__ import annotations

import re
import signal
from urllib.parse import urlsplit

from django.core.management import call_command
from django.test import Client, TransactionTestCase

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.core.tests.smtp import Inbox, SmtpServer
from tsunagari.members.models import Organization
from tsunagari.news import services
from tsunagari.news.models import Mailing
from tsunagari.news.tests.factory import make_mailing, subscribe
from tsunagari.test import sign_in


class MailingOverSmtpTests(TransactionTestCase):
    serialized_rollback = True

    def setUp(self) -> None:
        self.inbox = Inbox()
        server = SmtpServer(self.inbox)
        self.enterContext(server)
        self.server = server
        saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
        self.addCleanup(lambda: [signal.signal(s, h) for s, h in saved.items()])
        organization = Organization.objects.get(roster_no=13)
        self.staff = [
            factory.make_user(
                f"member{i}@example.jp", User.Role.MEMBER, password=None, organization=organization
            )
            for i in range(3)
        ]
        subscribe(*self.staff)
        self.secretariat = factory.make_user(
            "jimu@example.jp", User.Role.SECRETARIAT, password=None
        )

    def send(self, subject: str) -> None:
        client = Client()
        sign_in(client, self.secretariat)
        mailing = make_mailing(subject)
        before = len(self.inbox.messages)
        with self.settings(MAILERS=self.server.mailers()):
            r = client.post(f"/news/mailings/{mailing.pk}/send/")
            self.assertEqual(r.status_code, 302)
            self.assertEqual(len(self.inbox.messages), before, "nothing is sent in the request")
            call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        mailing.refresh_from_db()
        self.assertEqual(mailing.status, Mailing.Status.SENT)

    def test_three_recipients_get_it_with_unsubscribe_headers_and_one_click_works(self) -> None:
        self.send("第1号")
        self.assertEqual(len(self.inbox.messages), 3)
        self.assertEqual(
            sorted(r[0] for r in self.inbox.recipients), sorted(u.email for u in self.staff)
        )
        for message in self.inbox.messages:
            self.assertEqual(message["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
            self.assertRegex(
                str(message["List-Unsubscribe"]),
                r"^<https?://[^>]+/news/mailings/unsubscribe/[^>/]+/>, <mailto:[^>]+>$",
            )
            self.assertIn("第1号", str(message["Subject"]))

        # The first person's mail client presses 「配信停止」: a POST, no cookies, no token.
        first = next(
            m
            for m, r in zip(self.inbox.messages, self.inbox.recipients, strict=True)
            if r == [self.staff[0].email]
        )
        url = re.match(r"<([^>]+)>", str(first["List-Unsubscribe"])).group(1)  # type: ignore[union-attr]
        r = Client(enforce_csrf_checks=True).post(
            urlsplit(url).path,
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        self.assertEqual(r.status_code, 200)
        self.assertFalse(services.is_subscribed(self.staff[0]))

        self.send("第2号")
        second = [
            r
            for m, r in zip(self.inbox.messages, self.inbox.recipients, strict=True)
            if "第2号" in str(m["Subject"])
        ]
        self.assertEqual(sorted(r[0] for r in second), sorted(u.email for u in self.staff[1:]))
        mailing = Mailing.objects.get(subject="第2号")
        self.assertEqual(services.tally(mailing)["sent"], 2)
