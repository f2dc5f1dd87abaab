"""The day-before reminder: tomorrow's confirmed participants with an e-mail, once."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command

from tsunagari.supporters.models import Course
from tsunagari.supporters.tasks import send_course_reminders, send_reminders
from tsunagari.supporters.tests.factory import make_course, make_registration
from tsunagari.test import BaseTestCase


class ReminderTests(BaseTestCase):
    def test_it_mails_tomorrows_confirmed_participants_once(self) -> None:
        tomorrow = make_course("【テスト】明日の講座", days_ahead=1, online=True)
        make_registration(tomorrow, email="yes@example.jp")
        make_registration(tomorrow, status="waitlisted", email="waiting@example.jp")
        make_registration(tomorrow, status="cancelled", email="gone@example.jp")
        make_registration(tomorrow, email="", phone="090-0000-0000")
        make_registration(make_course(days_ahead=2), email="later@example.jp")
        make_registration(
            make_course(days_ahead=1, status=Course.Status.CANCELLED), email="off@example.jp"
        )
        out = StringIO()
        call_command("send_course_reminders", stdout=out)
        self.assertIn("1 course reminder", out.getvalue())
        self.run_tasks()
        self.assertEqual([m.to for m in mail.outbox], [["yes@example.jp"]])
        self.assertIn("明日", mail.outbox[0].subject)
        self.assertIn(tomorrow.online_url, mail.outbox[0].body)
        # A rerun, or the task, sends nothing more.
        call_command("send_course_reminders", stdout=StringIO())
        self.assertEqual(send_reminders(), 0)
        self.run_tasks()
        self.assertEqual(len(mail.outbox), 1)

    def test_a_registration_claimed_by_another_run_is_skipped(self) -> None:
        registration = make_registration(make_course(days_ahead=1))
        from unittest import mock

        from tsunagari.supporters import tasks

        def other_run_first(today: object = None) -> list[int]:
            ids = [registration.pk]
            from django.utils import timezone

            type(registration).objects.filter(pk=registration.pk).update(
                reminded_at=timezone.now() - timedelta(seconds=1)
            )
            return ids

        with mock.patch.object(tasks, "due_reminders", other_run_first):
            self.assertEqual(send_reminders(), 0)

    def test_the_task_runs_on_the_worker(self) -> None:
        make_registration(make_course(days_ahead=1), email="task@example.jp")
        send_course_reminders.enqueue()
        self.run_tasks()
        self.assertEqual(len(self.sent_to("task@example.jp")), 1)
