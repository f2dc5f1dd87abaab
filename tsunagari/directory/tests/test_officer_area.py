"""A municipality officer looks after the resources in their area: the list, 確認した and
指摘する; another municipality's resources stay out of reach, and content stays the
owner's to edit."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent
from tsunagari.directory.models import ErrorReport, Resource
from tsunagari.factory import make_resource
from tsunagari.geo.models import Municipality
from tsunagari.race import Post, RaceTestCase, at_once, make_people, messages_of
from tsunagari.test import BaseTestCase

LIST = "/manage/area/resources/"


class AreaListTestCase(BaseTestCase):
    def setUp(self) -> None:
        old = timezone.localdate() - dt.timedelta(days=400)
        self.mine = make_resource(
            "サンプル 藤沢の居場所", organization=self.organization, last_verified_on=old
        )
        self.fresh = make_resource(
            "サンプル 藤沢の食堂",
            organization=self.organization,
            kinds=("food",),
            last_verified_on=timezone.localdate(),
        )
        self.draft = make_resource(
            "サンプル 藤沢の下書き", organization=self.organization, status="draft"
        )
        self.hidden = make_resource(
            "サンプル 藤沢の非公開", organization=self.organization, status="unpublished"
        )
        self.elsewhere = make_resource("サンプル 横浜の居場所", municipality="141003")

    def test_the_officer_sees_published_and_draft_resources_of_their_municipality(self) -> None:
        self.login(self.officer)
        r = self.client.get(LIST)
        self.assertEqual(r.status_code, 200)
        names = [x.name for x in r.context["page"]]
        self.assertCountEqual(names, [self.mine.name, self.fresh.name, self.draft.name])
        self.assertContains(r, "確認した")
        self.assertContains(r, "指摘する")
        self.assertContains(r, "1年以上未確認")

    def test_filters_kind_and_not_verified_for_a_year(self) -> None:
        self.login(self.officer)
        r = self.client.get(LIST, {"kind": "food"})
        self.assertEqual([x.name for x in r.context["page"]], [self.fresh.name])
        r = self.client.get(LIST, {"stale": "on"})
        self.assertCountEqual(
            [x.name for x in r.context["page"]], [self.mine.name, self.draft.name]
        )

    def test_an_officer_of_yokohama_covers_its_wards(self) -> None:
        ward = make_resource("サンプル 港北区の居場所", municipality="141097")
        yokohama = factory.make_user(
            "yokohama@example.jp",
            User.Role.MUNICIPALITY,
            municipality=Municipality.objects.get(pk="141003"),
        )
        self.login(yokohama)
        r = self.client.get(LIST, {"municipality": "141003"})
        self.assertCountEqual([x.name for x in r.context["page"]], [ward.name, self.elsewhere.name])
        r = self.client.post(f"/manage/area/resources/{ward.pk}/verify/")
        self.assertEqual(r.status_code, 302)

    def test_only_officers_reach_the_list(self) -> None:
        for user in (self.staff, self.secretariat):
            self.login(user)
            self.assertEqual(self.client.get(LIST).status_code, 403)

    def test_the_list_costs_the_same_queries_for_one_or_many(self) -> None:
        self.login(self.officer)
        self.client.get(LIST)
        with CaptureQueriesContext(connection) as few:
            self.client.get(LIST)
        for i in range(6):
            make_resource(f"サンプル 追加{i}", organization=self.other_organization)
        with CaptureQueriesContext(connection) as many:
            r = self.client.get(LIST)
        self.assertEqual(len(r.context["page"]), 9)
        self.assertEqual(len(many), len(few))
        with self.assertNumQueries(len(few)):
            self.client.get(LIST)


class VerifyAndFlagTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.mine = make_resource(
            "サンプル 藤沢の居場所",
            organization=self.organization,
            last_verified_on=dt.date(2024, 4, 1),
        )
        self.elsewhere = make_resource("サンプル 横浜の居場所", municipality="141003")
        self.login(self.officer)

    def test_verifying_sets_the_date_and_records_the_officer(self) -> None:
        r = self.client.post(
            f"/manage/area/resources/{self.mine.pk}/verify/", {"next": LIST + "?stale=on"}
        )
        self.assertRedirects(r, LIST + "?stale=on", fetch_redirect_response=False)
        self.mine.refresh_from_db()
        self.assertEqual(self.mine.last_verified_on, timezone.localdate())
        event = AuditEvent.objects.for_object(self.mine).get()
        self.assertEqual(event.actor, self.officer)
        self.assertIn("last_verified_on", event.changes)
        # A second click the same day changes nothing and records nothing.
        r = self.client.post(f"/manage/area/resources/{self.mine.pk}/verify/", follow=True)
        self.assertContains(r, "すでに今日確認済みです")
        self.assertEqual(AuditEvent.objects.for_object(self.mine).count(), 1)

    def test_a_resource_of_another_municipality_is_forbidden(self) -> None:
        r = self.client.post(f"/manage/area/resources/{self.elsewhere.pk}/verify/")
        self.assertEqual(r.status_code, 403)
        r = self.client.post(
            f"/manage/area/resources/{self.elsewhere.pk}/flag/", {"reason": "違います"}
        )
        self.assertEqual(r.status_code, 403)
        self.assertFalse(ErrorReport.objects.exists())
        self.elsewhere.refresh_from_db()
        self.assertIsNone(self.elsewhere.last_verified_on)

    def test_an_outside_redirect_target_is_ignored(self) -> None:
        r = self.client.post(
            f"/manage/area/resources/{self.mine.pk}/verify/", {"next": "https://evil.example/"}
        )
        self.assertRedirects(r, LIST, fetch_redirect_response=False)

    def test_flagging_reaches_the_owner_and_the_secretariat(self) -> None:
        url = f"/manage/area/resources/{self.mine.pk}/flag/"
        self.assertContains(self.client.get(url), "指摘を送る")
        r = self.client.post(url, {"reason": "会場が図書館に移りました。"})
        self.assertRedirects(r, LIST, fetch_redirect_response=False)
        report = ErrorReport.objects.get()
        self.assertEqual(report.resource, self.mine)
        self.assertIn("藤沢市の担当者", report.message)
        self.assertIn("会場が図書館に移りました。", report.message)
        self.assertEqual(report.reply_to, self.officer.email)
        event = AuditEvent.objects.for_object(report).get()
        self.assertEqual(event.actor, self.officer)

        self.run_tasks()
        to_staff = self.sent_to(self.staff.email)
        self.assertEqual(len(to_staff), 1)
        self.assertIn("会場が図書館に移りました。", to_staff[0].body)
        self.assertEqual(len(self.sent_to(settings.SECRETARIAT_EMAIL)), 1)
        self.assertEqual(self.sent_to(self.other_staff.email), [])

        # The owner's staff see it on their reports page, and so does the secretariat.
        for user in (self.staff, self.secretariat):
            self.login(user)
            self.assertContains(self.client.get("/manage/reports/"), "会場が図書館に移りました。")
        self.login(self.other_staff)
        self.assertNotContains(self.client.get("/manage/reports/"), "会場が図書館に移りました。")

    def test_the_same_flag_twice_is_sent_once(self) -> None:
        url = f"/manage/area/resources/{self.mine.pk}/flag/"
        self.client.post(url, {"reason": "電話番号が違います。"})
        r = self.client.post(url, {"reason": "電話番号が違います。"}, follow=True)
        self.assertContains(r, "同じ指摘はすでに送られています")
        self.assertEqual(ErrorReport.objects.count(), 1)

    def test_an_empty_flag_keeps_the_page_with_an_error(self) -> None:
        r = self.client.post(f"/manage/area/resources/{self.mine.pk}/flag/", {"reason": " "})
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "指摘の内容を入力してください。", status_code=400)
        self.assertEqual(mail.outbox, [])

    def test_officers_may_not_edit_the_content(self) -> None:
        r = self.client.get(f"/manage/resources/{self.mine.pk}/edit/")
        self.assertEqual(r.status_code, 403)
        r = self.client.post(f"/manage/resources/{self.mine.pk}/verify/")
        self.assertEqual(r.status_code, 403)

    def test_mypage_links_to_the_area(self) -> None:
        r = self.client.get("/my/")
        self.assertContains(r, "/manage/area/resources/?municipality=142051")
        self.assertContains(r, "/manage/area/voices/?municipality=142051")


class AreaRaceTestCase(RaceTestCase):
    def setUp(self) -> None:
        fujisawa = Municipality.objects.get(pk="142051")
        self.officers = make_people(6, "fujisawa", User.Role.MUNICIPALITY, municipality=fujisawa)
        self.resource = make_resource(last_verified_on=dt.date(2024, 4, 1))

    def test_officers_confirming_at_once_record_it_once(self) -> None:
        url = f"/manage/area/resources/{self.resource.pk}/verify/"
        outcomes = at_once([Post(u, url) for u in self.officers])
        self.assertEqual([o.status for o in outcomes], [302] * 6)
        events = AuditEvent.objects.for_object(self.resource)
        self.assertEqual(events.count(), 1)
        self.assertEqual(sum("はすでに今日確認済みです" in m for m in messages_of(outcomes)), 5)
        self.assertEqual(
            Resource.objects.get(pk=self.resource.pk).last_verified_on, timezone.localdate()
        )

    def test_the_same_flag_sent_at_once_makes_one_report(self) -> None:
        url = f"/manage/area/resources/{self.resource.pk}/flag/"
        officer = self.officers[0]
        outcomes = at_once([Post(officer, url, {"reason": "閉所しました。"}) for _ in range(5)])
        self.assertEqual([o.status for o in outcomes], [302] * 5)
        self.assertEqual(ErrorReport.objects.count(), 1)


class OfficerLinksPartialTestCase(BaseTestCase):
    def test_the_partial_links_to_the_area_pages_of_that_municipality(self) -> None:
        from django.template.loader import render_to_string

        html = render_to_string("rollout/_officer_links.html", {"municipality": self.municipality})
        for href in (
            "/manage/area/resources/?municipality=142051",
            "/manage/area/voices/?municipality=142051",
            "/needs/new/?acting_for=municipality:142051",
            "/councils/new/",
            "/meetings/",
        ):
            self.assertIn(f'href="{href}"', html)
        self.assertIn("藤沢市としてニーズを登録する", html)
