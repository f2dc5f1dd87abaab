"""「情報の誤りを報告」: anyone reports, the owner and the secretariat are told and close it."""

from __future__ import annotations

from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.directory.models import ErrorReport, Resource
from tsunagari.factory import make_resource
from tsunagari.test import BaseTestCase


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
            {"message": "開催日が第3土曜に変わりました。", "reply_to": "Resident@Example.org"},
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
        self.client.post(self.url, {"message": "電話番号が違います。"})
        self.run_tasks()
        self.assertEqual(self.sent_to("left@example.jp"), [])
        self.assertEqual(len(mail.outbox), 2)

    def test_a_non_member_resource_reports_to_the_secretariat_only(self) -> None:
        window = make_resource("サンプル 相談窓口", provider_name="サンプル市")
        self.client.post(f"/resources/{window.pk}/report/", {"message": "受付時間が違います。"})
        self.run_tasks()
        self.assertEqual([m.to for m in mail.outbox], [[settings.SECRETARIAT_EMAIL]])

    def test_a_message_is_required_and_what_was_typed_stays(self) -> None:
        r = self.client.post(self.url, {"message": "", "reply_to": "me@example.org"})
        self.assertContains(r, "誤りの内容を入力してください。", status_code=400)
        self.assertContains(r, 'value="me@example.org"', status_code=400)
        self.assertFalse(ErrorReport.objects.exists())

    def test_a_robot_filling_the_hidden_field_is_thanked_but_nothing_is_kept(self) -> None:
        r = self.client.post(self.url, {"message": "buy now", "website": "http://spam.example"})
        self.assertRedirects(r, f"/resources/{self.resource.pk}/report/thanks/")
        self.assertFalse(ErrorReport.objects.exists())
        self.run_tasks()
        self.assertEqual(mail.outbox, [])

    def test_nothing_about_the_sender_is_stored(self) -> None:
        self.client.post(
            self.url, {"message": "住所が違います。"}, HTTP_USER_AGENT="Mozilla/5.0 Test"
        )
        report = ErrorReport.objects.values().get()
        self.assertNotIn("127.0.0.1", str(report))
        self.assertNotIn("Mozilla", str(report))

    def test_an_unpublished_resource_cannot_be_reported(self) -> None:
        Resource.objects.filter(pk=self.resource.pk).update(status=Resource.Status.DRAFT)
        self.assertEqual(self.client.get(self.url).status_code, 404)


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
