from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tsunagari.audit.models import AuditEvent
from tsunagari.members.models import ROSTER_BASELINE_DATE, Membership, Organization
from tsunagari.members.tests.helpers import form_data, make_member, roster_names
from tsunagari.test import BaseTestCase

END_BEFORE_START = "退会日は開始日より後の日付にしてください。"


class OrganizationListTestCase(BaseTestCase):
    url = "/secretariat/organizations/"

    def setUp(self) -> None:
        self.login(self.secretariat)

    def test_it_lists_every_organisation(self) -> None:
        r = self.client.get(self.url)
        self.assertContains(r, "35団体（フリガナ順）")
        for organization in Organization.objects.all():
            self.assertContains(r, f'href="/secretariat/organizations/{organization.pk}/"')

    def test_it_orders_by_reading_rather_than_by_the_characters_of_the_name(self) -> None:
        yokohama = Organization.objects.get(name="横浜市")
        kanagawa = Organization.objects.get(name="神奈川県")
        # By the characters alone 横浜市 (U+6A2A) comes before 神奈川県 (U+795E).
        self.assertLess(yokohama.name, kanagawa.name)
        Organization.objects.filter(pk=yokohama.pk).update(name_kana="ヨコハマシ")
        Organization.objects.filter(pk=kanagawa.pk).update(name_kana="カナガワケン")
        html = self.client.get(self.url).content.decode()
        self.assertLess(html.index(">神奈川県<"), html.index(">横浜市<"))

    def test_it_shows_who_has_left(self) -> None:
        Membership.objects.filter(organization=self.organization).update(
            ended_on=ROSTER_BASELINE_DATE + timedelta(days=10)
        )
        r = self.client.get(self.url, {"sector": "private"})
        self.assertContains(r, "退会済み", count=1)
        self.assertNotContains(r, "日本福祉大学")

    def test_the_query_count_does_not_grow_with_the_organisations(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            self.client.get(self.url)
        for i in range(10):
            make_member(f"追加の団体{i}", started_on=ROSTER_BASELINE_DATE)
        with self.assertNumQueries(len(queries)):
            r = self.client.get(self.url)
        self.assertContains(r, "45団体（フリガナ順）")


class OrganizationAdminEditTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.url = f"/secretariat/organizations/{self.organization.pk}/"
        self.membership = self.organization.memberships.get()
        self.login(self.secretariat)

    def current_form(self) -> dict[str, Any]:
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)
        return form_data(r.content.decode())

    def history(self) -> str:
        """The 変更履歴 section of the edit page."""
        html = self.client.get(self.url).content.decode()
        return html[html.index("変更履歴") :]

    def post(self, **changes: Any):
        data = self.current_form()
        data.update(changes)
        return self.client.post(self.url, data)

    def test_the_form_shows_the_organisation_and_its_membership(self) -> None:
        data = self.current_form()
        self.assertEqual(data["name"], [self.organization.name])
        self.assertEqual(data["roster_no"], ["13"])
        self.assertEqual(data["m-0-started_on"], ["2025-07-30"])
        self.assertEqual(data["m-0-start_basis"], ["known_member"])
        self.assertEqual(data["m-TOTAL_FORMS"], ["1"])

    def test_saving_unchanged_records_nothing(self) -> None:
        r = self.post()
        self.assertRedirects(r, self.url)
        self.assertFalse(AuditEvent.objects.exists())

    def test_an_edit_is_audited_field_by_field(self) -> None:
        r = self.post(phone="０４６６－１１－２２２２", name="特定非営利活動法人ひまわり会")
        self.assertRedirects(r, self.url)
        self.organization.refresh_from_db()
        self.assertEqual(self.organization.phone, "0466-11-2222")
        event = AuditEvent.objects.get()
        self.assertEqual(event.action, "update")
        self.assertEqual(event.actor, self.secretariat)
        self.assertEqual(event.object_id, str(self.organization.pk))
        self.assertEqual(
            event.changes,
            {
                "name": ["特定非営利活動法人ひまわり", "特定非営利活動法人ひまわり会"],
                "phone": ["", "0466-11-2222"],
            },
        )

    def test_areas_and_themes_are_audited_by_name(self) -> None:
        self.post(municipalities=["142051", "141097"], themes=["1"])
        event = AuditEvent.objects.get()
        self.assertEqual(event.changes["municipalities"][0], [])
        self.assertEqual(sorted(event.changes["municipalities"][1]), ["横浜市港北区", "藤沢市"])
        self.assertEqual(event.changes["themes"], [[], ["つながりへの普及啓発・機運醸成"]])

    def test_the_membership_period_can_be_ended_and_is_audited(self) -> None:
        ended_on = ROSTER_BASELINE_DATE + timedelta(days=33)
        r = self.post(
            **{
                "m-0-ended_on": ended_on.isoformat(),
                "m-0-end_reason": "法人解散のため",
                "m-0-start_basis": "joined",
            }
        )
        self.assertRedirects(r, self.url)
        self.membership.refresh_from_db()
        self.assertEqual(self.membership.ended_on, ended_on)
        self.assertEqual(self.membership.end_reason, "法人解散のため")
        self.assertEqual(self.membership.start_basis, "joined")
        event = AuditEvent.objects.get()
        self.assertEqual(event.actor, self.secretariat)
        self.assertEqual(
            event.changes,
            {
                "start_basis": ["known_member", "joined"],
                "ended_on": [None, ended_on.isoformat()],
                "end_reason": ["", "法人解散のため"],
            },
        )
        roster = self.client.get("/roster/").content.decode()
        self.assertNotIn(self.organization.name, roster_names(roster))

    def test_the_start_date_can_be_corrected(self) -> None:
        started_on = ROSTER_BASELINE_DATE - timedelta(days=365)
        self.post(**{"m-0-started_on": started_on.isoformat()})
        self.membership.refresh_from_db()
        self.assertEqual(self.membership.started_on, started_on)
        r = self.client.get("/roster/", {"as_of": started_on.isoformat()})
        self.assertEqual(roster_names(r.content.decode()), [self.organization.name])

    def test_an_end_before_the_start_is_rejected_and_nothing_is_saved(self) -> None:
        for ended_on in (ROSTER_BASELINE_DATE - timedelta(days=1), ROSTER_BASELINE_DATE):
            with self.subTest(ended_on):
                r = self.post(
                    phone="0466-11-2222",
                    **{"m-0-ended_on": ended_on.isoformat(), "m-0-end_reason": "誤入力"},
                )
                self.assertEqual(r.status_code, 200)
                self.assertContains(r, END_BEFORE_START)
                self.assertContains(r, "入力内容を確認してください")
        self.membership.refresh_from_db()
        self.assertIsNone(self.membership.ended_on)
        self.organization.refresh_from_db()
        self.assertEqual(self.organization.phone, "")
        self.assertFalse(AuditEvent.objects.exists())

    def test_a_roster_number_in_use_is_rejected(self) -> None:
        r = self.post(roster_no="14")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "入力内容を確認してください")
        self.organization.refresh_from_db()
        self.assertEqual(self.organization.roster_no, 13)

    def test_the_page_shows_the_history_of_the_organisation_and_its_membership(self) -> None:
        self.post(phone="0466-11-2222")
        ended_on = ROSTER_BASELINE_DATE + timedelta(days=33)
        self.post(**{"m-0-ended_on": ended_on.isoformat(), "m-0-end_reason": "法人解散のため"})
        history = self.history()
        self.assertIn("0466-11-2222", history)
        self.assertIn("法人解散のため", history)
        self.assertIn(ended_on.isoformat(), history)
        self.assertIn(self.secretariat.full_name, history)
        self.assertNotIn("記録はありません。", history)

    def test_the_history_does_not_show_other_organisations(self) -> None:
        self.client.post(
            f"/secretariat/organizations/{self.other_organization.pk}/",
            {
                **form_data(
                    self.client.get(
                        f"/secretariat/organizations/{self.other_organization.pk}/"
                    ).content.decode()
                ),
                "phone": "045-999-9999",
                "m-0-end_reason": "別団体のメモ",
            },
        )
        history = self.history()
        self.assertNotIn("045-999-9999", history)
        self.assertNotIn("別団体のメモ", history)
        self.assertIn("記録はありません。", history)

    def test_an_unknown_organisation_is_404(self) -> None:
        self.assertEqual(self.client.get("/secretariat/organizations/999999/").status_code, 404)
