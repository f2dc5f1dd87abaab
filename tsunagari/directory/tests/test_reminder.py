"""The daily reminder about resources not verified for 12 months."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tsunagari.audit.models import AuditEvent
from tsunagari.directory.models import Resource
from tsunagari.factory import make_resource
from tsunagari.test import BaseTestCase

LONG_AGO = dt.date(2020, 4, 1)


def remind() -> str:
    out = StringIO()
    call_command("remind_unverified", stdout=out)
    return out.getvalue()


class ReminderTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.stale = make_resource(
            "サンプル 古い居場所", organization=self.organization, last_verified_on=LONG_AGO
        )
        self.stale_too = make_resource(
            "サンプル 古い食堂", organization=self.organization, last_verified_on=None
        )
        self.fresh = make_resource(
            "サンプル 新しい居場所",
            organization=self.organization,
            last_verified_on=timezone.localdate(),
        )

    def test_it_sends_one_email_per_organisation_listing_only_stale_resources(self) -> None:
        self.assertIn("1 reminder e-mail(s) queued for 2 resource(s)", remind())
        self.run_tasks()
        [message] = mail.outbox
        self.assertEqual(message.to, [self.staff.email])
        self.assertIn("サンプル 古い居場所", message.body)
        self.assertIn("令和2年4月1日", message.body)
        self.assertIn("サンプル 古い食堂", message.body)
        self.assertNotIn("サンプル 新しい居場所", message.body)
        self.assertIn(f"/manage/resources/{self.stale.pk}/edit/", message.body)

    def test_drafts_and_unpublished_resources_are_left_alone(self) -> None:
        Resource.objects.filter(pk=self.stale.pk).update(status=Resource.Status.DRAFT)
        Resource.objects.filter(pk=self.stale_too.pk).update(status=Resource.Status.UNPUBLISHED)
        remind()
        self.run_tasks()
        self.assertEqual(mail.outbox, [])

    def test_it_reminds_at_most_once_in_30_days(self) -> None:
        remind()
        self.assertIn("0 reminder e-mail(s)", remind())
        self.run_tasks()
        self.assertEqual(len(mail.outbox), 1)
        # 31 days later it reminds again.
        AuditEvent.objects.filter(note="reminder").update(at=timezone.now() - dt.timedelta(days=31))
        remind()
        self.run_tasks()
        self.assertEqual(len(mail.outbox), 2)

    def test_the_reminder_shows_in_the_history(self) -> None:
        remind()
        self.login(self.staff)
        r = self.client.get(f"/manage/resources/{self.stale.pk}/history/")
        self.assertContains(r, "確認のお願いのメールを送りました")

    def test_verifying_stops_the_reminders(self) -> None:
        self.login(self.staff)
        self.client.post(f"/manage/resources/{self.stale.pk}/verify/")
        self.client.post(f"/manage/resources/{self.stale_too.pk}/verify/")
        self.assertIn("0 reminder e-mail(s) queued for 0 resource(s)", remind())

    def test_each_organisation_gets_its_own_email_and_non_members_go_to_the_secretariat(
        self,
    ) -> None:
        make_resource(
            "サンプル よその居場所", organization=self.other_organization, last_verified_on=LONG_AGO
        )
        make_resource(
            "サンプル 市の窓口",
            provider_name="サンプル市",
            source="サンプル市ウェブサイト",
            last_verified_on=LONG_AGO,
        )
        remind()
        self.run_tasks()
        self.assertEqual(len(mail.outbox), 3)
        [other] = self.sent_to(self.other_staff.email)
        self.assertIn("サンプル よその居場所", other.body)
        self.assertNotIn("サンプル 古い居場所", other.body)
        [secretariat] = self.sent_to(settings.SECRETARIAT_EMAIL)
        self.assertIn("サンプル 市の窓口", secretariat.body)
