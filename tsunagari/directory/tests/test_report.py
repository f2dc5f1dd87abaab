"""「情報の誤りを報告」: anyone reports, the owner and the secretariat are told and close it."""

from __future__ import annotations

import time
from typing import Any
from unittest import mock

from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.directory import manage_views
from tsunagari.directory.models import ErrorReport, Resource
from tsunagari.factory import make_resource
from tsunagari.lib.antibot import issue_token
from tsunagari.lib.ratelimit import RateLimit
from tsunagari.test import BaseTestCase


def report_data(**fields: Any) -> dict[str, Any]:
    """A report typed into the form, shown to the sender a minute ago."""
    return {"shown_at": issue_token(now=time.time() - 60), "homepage": "", **fields}


class ReportFormTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.resource = make_resource("サンプル 子ども食堂", organization=self.organization)
        self.url = f"/resources/{self.resource.pk}/report/"

    def test_the_detail_page_links_to_the_form(self) -> None:
        r = self.client.get(f"/resources/{self.resource.pk}/")
        self.assertContains(r, f'href="{self.url}"')
        self.assertContains(r, "情報の誤りを報告")

    def test_an_anonymous_resident_reports_and_the_owner_and_secretariat_are_told(self) -> None:
        r = self.client.get(self.url)
        self.assertContains(r, '「<span lang="ja">サンプル 子ども食堂</span>」')
        r = self.client.post(
            self.url,
            report_data(message="開催日が第3土曜に変わりました。", reply_to="Resident@Example.org"),
            follow=True,
        )
        self.assertContains(r, "報告を受け付けました")
        report = ErrorReport.objects.get()
        self.assertEqual(report.resource, self.resource)
        self.assertEqual(report.reply_to, "resident@example.org")
        self.assertEqual(report.status, ErrorReport.Status.OPEN)

        self.assertEqual(mail.outbox, [])  # sent by the worker, not in the request
        self.run_tasks()
        to_staff = self.sent_to(self.staff.email)
        self.assertEqual(len(to_staff), 1)
        self.assertIn("サンプル 子ども食堂", to_staff[0].subject)
        self.assertIn("開催日が第3土曜に変わりました。", to_staff[0].body)
        self.assertIn("resident@example.org", to_staff[0].body)
        self.assertIn(f"/manage/resources/{self.resource.pk}/edit/", to_staff[0].body)
        self.assertEqual(len(self.sent_to(settings.SECRETARIAT_EMAIL)), 1)
        self.assertEqual(self.sent_to(self.other_staff.email), [])

    def test_inactive_staff_are_not_told(self) -> None:
        factory.make_user(
            "left@example.jp", User.Role.MEMBER, organization=self.organization, is_active=False
        )
        self.client.post(self.url, report_data(message="電話番号が違います。"))
        self.run_tasks()
        self.assertEqual(self.sent_to("left@example.jp"), [])
        self.assertEqual(len(mail.outbox), 2)

    def test_a_non_member_resource_reports_to_the_secretariat_only(self) -> None:
        window = make_resource("サンプル 相談窓口", provider_name="サンプル市")
        self.client.post(
            f"/resources/{window.pk}/report/", report_data(message="受付時間が違います。")
        )
        self.run_tasks()
        self.assertEqual([m.to for m in mail.outbox], [[settings.SECRETARIAT_EMAIL]])

    def test_a_message_is_required_and_what_was_typed_stays(self) -> None:
        r = self.client.post(self.url, report_data(message="", reply_to="me@example.org"))
        self.assertContains(r, "誤りの内容を入力してください。", status_code=400)
        self.assertContains(r, 'value="me@example.org"', status_code=400)
        self.assertFalse(ErrorReport.objects.exists())

    def test_a_robot_filling_the_hidden_field_is_thanked_but_nothing_is_kept(self) -> None:
        r = self.client.post(
            self.url, report_data(message="buy now", homepage="http://spam.example")
        )
        self.assertRedirects(r, f"/resources/{self.resource.pk}/report/thanks/")
        self.assertFalse(ErrorReport.objects.exists())
        self.run_tasks()
        self.assertEqual(mail.outbox, [])

    def test_nothing_about_the_sender_is_stored(self) -> None:
        self.client.post(
            self.url, report_data(message="住所が違います。"), HTTP_USER_AGENT="Mozilla/5.0 Test"
        )
        report = ErrorReport.objects.values().get()
        self.assertNotIn("127.0.0.1", str(report))
        self.assertNotIn("Mozilla", str(report))

    def test_an_unpublished_resource_cannot_be_reported(self) -> None:
        Resource.objects.filter(pk=self.resource.pk).update(status=Resource.Status.DRAFT)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_the_trap_is_hidden_from_people_and_assistive_technology(self) -> None:
        html = self.client.get(self.url).content.decode()
        trap = html[html.index('name="homepage"') - 250 : html.index('name="homepage"') + 200]
        self.assertIn('<div class="trap" aria-hidden="true">', trap)
        self.assertIn('tabindex="-1"', trap)
        self.assertIn('name="shown_at"', html)

    def test_a_report_sent_faster_than_a_person_is_refused_and_the_text_kept(self) -> None:
        r = self.client.post(
            self.url,
            report_data(
                message="開催日が第3土曜に変わりました。",
                reply_to="me@example.org",
                shown_at=issue_token(now=time.time() - 1),
            ),
        )
        self.assertContains(r, "送信が早すぎたため", status_code=400)
        self.assertContains(r, "開催日が第3土曜に変わりました。", status_code=400)
        self.assertContains(r, 'value="me@example.org"', status_code=400)
        self.assertFalse(ErrorReport.objects.exists())

    def test_a_page_shown_again_keeps_its_first_token_so_a_fix_goes_through_at_once(self) -> None:
        first = issue_token(now=time.time() - 10)
        r = self.client.post(self.url, report_data(message="", shown_at=first))
        self.assertContains(r, "誤りの内容を入力してください。", status_code=400)
        token = r.content.decode().split('name="shown_at" value="')[1].split('"')[0]
        self.assertEqual(token, first)
        r = self.client.post(self.url, report_data(message="電話番号が違います。", shown_at=token))
        self.assertRedirects(r, f"/resources/{self.resource.pk}/report/thanks/")
        self.assertEqual(ErrorReport.objects.get().message, "電話番号が違います。")

    def test_a_missing_or_forged_token_is_refused(self) -> None:
        for token in ("", issue_token().replace(":", ";")):
            with self.subTest(token=token):
                r = self.client.post(
                    self.url, report_data(message="住所が違います。", shown_at=token)
                )
                self.assertEqual(r.status_code, 400)
        self.assertFalse(ErrorReport.objects.exists())


class ReportRateLimitTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.resource = make_resource("サンプル 子ども食堂", organization=self.organization)
        self.url = f"/resources/{self.resource.pk}/report/"

    def post_from(self, address: str) -> int:
        data = report_data(message="開催日が第3土曜に変わりました。")
        return self.client.post(self.url, data, REMOTE_ADDR=address).status_code

    def test_after_ten_from_one_network_it_answers_429_and_keeps_the_text(self) -> None:
        for _ in range(10):
            self.assertEqual(self.post_from("198.51.100.20"), 302)
        r = self.client.post(
            self.url, report_data(message="住所が違います。"), REMOTE_ADDR="198.51.100.20"
        )
        self.assertContains(r, "しばらくしてからお送りください", status_code=429)
        self.assertContains(r, "住所が違います。", status_code=429)
        self.assertEqual(ErrorReport.objects.count(), 10)
        # Another network is still welcome.
        self.assertEqual(self.post_from("192.0.2.44"), 302)

    def test_the_overall_cap_stops_a_flood_from_many_networks(self) -> None:
        small = RateLimit("report", per_network=10, overall=3)
        with mock.patch.object(manage_views, "REPORT_LIMIT", small):
            for i in range(3):
                self.assertEqual(self.post_from(f"192.0.2.{i + 1}"), 302)
            self.assertEqual(self.post_from("192.0.2.99"), 429)
        self.assertEqual(ErrorReport.objects.count(), 3)

    def test_the_real_limits(self) -> None:
        self.assertEqual(
            (manage_views.REPORT_LIMIT.per_network, manage_views.REPORT_LIMIT.overall), (10, 300)
        )


class ReportListTestCase(BaseTestCase):
    url = "/manage/reports/"

    def setUp(self) -> None:
        own = make_resource("サンプル 自分の居場所", organization=self.organization)
        others = make_resource("サンプル よその居場所", organization=self.other_organization)
        self.report = ErrorReport.objects.create(resource=own, message="開始時刻が違います。")
        ErrorReport.objects.create(resource=others, message="閉鎖しました。")

    def test_the_staff_see_open_reports_on_their_resources_only(self) -> None:
        self.login(self.staff)
        r = self.client.get(self.url)
        self.assertContains(r, "開始時刻が違います。")
        self.assertNotContains(r, "閉鎖しました。")

    def test_the_secretariat_sees_all(self) -> None:
        self.login(self.secretariat)
        r = self.client.get(self.url)
        self.assertContains(r, "開始時刻が違います。")
        self.assertContains(r, "閉鎖しました。")

    def test_resolving_moves_it_out_of_the_open_list(self) -> None:
        self.login(self.staff)
        r = self.client.post(f"/manage/reports/{self.report.pk}/resolve/", follow=True)
        self.assertContains(r, "「対応済み」にしました")
        self.assertNotContains(r, "開始時刻が違います。")
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ErrorReport.Status.RESOLVED)
        self.assertEqual(self.report.resolved_by, self.staff)
        r = self.client.get(self.url, {"status": "resolved"})
        self.assertContains(r, "開始時刻が違います。")

    def test_dismissing(self) -> None:
        self.login(self.secretariat)
        self.client.post(f"/manage/reports/{self.report.pk}/dismiss/")
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ErrorReport.Status.DISMISSED)

    def test_another_members_staff_cannot_close_it(self) -> None:
        self.login(self.other_staff)
        r = self.client.post(f"/manage/reports/{self.report.pk}/resolve/")
        self.assertEqual(r.status_code, 403)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ErrorReport.Status.OPEN)

    def test_an_unknown_action_is_not_found(self) -> None:
        self.login(self.staff)
        r = self.client.post(f"/manage/reports/{self.report.pk}/delete/")
        self.assertEqual(r.status_code, 404)

    def test_the_resource_list_shows_the_open_report_count(self) -> None:
        self.login(self.staff)
        self.assertContains(self.client.get("/manage/resources/"), "誤りの報告1件")

    def test_the_query_count_does_not_grow_with_the_reports(self) -> None:
        self.login(self.secretariat)
        with CaptureQueriesContext(connection) as queries:
            self.client.get(self.url)
        for i in range(6):
            resource = make_resource(f"サンプル {i}", organization=self.other_organization)
            ErrorReport.objects.create(resource=resource, message=f"報告{i}")
        with self.assertNumQueries(len(queries)):
            r = self.client.get(self.url)
        self.assertContains(r, "報告5")
