"""Member mailings: the secretariat writes, previews (the mail as it arrives, to how
many) and sends; the worker hands the recipients to the outbox in batches; nobody is
mailed twice; the record says what was sent to how many."""

from __future__ import annotations

from unittest import mock

from django.core import mail

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.core.models import OutgoingMail
from tsunagari.lib.transitions import AlreadyChanged
from tsunagari.news import services
from tsunagari.news.models import Mailing, Recipient
from tsunagari.news.tests.factory import make_mailing, subscribe
from tsunagari.test import BaseTestCase


class MailingTests(BaseTestCase):
    def test_writing_a_mailing_leads_to_its_preview_with_the_count_of_recipients(self) -> None:
        subscribe(self.staff, self.other_staff)
        self.login(self.secretariat)
        r = self.client.post(
            "/news/mailings/new/", {"subject": "総会のご案内", "body": "６月の総会のご案内です。"}
        )
        mailing = Mailing.objects.get()
        self.assertRedirects(r, f"/news/mailings/{mailing.pk}/")
        r = self.client.get(r["Location"])
        self.assertContains(r, "届くメールの確認")
        self.assertContains(r, "【かながわつながりネットワーク】総会のご案内")
        self.assertContains(r, "6月の総会のご案内です。")
        self.assertContains(r, "List-Unsubscribe-Post")
        self.assertContains(r, "List-Unsubscribe=One-Click")
        self.assertContains(r, "<strong>2</strong>人に1通ずつ届きます")
        self.assertContains(r, "2人に送信する")
        self.assertEqual(mail.outbox, [])

    def test_only_active_member_staff_who_opted_in_receive_it(self) -> None:
        subscribe(self.staff, self.secretariat, self.officer)
        gone = factory.make_user(
            "gone@example.jp", User.Role.MEMBER, organization=self.organization
        )
        subscribe(gone)
        gone.is_active = False
        gone.save()
        mailing = make_mailing()
        self.assertEqual(services.send(mailing, by=self.secretariat), 1)
        self.run_tasks()
        self.assertEqual([m.to for m in mail.outbox], [[self.staff.email]])

    def test_sending_queues_a_batch_task_per_fifty_and_each_mail_has_the_headers(self) -> None:
        people = [
            factory.make_user(
                f"p{i}@example.jp", User.Role.MEMBER, password=None, organization=self.organization
            )
            for i in range(55)
        ]
        subscribe(*people)
        mailing = make_mailing("大人数")
        with mock.patch("tsunagari.news.tasks.send_mailing_batch") as task:
            services.send(mailing, by=self.secretariat)
        calls = task.enqueue.call_args_list
        self.assertEqual([len(c.kwargs["recipient_ids"]) for c in calls], [50, 5])

    def test_a_mail_arrives_with_one_click_unsubscribe_headers(self) -> None:
        subscribe(self.staff)
        services.send(make_mailing("ヘッダー"), by=self.secretariat)
        self.run_tasks()
        [sent] = mail.outbox
        header = sent.extra_headers["List-Unsubscribe"]
        token = services.unsubscribe_token(self.staff)
        self.assertIn(f"/news/mailings/unsubscribe/{token}/>", header)
        self.assertIn("<mailto:", header)
        self.assertTrue(header.startswith("<http"))
        self.assertEqual(sent.extra_headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        self.assertNotIn(self.staff.email, header)
        self.assertIn(f"/news/mailings/unsubscribe/{token}/", sent.body)
        self.assertIn(f"{self.staff.full_name} 様", sent.body)
        # Once sent, the outbox keeps neither the body nor the link.
        row = OutgoingMail.objects.get()
        self.assertEqual((row.body, row.headers), ("", {}))

    def test_pressing_send_twice_mails_nobody_twice(self) -> None:
        subscribe(self.staff)
        mailing = make_mailing()
        self.login(self.secretariat)
        self.client.post(f"/news/mailings/{mailing.pk}/send/")
        r = self.client.post(f"/news/mailings/{mailing.pk}/send/", follow=True)
        self.assertContains(r, "すでに送信されています。二重には送りません。")
        self.run_tasks()
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(Recipient.objects.count(), 1)
        with self.assertRaises(AlreadyChanged):
            services.send(mailing, by=self.secretariat)

    def test_running_a_batch_again_sends_nothing_more(self) -> None:
        subscribe(self.staff, self.other_staff)
        mailing = make_mailing()
        services.send(mailing, by=self.secretariat)
        ids = list(mailing.recipients.values_list("pk", flat=True))
        self.assertEqual(services.send_batch(mailing.pk, ids), {"queued": 2, "skipped": 0})
        self.assertEqual(services.send_batch(mailing.pk, ids), {"queued": 0, "skipped": 0})
        self.run_tasks()  # the batch task queued by send() finds nothing left too
        self.assertEqual(len(mail.outbox), 2)
        self.assertEqual(OutgoingMail.objects.count(), 2)

    def test_someone_who_unsubscribes_before_their_batch_runs_is_skipped(self) -> None:
        subscribe(self.staff, self.other_staff)
        mailing = make_mailing()
        services.send(mailing, by=self.secretariat)
        services.set_subscribed(self.other_staff, False)
        self.run_tasks()
        self.assertEqual([m.to for m in mail.outbox], [[self.staff.email]])
        tally = services.tally(mailing)
        self.assertEqual((tally["sent"], tally["skipped"], tally["total"]), (1, 1, 2))

    def test_the_record_says_what_was_sent_to_how_many(self) -> None:
        subscribe(self.staff, self.other_staff)
        mailing = make_mailing("記録の件名", body="記録される本文")
        services.send(mailing, by=self.secretariat)
        self.login(self.secretariat)
        r = self.client.get(f"/news/mailings/{mailing.pk}/")
        self.assertContains(r, "送信の記録")
        self.assertContains(r, "<dt>送信待ち</dt><dd>2</dd>", html=True)
        self.run_tasks()
        mailing.refresh_from_db()
        self.assertEqual(mailing.status, Mailing.Status.SENT)
        self.assertIsNotNone(mailing.finished_at)
        r = self.client.get(f"/news/mailings/{mailing.pk}/")
        self.assertContains(r, "<dt>宛先の数</dt><dd>2</dd>", html=True)
        self.assertContains(r, "<dt>送信済み</dt><dd>2</dd>", html=True)
        self.assertContains(r, "<dt>届かなかった</dt><dd>0</dd>", html=True)
        self.assertContains(r, "記録される本文")
        self.assertContains(r, self.secretariat.full_name)

    def test_a_sent_mailing_cannot_be_edited(self) -> None:
        mailing = make_mailing()
        services.send(mailing, by=self.secretariat)
        self.login(self.secretariat)
        r = self.client.post(
            f"/news/mailings/{mailing.pk}/edit/",
            {"subject": "変えた", "body": "変えた"},
            follow=True,
        )
        self.assertContains(r, "送信したメールは変更できません。")
        mailing.refresh_from_db()
        self.assertEqual(mailing.subject, "【テスト】会員向けメール")

    def test_a_mailing_to_nobody_is_recorded_as_sent_at_once(self) -> None:
        mailing = make_mailing()
        self.assertEqual(services.send(mailing, by=self.secretariat), 0)
        mailing.refresh_from_db()
        self.assertEqual(mailing.status, Mailing.Status.SENT)

    def test_the_list_costs_the_same_queries_for_many_mailings(self) -> None:
        self.login(self.secretariat)
        make_mailing()
        self.client.get("/news/mailings/")
        with self.assertNumQueries(5):
            self.client.get("/news/mailings/")
        for i in range(5):
            make_mailing(f"件名{i}")
        with self.assertNumQueries(5):
            self.client.get("/news/mailings/")
