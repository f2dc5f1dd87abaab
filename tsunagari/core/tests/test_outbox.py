"""Every e-mail goes through the outbox: written with the change that caused it, sent
once however often its task runs, retried with back-off, never silently dropped."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.db import transaction
from django.tasks import TaskResultStatus
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tsunagari.audit.models import AuditEvent
from tsunagari.core import outbox
from tsunagari.core.mail import queue_email
from tsunagari.core.management.commands.db_worker import MAX_ATTEMPTS, put_back
from tsunagari.core.models import OutgoingMail
from tsunagari.core.tasks import send_email, send_outgoing_mail
from tsunagari.core.tests.smtp import Inbox, SmtpServer, free_port
from tsunagari.factory import application_data
from tsunagari.members.models import MembershipApplication
from tsunagari.test import BaseTestCase, make_worker

Status = OutgoingMail.Status
# An SMTP server that is down: nothing listens on this port.
DOWN = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
    }
}


def queue(subject: str = "お知らせ", to: str = "someone@example.org") -> OutgoingMail:
    return outbox.queue_mail([to], subject, "本文です。")


def undelivered(subject: str = "お知らせ") -> OutgoingMail:
    """A mail that used up its attempts and waits on the secretariat's page."""
    row = queue(subject)
    DBTaskResult.objects.all().delete()
    OutgoingMail.objects.filter(pk=row.pk).update(
        status=Status.UNDELIVERED,
        attempts=6,
        claimed_at=timezone.now(),
        last_error="SMTPRecipientsRefused: 550 No such user",
    )
    return row


def the_clock_moves_on(seconds: int) -> None:
    """What was due in `seconds` is due now (the retry delays are minutes long)."""
    delta = timedelta(seconds=seconds)
    for row in DBTaskResult.objects.filter(status=TaskResultStatus.READY):
        row.run_after -= delta
        row.save(update_fields=["run_after"])
    for m in OutgoingMail.objects.filter(status=Status.QUEUED):
        m.next_attempt_at -= delta
        m.save(update_fields=["next_attempt_at"])


class OutboxTestCase(BaseTestCase):
    def test_queue_email_writes_an_outbox_row_that_the_worker_sends(self) -> None:
        queue_email(
            "accounts/email/invitation", ["new@example.jp"], {"user": self.staff, "path": "/x/"}
        )
        row = OutgoingMail.objects.get()
        self.assertEqual((row.status, row.to), (Status.QUEUED, ["new@example.jp"]))
        self.assertEqual(mail.outbox, [])
        self.assertEqual(self.run_tasks(), 1)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["new@example.jp"])
        row.refresh_from_db()
        self.assertEqual(row.status, Status.SENT)
        self.assertIsNotNone(row.sent_at)
        self.assertEqual(row.attempts, 1)
        self.assertEqual(row.body, "", "the body (links, personal data) is not kept once sent")

    def test_a_task_queued_before_the_outbox_existed_is_sent_through_it(self) -> None:
        send_email.enqueue(to=["old@example.org"], subject="昔のタスク", body="本文")
        self.run_tasks()
        self.assertEqual([m.subject for m in mail.outbox], ["昔のタスク"])
        self.assertEqual(OutgoingMail.objects.get().status, Status.SENT)

    def test_a_mail_about_a_change_that_rolls_back_is_never_sent(self) -> None:
        try:
            with transaction.atomic():
                queue()
                raise RuntimeError("the change fails")
        except RuntimeError:
            pass
        self.assertFalse(OutgoingMail.objects.exists())
        self.assertEqual(self.run_tasks(), 0)
        self.assertEqual(mail.outbox, [])

    def test_a_task_that_runs_again_sends_nothing_more(self) -> None:
        row = queue()
        self.run_tasks()
        # A second task for the same mail: a recovered duplicate, or a resend race.
        send_outgoing_mail.enqueue(mail_id=row.pk)
        self.assertEqual(self.run_tasks(), 1)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(DBTaskResult.objects.successful().last().return_value, "skipped")  # type: ignore[union-attr]

    def test_a_task_put_back_after_its_worker_died_takes_over_its_own_claim(self) -> None:
        row = queue()
        task = DBTaskResult.objects.get()
        # The dead worker had claimed the task and the mail, and never came back.
        task.claim("dead-worker")
        OutgoingMail.objects.filter(pk=row.pk).update(
            status=Status.SENDING, claimed_by=str(task.pk), claimed_at=timezone.now(), attempts=1
        )
        self.assertEqual(self.run_tasks(), 0, "a RUNNING task is not run again")
        self.assertEqual(put_back("default", worker_id="dead-worker"), 1)
        self.assertEqual(self.run_tasks(), 1)
        self.assertEqual(len(mail.outbox), 1)
        row.refresh_from_db()
        self.assertEqual((row.status, row.attempts), (Status.SENT, 2))

    def test_another_task_does_not_take_a_mail_held_by_a_live_sender(self) -> None:
        row = queue()
        OutgoingMail.objects.filter(pk=row.pk).update(
            status=Status.SENDING, claimed_by="someone-else", claimed_at=timezone.now()
        )
        self.assertEqual(outbox.deliver(row.pk, claimant="me"), "skipped")
        self.assertEqual(mail.outbox, [])
        # ... unless the holder has been silent for longer than the lease.
        OutgoingMail.objects.filter(pk=row.pk).update(
            claimed_at=timezone.now() - outbox.lease() - timedelta(seconds=1)
        )
        self.assertEqual(outbox.deliver(row.pk, claimant="me"), "sent")
        self.assertEqual(len(mail.outbox), 1)

    def test_a_mail_whose_task_was_lost_gets_a_new_one(self) -> None:
        row = queue()
        DBTaskResult.objects.all().delete()
        self.assertEqual(outbox.sweep(), 0, "not overdue yet")
        OutgoingMail.objects.filter(pk=row.pk).update(
            next_attempt_at=timezone.now() - outbox.lease() - timedelta(seconds=1)
        )
        self.assertEqual(outbox.sweep(), 1)
        self.assertEqual(outbox.sweep(), 0, "one new task, not one per sweep")
        self.run_tasks()
        self.assertEqual(len(mail.outbox), 1)


class StaleTaskTestCase(BaseTestCase):
    def running_task(
        self, started_ago: timedelta, worker: str = "w1", runs: int = 1
    ) -> DBTaskResult:
        row = queue()
        task = DBTaskResult.objects.get(args_kwargs__kwargs__mail_id=row.pk)
        DBTaskResult.objects.filter(pk=task.pk).update(
            status=TaskResultStatus.RUNNING,
            started_at=timezone.now() - started_ago,
            worker_ids=[worker] * runs,
        )
        return task

    def test_a_task_running_longer_than_the_lease_is_put_back(self) -> None:
        stale = self.running_task(timedelta(minutes=6))
        fresh = self.running_task(timedelta(minutes=1))
        self.assertEqual(put_back("default", older_than=timedelta(minutes=5)), 1)
        stale.refresh_from_db()
        fresh.refresh_from_db()
        self.assertEqual(stale.status, TaskResultStatus.READY)
        self.assertEqual(fresh.status, TaskResultStatus.RUNNING)
        self.assertEqual(put_back("default", older_than=timedelta(minutes=5)), 0)

    def test_a_worker_restarting_under_its_id_puts_back_its_own_tasks_at_once(self) -> None:
        mine = self.running_task(timedelta(seconds=5), worker="w1")
        other = self.running_task(timedelta(seconds=5), worker="w2")
        self.assertEqual(put_back("default", older_than=timedelta(minutes=5), worker_id="w1"), 1)
        mine.refresh_from_db()
        other.refresh_from_db()
        self.assertEqual(
            (mine.status, other.status), (TaskResultStatus.READY, TaskResultStatus.RUNNING)
        )

    def test_a_task_that_keeps_killing_its_worker_is_failed(self) -> None:
        task = self.running_task(timedelta(minutes=6), runs=MAX_ATTEMPTS)
        put_back("default", older_than=timedelta(minutes=5))
        task.refresh_from_db()
        self.assertEqual(task.status, TaskResultStatus.FAILED)

    @override_settings(TASK_LEASE_SECONDS=300)
    def test_the_worker_puts_back_stale_tasks_when_it_starts(self) -> None:
        self.running_task(timedelta(minutes=6))
        self.assertEqual(self.run_tasks(), 0, "run_tasks alone leaves it RUNNING")
        worker = make_worker("new")
        worker.maintain(starting=True)
        self.assertEqual(self.run_tasks(), 1)
        self.assertEqual(len(mail.outbox), 1)


class RetryTestCase(BaseTestCase):
    def test_a_failed_send_is_retried_a_minute_later(self) -> None:
        row = queue()
        with self.settings(MAILERS=DOWN):
            self.assertEqual(self.run_tasks(), 1)
        row.refresh_from_db()
        self.assertEqual((row.status, row.attempts), (Status.QUEUED, 1))
        self.assertIn("ConnectionRefusedError", row.last_error)
        wait = row.next_attempt_at - timezone.now()
        self.assertAlmostEqual(wait.total_seconds(), 60, delta=5)
        retry = DBTaskResult.objects.filter(status=TaskResultStatus.READY).get()
        self.assertEqual(retry.run_after, row.next_attempt_at)
        self.assertEqual(self.run_tasks(), 0, "not before its time")
        the_clock_moves_on(60)
        self.assertEqual(self.run_tasks(), 1)
        self.assertEqual(len(mail.outbox), 1, "the server is back: sent on the second attempt")
        row.refresh_from_db()
        self.assertEqual((row.status, row.attempts, row.last_error), (Status.SENT, 2, ""))

    def test_the_delays_grow_then_the_mail_is_undelivered(self) -> None:
        row = queue()
        waits = []
        with self.settings(MAILERS=DOWN):
            for _ in range(6):
                self.assertEqual(self.run_tasks(), 1)
                row.refresh_from_db()
                if row.status != Status.QUEUED:
                    break
                wait = round((row.next_attempt_at - timezone.now()).total_seconds() / 60)
                waits.append(wait)
                the_clock_moves_on(wait * 60 + 1)
        self.assertEqual(waits, [1, 5, 30, 120, 360])
        self.assertEqual((row.status, row.attempts), (Status.UNDELIVERED, 6))
        self.assertEqual(self.run_tasks(), 0, "given up: no more tasks")
        self.assertEqual(mail.outbox, [])

    def test_a_refused_recipient_is_undelivered_without_retrying(self) -> None:
        inbox = Inbox(refuse=("nobody@example.org",))
        with SmtpServer(inbox) as server, self.settings(MAILERS=server.mailers()):
            row = queue(to="nobody@example.org")
            self.run_tasks()
        row.refresh_from_db()
        self.assertEqual((row.status, row.attempts), (Status.UNDELIVERED, 1))
        self.assertIn("550", row.last_error)
        self.assertEqual(inbox.messages, [])


class UndeliveredPageTestCase(BaseTestCase):
    url = "/secretariat/mail/"

    def undelivered(self, subject: str = "お知らせ") -> OutgoingMail:
        return undelivered(subject)

    def test_only_the_secretariat_sees_it(self) -> None:
        self.assertRedirects(self.client.get(self.url), f"/accounts/login/?next={self.url}")
        for user in (self.staff, self.officer):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)
            self.assertEqual(self.client.post(f"{self.url}1/resend/").status_code, 403)

    def test_it_lists_recipients_subject_error_but_not_the_body(self) -> None:
        self.undelivered("【かながわつながりネットワーク】参加申込を受け付けました")
        queue("まだ送信待ち")
        self.login(self.secretariat)
        r = self.client.get(self.url)
        self.assertContains(r, "届かなかったメール")
        self.assertContains(r, "someone@example.org")
        self.assertContains(r, "参加申込を受け付けました")
        self.assertContains(r, "550 No such user")
        self.assertContains(r, "再送する")
        self.assertNotContains(r, "本文です。")
        self.assertNotContains(r, "まだ送信待ち")

    def test_the_list_takes_the_same_queries_for_one_or_many(self) -> None:
        self.undelivered()
        self.login(self.secretariat)
        with self.assertNumQueries(5) as one:
            self.client.get(self.url)
        for i in range(10):
            self.undelivered(f"件名{i}")
        with self.assertNumQueries(len(one.captured_queries)):
            r = self.client.get(self.url)
        self.assertEqual(len(r.context["page"].object_list), 11)

    def test_resending_queues_it_again_and_it_is_sent(self) -> None:
        row = self.undelivered()
        self.login(self.secretariat)
        r = self.client.post(f"{self.url}{row.pk}/resend/", follow=True)
        self.assertRedirects(r, self.url)
        self.assertContains(r, "メールを再送します。")
        row.refresh_from_db()
        self.assertEqual((row.status, row.attempts), (Status.QUEUED, 0))
        event = AuditEvent.objects.for_object(row).get()
        self.assertEqual((event.actor, event.note), (self.secretariat, "再送"))
        self.assertEqual(self.run_tasks(), 1)
        self.assertEqual(len(mail.outbox), 1)
        row.refresh_from_db()
        self.assertEqual(row.status, Status.SENT)

    def test_resending_twice_queues_it_once(self) -> None:
        row = self.undelivered()
        self.login(self.secretariat)
        self.client.post(f"{self.url}{row.pk}/resend/")
        r = self.client.post(f"{self.url}{row.pk}/resend/", follow=True)
        self.assertContains(r, "このメールはすでに再送されています。")
        self.assertEqual(self.run_tasks(), 1)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(AuditEvent.objects.for_object(row).count(), 1)

    def test_resend_needs_a_post_and_an_existing_mail(self) -> None:
        self.login(self.secretariat)
        self.assertEqual(self.client.get(f"{self.url}1/resend/").status_code, 405)
        self.assertEqual(self.client.post(f"{self.url}999999/resend/").status_code, 404)

    def test_the_dashboard_links_it_with_the_count(self) -> None:
        self.undelivered()
        self.login(self.secretariat)
        r = self.client.get("/my/")
        self.assertContains(
            r, f'<a href="{self.url}">届かなかったメール</a> <strong>1</strong>件', html=False
        )

    def test_it_reads_in_english(self) -> None:
        self.undelivered()
        self.login(self.secretariat)
        self.client.cookies["django_language"] = "en"
        r = self.client.get(self.url)
        for text in ("Undelivered e-mail", "1 e-mail", "Send again", "attempt 6"):
            self.assertContains(r, text)
        self.assertContains(self.client.get("/my/"), "<strong>1</strong> e-mail")


class PlainTextMailTestCase(BaseTestCase):
    def test_subjects_and_bodies_are_not_html_escaped(self) -> None:
        name = '"笑顔" & <つながり>の会'
        r = self.client.post("/apply/", application_data(name=name))
        self.assertRedirects(r, "/apply/thanks/")
        self.run_tasks()
        application = MembershipApplication.objects.get()
        notice = self.sent_to("secretariat@example.jp")[0]
        self.assertEqual(notice.subject, f"【新しい参加申込】{application.reference} {name}")
        self.assertIn(name, str(notice.body))
        for message in mail.outbox:
            self.assertNotIn("&quot;", message.subject + str(message.body))
            self.assertNotIn("&amp;", message.subject + str(message.body))
            self.assertNotIn("&lt;", message.subject + str(message.body))
