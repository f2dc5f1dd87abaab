"""/apply/ under abuse: receipts limited per address, identical applications recognised."""

from __future__ import annotations

import unittest
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone

from tsunagari.factory import application_data
from tsunagari.members.models import MembershipApplication
from tsunagari.race import Post, at_once
from tsunagari.test import BaseTestCase, run_tasks

URL = "/apply/"
NO_RECEIPT = "今回は確認のメールをお送りしていません"


class ReceiptLimitTestCase(BaseTestCase):
    def apply_as(self, n: int, email: str = "victim@example.org") -> Any:
        data = application_data(contact_email=email, needs=f"会場の貸し借り（{n}）")
        return self.client.post(URL, data, REMOTE_ADDR=f"192.0.2.{n}", follow=True)

    def test_one_address_gets_three_receipts_a_day_and_every_application_is_kept(self) -> None:
        for n in range(3):
            r = self.apply_as(n)
            self.assertContains(r, "受付確認のメールをお送りしました")
        r = self.apply_as(3)
        self.assertContains(r, NO_RECEIPT)
        self.assertContains(r, MembershipApplication.objects.order_by("-id")[0].reference)
        self.apply_as(4)
        self.assertEqual(MembershipApplication.objects.count(), 5)
        self.run_tasks()
        self.assertEqual(len(self.sent_to("victim@example.org")), 3)
        # The secretariat hears of every one of them.
        self.assertEqual(len(self.sent_to(settings.SECRETARIAT_EMAIL)), 5)

    def test_the_count_is_per_address_in_any_case(self) -> None:
        for n in range(3):
            self.apply_as(n, "Victim@Example.org")
        self.assertContains(self.apply_as(3, "victim@example.org"), NO_RECEIPT)
        self.assertNotContains(self.apply_as(4, "someone@example.org"), NO_RECEIPT)

    def test_the_thanks_without_a_receipt_is_in_english_too(self) -> None:
        for n in range(3):
            self.apply_as(n)
        self.client.cookies["django_language"] = "en"
        self.assertContains(self.apply_as(3), "we have not sent another confirmation")


class IdenticalApplicationTestCase(BaseTestCase):
    def send(self, **fields: Any) -> Any:
        return self.client.post(URL, application_data(**fields), follow=True)

    def test_the_same_application_sent_again_shows_the_first_ones_thanks(self) -> None:
        first = self.send()
        again = self.send(postal_code="251-0052", contact_email="Hanako@Example.org")
        [application] = MembershipApplication.objects.all()
        self.assertContains(first, application.reference)
        self.assertContains(again, application.reference)
        self.assertEqual(self.run_tasks(), 2)  # one receipt, one notice to the secretariat

    def test_it_is_recognised_after_a_restart_too(self) -> None:
        self.send()
        cache.clear()  # a restarted cache forgets; the database does not
        self.send()
        self.assertEqual(MembershipApplication.objects.count(), 1)

    def test_resending_does_not_use_up_the_network_limit(self) -> None:
        for _ in range(8):
            self.assertEqual(self.send().redirect_chain[-1][0], "/apply/thanks/")
        self.assertEqual(MembershipApplication.objects.count(), 1)
        self.send(needs="別の内容")
        self.assertEqual(MembershipApplication.objects.count(), 2)

    def test_a_changed_word_is_a_new_application(self) -> None:
        self.send()
        self.send(description="地域の居場所づくりと学習支援に取り組んでいます。")
        self.assertEqual(MembershipApplication.objects.count(), 2)

    def test_after_a_day_or_a_decision_the_same_content_may_apply_again(self) -> None:
        self.send()
        MembershipApplication.objects.update(submitted_at=timezone.now() - timedelta(hours=25))
        cache.clear()
        self.send()
        self.assertEqual(MembershipApplication.objects.count(), 2)
        MembershipApplication.objects.update(status=MembershipApplication.Status.DECLINED)
        cache.clear()
        self.send()
        self.assertEqual(MembershipApplication.objects.count(), 3)


@unittest.skipUnless(connection.vendor == "postgresql", "a concurrency test for PostgreSQL")
class ParallelApplicationsTestCase(TransactionTestCase):
    serialized_rollback = True

    def setUp(self) -> None:
        cache.clear()
        self.addCleanup(cache.clear)

    def send_at_once(self, forms: list[tuple[str, dict[str, Any]]]) -> list[Any]:
        outcomes = at_once([Post(None, URL, d, network=n, follow=True) for n, d in forms])
        return [o.response for o in outcomes]

    def test_twenty_identical_applications_at_once_make_one(self) -> None:
        data = application_data()
        responses = self.send_at_once([(f"192.0.2.{n}", data) for n in range(20)])
        [application] = MembershipApplication.objects.all()
        for r in responses:
            self.assertContains(r, "申込を受け付けました")
        with_reference = [r for r in responses if application.reference in r.content.decode()]
        self.assertGreaterEqual(len(with_reference), 19)
        self.assertEqual(run_tasks(), 2)

    def test_twenty_applications_at_once_naming_one_address_mail_it_three_times(self) -> None:
        forms = [
            (f"192.0.2.{n}", application_data(contact_email="victim@example.org", needs=f"{n}"))
            for n in range(20)
        ]
        self.send_at_once(forms)
        self.assertEqual(MembershipApplication.objects.count(), 20)
        run_tasks()
        self.assertEqual(len([m for m in mail.outbox if m.to == ["victim@example.org"]]), 3)
