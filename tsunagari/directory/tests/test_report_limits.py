"""「情報の誤りを報告」 under a flood: limited per network (atomically) and per inbox."""

from __future__ import annotations

import unittest

from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import TransactionTestCase

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.directory.models import ErrorReport
from tsunagari.directory.tests.test_report import report_data
from tsunagari.factory import make_resource
from tsunagari.members.models import Organization
from tsunagari.race import Post, at_once
from tsunagari.test import BaseTestCase, run_tasks


class ReportRecipientLimitTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.resource = make_resource("サンプル 子ども食堂", organization=self.organization)

    def report_from(self, network: str, resource_pk: int | None = None) -> int:
        url = f"/resources/{resource_pk or self.resource.pk}/report/"
        data = report_data(message="開催日が第3土曜に変わりました。")
        return self.client.post(url, data, REMOTE_ADDR=network).status_code

    def test_reports_from_many_networks_mail_one_inbox_ten_times_an_hour(self) -> None:
        for n in range(14):
            self.assertEqual(self.report_from(f"192.0.2.{n}"), 302)
        self.assertEqual(ErrorReport.objects.count(), 14)  # every report is kept
        self.run_tasks()
        self.assertEqual(len(self.sent_to(self.staff.email)), 10)
        self.assertEqual(len(self.sent_to(settings.SECRETARIAT_EMAIL)), 10)
        # The reports past the limit wait in the list the staff see.
        self.login(self.staff)
        self.assertContains(self.client.get("/manage/resources/"), "誤りの報告14件")

    def test_another_owners_inbox_has_its_own_count(self) -> None:
        for n in range(10):
            self.report_from(f"192.0.2.{n}")
        others = make_resource("サンプル よその居場所", organization=self.other_organization)
        self.assertEqual(self.report_from("203.0.113.9", others.pk), 302)
        self.run_tasks()
        self.assertEqual(len(self.sent_to(self.other_staff.email)), 1)


@unittest.skipUnless(connection.vendor == "postgresql", "a concurrency test for PostgreSQL")
class ParallelReportsTestCase(TransactionTestCase):
    serialized_rollback = True

    def setUp(self) -> None:
        cache.clear()
        self.addCleanup(cache.clear)
        organization = Organization.objects.get(roster_no=13)
        factory.make_user("owner@example.jp", User.Role.MEMBER, organization=organization)
        self.resource = make_resource("サンプル 子ども食堂", organization=organization)

    def report_at_once(self, networks: list[str]) -> list[int]:
        path = f"/resources/{self.resource.pk}/report/"
        data = report_data(message="電話番号が違います。")
        return [o.status for o in at_once([Post(None, path, data, network=n) for n in networks])]

    def test_twenty_at_once_from_one_network_keep_ten(self) -> None:
        codes = self.report_at_once(["198.51.100.20"] * 20)
        self.assertEqual(sorted(codes), [302] * 10 + [429] * 10)
        self.assertEqual(ErrorReport.objects.count(), 10)

    def test_twenty_at_once_from_twenty_networks_mail_each_inbox_ten_times(self) -> None:
        codes = self.report_at_once([f"192.0.2.{n}" for n in range(20)])
        self.assertEqual(codes, [302] * 20)
        self.assertEqual(ErrorReport.objects.count(), 20)
        run_tasks()
        for address in ("owner@example.jp", settings.SECRETARIAT_EMAIL):
            self.assertEqual(len([m for m in mail.outbox if m.to == [address]]), 10)
