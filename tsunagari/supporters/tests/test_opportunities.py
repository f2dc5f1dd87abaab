"""Supporters who opted in hear of new events and volunteering near them, once each, with
a way to stop in every mail."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from tsunagari.factory import make_resource
from tsunagari.geo.models import Municipality
from tsunagari.supporters import attendance, opportunities
from tsunagari.supporters.models import Registration
from tsunagari.supporters.tests.completion_helpers import running_course
from tsunagari.supporters.tests.factory import make_registration
from tsunagari.test import BaseTestCase


class OptInPageTest(BaseTestCase):
    def setUp(self) -> None:
        self.registration = make_registration(running_course(), "山田 花子")
        self.url = f"/supporters/r/{self.registration.token}/opportunities/"

    def test_only_a_supporter_who_attended_may_opt_in(self) -> None:
        r = self.client.post(self.url, {"opt_in": "1"}, follow=True)
        self.assertContains(r, "講座を修了し、メールアドレスを登録した方が受け取れます")
        self.registration.refresh_from_db()
        self.assertFalse(self.registration.opportunities_opt_in)

    def test_a_supporter_opts_in_and_out(self) -> None:
        attendance.mark_attended(self.registration)
        r = self.client.post(self.url, {"opt_in": "1"}, follow=True)
        self.assertContains(r, "受け取るようにしました")
        self.registration.refresh_from_db()
        self.assertTrue(self.registration.opportunities_opt_in)
        self.assertIsNotNone(self.registration.opportunities_opt_in_at)
        r = self.client.post(self.url, {"opt_in": "0"}, follow=True)
        self.assertContains(r, "お知らせを止めました")
        self.registration.refresh_from_db()
        self.assertFalse(self.registration.opportunities_opt_in)

    def test_the_certificate_page_offers_it(self) -> None:
        attendance.mark_attended(self.registration)
        r = self.client.get(f"/supporters/r/{self.registration.token}/certificate/")
        self.assertContains(r, "参加の機会のお知らせ")
        self.assertContains(r, self.url)

    def test_the_stop_link_asks_before_it_stops(self) -> None:
        attendance.mark_attended(self.registration)
        opportunities.set_opt_in(self.registration, True)
        stop = f"/supporters/r/{self.registration.token}/opportunities/stop/"
        r = self.client.get(stop)
        self.assertContains(r, '<form method="post">')
        self.registration.refresh_from_db()
        self.assertTrue(self.registration.opportunities_opt_in)  # a GET changes nothing
        r = self.client.post(stop)
        self.assertContains(r, "お知らせを止めました")
        self.registration.refresh_from_db()
        self.assertFalse(self.registration.opportunities_opt_in)


class SendTest(BaseTestCase):
    def setUp(self) -> None:
        self.registration = make_registration(
            running_course(), "山田 花子", municipality=self.municipality
        )
        attendance.mark_attended(self.registration)
        opportunities.set_opt_in(self.registration, True)
        Registration.objects.filter(pk=self.registration.pk).update(
            opportunities_opt_in_at=timezone.now() - timedelta(hours=1)
        )
        self.run_tasks()  # the certificate mail
        from django.core import mail

        mail.outbox.clear()

    def send(self) -> str:
        out = StringIO()
        call_command("send_supporter_opportunities", stdout=out)
        self.run_tasks()
        return out.getvalue()

    def test_it_mails_new_events_and_volunteering_in_their_municipality_once(self) -> None:
        make_resource("【テスト】藤沢の清掃ボランティア", kinds=("volunteer",))
        make_resource("【テスト】藤沢の夏祭り", kinds=("event",))
        make_resource("【テスト】藤沢の居場所", kinds=("ibasho",))
        make_resource("【テスト】横浜のイベント", kinds=("event",), municipality="141011")
        self.assertIn("1 opportunity e-mail(s) queued", self.send())
        [message] = self.sent_to(self.registration.email)
        self.assertIn("藤沢の清掃ボランティア", message.body)
        self.assertIn("藤沢の夏祭り", message.body)
        self.assertNotIn("居場所", message.body)
        self.assertNotIn("横浜", message.body)
        self.assertIn(f"/supporters/r/{self.registration.token}/opportunities/stop/", message.body)
        # Run again: nothing new, nothing sent.
        self.assertIn("0 opportunity e-mail(s) queued", self.send())
        self.assertEqual(len(self.sent_to(self.registration.email)), 1)

    def test_only_what_is_new_since_the_last_mail_is_sent(self) -> None:
        make_resource("【テスト】最初のイベント", kinds=("event",))
        self.send()
        make_resource("【テスト】次のイベント", kinds=("event",))
        self.send()
        _first, second = self.sent_to(self.registration.email)
        self.assertIn("次のイベント", second.body)
        self.assertNotIn("最初のイベント", second.body)

    def test_nothing_is_sent_to_those_who_stopped_or_were_erased(self) -> None:
        opportunities.set_opt_in(self.registration, False)
        make_resource("【テスト】イベント", kinds=("event",))
        self.assertIn("0 opportunity e-mail(s) queued", self.send())

    def test_the_whole_city_counts_for_a_ward(self) -> None:
        ward = Municipality.objects.get(code="141038")  # 横浜市西区
        Registration.objects.filter(pk=self.registration.pk).update(municipality=ward)
        make_resource("【テスト】横浜市中区のイベント", kinds=("event",), municipality="141046")
        self.send()
        [message] = self.sent_to(self.registration.email)
        self.assertIn("横浜市中区のイベント", message.body)

    def test_an_event_already_over_is_not_sent_and_the_next_date_is_given(self) -> None:
        past = timezone.localdate() - timedelta(days=3)
        soon = timezone.localdate() + timedelta(days=5)
        make_resource(
            "【テスト】終わったイベント",
            kinds=("event",),
            schedules=({"frequency": "once", "starts_on": past, "ends_on": past},),
        )
        make_resource(
            "【テスト】これからのイベント",
            kinds=("event",),
            schedules=({"frequency": "once", "starts_on": soon, "ends_on": soon},),
        )
        self.send()
        [message] = self.sent_to(self.registration.email)
        self.assertNotIn("終わったイベント", message.body)
        self.assertIn("これからのイベント（次回 令和", message.body)

    def test_an_unpublished_resource_is_not_sent(self) -> None:
        make_resource("【テスト】非公開のイベント", kinds=("event",), status="unpublished")
        self.assertIn("0 opportunity e-mail(s) queued", self.send())
