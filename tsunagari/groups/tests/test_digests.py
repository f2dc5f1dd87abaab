"""Daily e-mail digests of a group's board: opt-in, once per post, one-click unsubscribe."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tsunagari.groups import services
from tsunagari.groups.models import GroupDigestSubscription
from tsunagari.groups.tests.factory import make_group, make_post
from tsunagari.test import BaseTestCase


class DigestTest(BaseTestCase):
    def setUp(self) -> None:
        self.group = make_group(self.organization, self.other_organization)

    def subscribe(self, user: Any) -> GroupDigestSubscription:
        self.login(user)
        self.client.post(f"/groups/{self.group.pk}/digest/", {"subscribed": "1"})
        return GroupDigestSubscription.objects.get(user=user, group=self.group)

    def test_a_subscriber_gets_the_new_posts_once(self) -> None:
        subscription = self.subscribe(self.staff)
        make_post(
            self.group, self.other_staff, title="会場の相談", body="平日の会場を探しています。"
        )
        call_command("send_group_digests", stdout=StringIO())
        self.run_tasks()
        [message] = self.sent_to(self.staff.email)
        self.assertIn(self.group.name, message.subject)
        self.assertIn("平日の会場を探しています。", message.body)
        self.assertIn(services.unsubscribe_url(subscription), message.body)
        self.assertIn("List-Unsubscribe", message.extra_headers)
        mail.outbox.clear()
        call_command("send_group_digests", stdout=StringIO())
        self.run_tasks()
        self.assertEqual(mail.outbox, [])

    def test_no_posts_no_mail(self) -> None:
        self.subscribe(self.staff)
        self.assertEqual(services.send_digests(), 0)

    def test_posts_before_subscribing_are_not_sent(self) -> None:
        make_post(self.group, self.other_staff, created_at=timezone.now() - dt.timedelta(hours=1))
        self.subscribe(self.staff)
        self.assertEqual(services.send_digests(), 0)

    def test_a_person_whose_organisation_left_gets_nothing(self) -> None:
        self.subscribe(self.staff)
        services.leave(self.staff, self.group.memberships.get(organization=self.organization))
        make_post(self.group, self.other_staff)
        self.assertEqual(services.send_digests(), 0)

    def test_a_stale_run_does_not_send_twice(self) -> None:
        subscription = self.subscribe(self.staff)
        make_post(self.group, self.other_staff)
        # Another run moved last_sent_at after this one read it.
        GroupDigestSubscription.objects.filter(pk=subscription.pk).update(
            last_sent_at=timezone.now()
        )
        self.assertEqual(services.send_digests(), 0)

    def test_the_unsubscribe_link_stops_the_digest_in_one_click(self) -> None:
        subscription = self.subscribe(self.staff)
        self.client.logout()
        url = f"/groups/digest/unsubscribe/{services.unsubscribe_token(subscription)}/"
        self.assertContains(self.client.get(url), "まとめメールを止める")
        self.assertTrue(GroupDigestSubscription.objects.exists())
        self.assertContains(self.client.post(url), "まとめメールを止めました。")
        self.assertFalse(GroupDigestSubscription.objects.exists())

    def test_a_forged_token_is_404(self) -> None:
        self.assertEqual(self.client.get("/groups/digest/unsubscribe/abc/").status_code, 404)

    def test_turning_it_off_on_the_page(self) -> None:
        self.subscribe(self.staff)
        self.client.post(f"/groups/{self.group.pk}/digest/", {"subscribed": "0"})
        self.assertFalse(GroupDigestSubscription.objects.exists())
