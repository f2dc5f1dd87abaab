"""The secretariat's pages: re-verify, retire, restore and the period, each audited and
each a conditional update (a change made meanwhile is not overwritten)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tsunagari.audit.models import AuditEvent
from tsunagari.helplines import services
from tsunagari.helplines.models import NationalLine
from tsunagari.helplines.tests.factory import make_line
from tsunagari.test import BaseTestCase


class ListTests(BaseTestCase):
    def test_the_list_shows_status_seen_and_verified_dates_in_few_queries(self) -> None:
        self.login(self.secretariat)
        line = make_line(verified_on=dt.date(2026, 11, 30), verified_by=self.secretariat)
        with self.assertNumQueries(3):  # the session, the user, the lines (with who verified)
            r = self.client.get("/secretariat/helplines/")
        self.assertContains(r, "【テスト】相談ダイヤル")
        self.assertContains(r, "令和7年4月1日")  # the source's seen date
        self.assertContains(r, f"令和8年11月30日（{self.secretariat.full_name}）")
        self.assertContains(r, "確認待ち")  # the undated lines of the shipped list
        self.assertContains(r, f'href="/secretariat/helplines/{line.pk}/"')

    def test_members_and_officers_cannot_open_it(self) -> None:
        for user in (self.staff, self.officer):
            self.login(user)
            self.assertEqual(self.client.get("/secretariat/helplines/").status_code, 403)


class ReverifyTests(BaseTestCase):
    def setUp(self) -> None:
        self.login(self.secretariat)

    def test_reverifying_records_the_date_who_and_the_new_source(self) -> None:
        line = make_line()
        r = self.client.post(
            f"/secretariat/helplines/{line.pk}/verify/",
            {"verify-source_url": "https://example.jp/new", "verify-source_seen": "2026-11-01"},
        )
        self.assertRedirects(r, f"/secretariat/helplines/{line.pk}/")
        line.refresh_from_db()
        self.assertEqual(line.verified_on, timezone.localdate())
        self.assertEqual(line.verified_by, self.secretariat)
        self.assertEqual(
            (line.source_url, line.source_seen), ("https://example.jp/new", dt.date(2026, 11, 1))
        )
        event = AuditEvent.objects.for_object(line).get()
        self.assertEqual(event.actor, self.secretariat)
        self.assertEqual(event.changes["source_seen"], ["2025-04-01", "2026-11-01"])
        self.assertEqual(event.note, "再確認")

    def test_reverifying_a_waiting_line_publishes_it(self) -> None:
        line = NationalLine.objects.get(name_ja="チャイルドライン")
        self.assertEqual(line.status, "pending")
        self.client.post(
            f"/secretariat/helplines/{line.pk}/verify/",
            {
                "verify-source_url": "https://childline.or.jp/tel",
                "verify-source_seen": "2026-11-30",
            },
        )
        line.refresh_from_db()
        self.assertEqual(line.status, "published")
        self.assertContains(self.client.get("/help/"), "チャイルドライン")

    def test_a_future_seen_date_is_refused_and_the_form_keeps_what_was_typed(self) -> None:
        line = make_line()
        r = self.client.post(
            f"/secretariat/helplines/{line.pk}/verify/",
            {"verify-source_url": "https://example.jp/typed", "verify-source_seen": "2099-01-01"},
        )
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "未来の日付", status_code=400)
        self.assertContains(r, "https://example.jp/typed", status_code=400)
        line.refresh_from_db()
        self.assertIsNone(line.verified_on)

    def test_a_reverification_saved_meanwhile_is_not_overwritten(self) -> None:
        line = make_line()
        stale = NationalLine.objects.get(pk=line.pk)
        seen = timezone.localdate()
        self.assertTrue(
            services.reverify(
                line, by=self.secretariat, source_url="https://a.jp/", source_seen=seen
            )
        )
        self.assertFalse(
            services.reverify(stale, by=self.officer, source_url="https://b.jp/", source_seen=seen)
        )
        line.refresh_from_db()
        self.assertEqual((line.source_url, line.verified_by), ("https://a.jp/", self.secretariat))

    def test_a_retired_line_is_not_reverified(self) -> None:
        line = make_line(status="retired")
        self.assertFalse(
            services.reverify(
                line, by=self.secretariat, source_url="https://x.jp/", source_seen=None
            )
        )


class RetireRestoreTests(BaseTestCase):
    def setUp(self) -> None:
        self.login(self.secretariat)

    def test_retire_then_restore_with_audit(self) -> None:
        line = make_line()
        self.client.post(
            f"/secretariat/helplines/{line.pk}/retire/", {"retire-reason": "番号が変わった"}
        )
        line.refresh_from_db()
        self.assertEqual((line.status, line.retired_reason), ("retired", "番号が変わった"))
        self.assertNotContains(self.client.get("/help/"), "<strong>【テスト】相談ダイヤル</strong>")
        self.client.post(f"/secretariat/helplines/{line.pk}/restore/")
        line.refresh_from_db()
        self.assertEqual(line.status, "published")
        self.assertContains(self.client.get("/help/"), "<strong>【テスト】相談ダイヤル</strong>")
        changes = [
            e.changes["status"] for e in AuditEvent.objects.for_object(line).order_by("at", "id")
        ]
        self.assertEqual(changes, [["published", "retired"], ["retired", "published"]])

    def test_restoring_a_line_without_a_source_leaves_it_waiting(self) -> None:
        line = make_line(status="retired", source_url="", source_seen=None)
        self.assertTrue(services.restore(line, by=self.secretariat))
        line.refresh_from_db()
        self.assertEqual(line.status, "pending")

    def test_a_change_made_meanwhile_is_not_overwritten(self) -> None:
        line = make_line()
        stale = NationalLine.objects.get(pk=line.pk)
        self.assertTrue(services.retire(line, by=self.secretariat, reason="一人目"))
        self.assertFalse(services.retire(stale, by=self.secretariat, reason="二人目"))
        line.refresh_from_db()
        self.assertEqual(line.retired_reason, "一人目")
        self.assertEqual(AuditEvent.objects.for_object(line).count(), 1)

    def test_the_second_click_says_nothing_was_changed(self) -> None:
        line = make_line(status="retired")
        r = self.client.post(f"/secretariat/helplines/{line.pk}/retire/", follow=True)
        self.assertContains(r, "変更しませんでした")


class PeriodViewTests(BaseTestCase):
    def setUp(self) -> None:
        self.login(self.secretariat)
        self.line = NationalLine.objects.get(phone="#9999")

    def test_the_secretariat_enters_the_period_and_the_line_shows_inside_it(self) -> None:
        today = timezone.localdate()
        self.assertNotContains(self.client.get("/help/"), "#9999")
        self.client.post(
            f"/secretariat/helplines/{self.line.pk}/period/",
            {
                "period-starts_on": str(today - dt.timedelta(days=1)),
                "period-ends_on": str(today + dt.timedelta(days=1)),
            },
        )
        self.assertContains(self.client.get("/help/"), "tel:%239999")
        event = AuditEvent.objects.for_object(self.line).get()
        self.assertEqual(event.note, "実施期間")

    def test_half_a_period_is_refused(self) -> None:
        r = self.client.post(
            f"/secretariat/helplines/{self.line.pk}/period/", {"period-starts_on": "2026-12-01"}
        )
        self.assertContains(r, "両方", status_code=400)

    def test_a_standing_line_has_no_period(self) -> None:
        line = make_line()
        self.client.post(
            f"/secretariat/helplines/{line.pk}/period/",
            {"period-starts_on": "2026-12-01", "period-ends_on": "2026-12-02"},
        )
        line.refresh_from_db()
        self.assertIsNone(line.period_starts_on)
