from __future__ import annotations

from typing import Any

from tsunagari.audit.models import AuditEvent
from tsunagari.members.tests.helpers import form_data
from tsunagari.test import BaseTestCase


class MyOrganizationTestCase(BaseTestCase):
    url = "/my/organization/"

    def setUp(self) -> None:
        self.login(self.staff)

    def post(self, **changes: Any):
        data = form_data(self.client.get(self.url).content.decode())
        data.update(changes)
        return self.client.post(self.url, data)

    def test_it_shows_the_own_organisation(self) -> None:
        r = self.client.get(self.url)
        self.assertContains(r, self.organization.name)
        self.assertContains(r, "名簿番号 13")
        self.assertNotContains(r, self.other_organization.name)

    def test_the_form_offers_only_the_profile(self) -> None:
        r = self.client.get(self.url)
        for name in ("name", "sector", "roster_no", "source"):
            self.assertNotContains(r, f'name="{name}"')
        for name in ("description", "phone", "postal_code", "municipalities", "themes"):
            self.assertContains(r, f'name="{name}"')

    def test_the_form_is_in_japanese(self) -> None:
        r = self.client.get(self.url)
        self.assertContains(r, '<option value="">選んでください</option>', html=True)
        self.assertNotContains(r, "Select an option")

    def test_it_saves_normalised_input(self) -> None:
        r = self.post(
            name_kana="とくていひえいりかつどうほうじんひまわり",
            phone="０４６６－２２－３３３３",
            postal_code="２５１００５２",
            email="ＩＮＦＯ＠Ｈｉｍａｗａｒｉ.example.org",
            description="ＮＰＯです。　週１回の食事会",
            municipalities=["142051", "141097"],
        )
        self.assertRedirects(r, self.url, fetch_redirect_response=False)
        self.assertContains(self.client.get(self.url), "団体情報を保存しました。")
        self.organization.refresh_from_db()
        self.assertEqual(self.organization.name_kana, "トクテイヒエイリカツドウホウジンヒマワリ")
        self.assertEqual(self.organization.phone, "0466-22-3333")
        self.assertEqual(self.organization.postal_code, "251-0052")
        self.assertEqual(self.organization.email, "info@himawari.example.org")
        self.assertEqual(self.organization.description, "NPOです。 週1回の食事会")
        self.assertEqual(
            sorted(self.organization.municipalities.values_list("code", flat=True)),
            ["141097", "142051"],
        )

    def test_it_rejects_a_bad_phone_number(self) -> None:
        r = self.post(phone="12345")
        self.assertContains(r, "電話番号の形式が正しくありません")
        self.organization.refresh_from_db()
        self.assertEqual(self.organization.phone, "")

    def test_name_sector_and_number_stay_with_the_secretariat(self) -> None:
        name, sector, no = (
            self.organization.name,
            self.organization.sector,
            self.organization.roster_no,
        )
        r = self.post(
            name="乗っ取り団体", sector="government", roster_no="1", source="自称", offers="相談会"
        )
        self.assertRedirects(r, self.url)
        self.organization.refresh_from_db()
        self.assertEqual(
            (self.organization.name, self.organization.sector, self.organization.roster_no),
            (name, sector, no),
        )
        self.assertNotEqual(self.organization.source, "自称")
        self.assertEqual(self.organization.offers, "相談会")

    def test_changes_are_audited(self) -> None:
        self.post(phone="0466-22-3333", needs="送迎ボランティア")
        event = AuditEvent.objects.get()
        self.assertEqual(event.action, "update")
        self.assertEqual(event.actor, self.staff)
        self.assertEqual(event.object_id, str(self.organization.pk))
        self.assertEqual(
            event.changes, {"needs": ["", "送迎ボランティア"], "phone": ["", "0466-22-3333"]}
        )

    def test_saving_unchanged_records_nothing(self) -> None:
        self.assertRedirects(self.post(), self.url)
        self.assertFalse(AuditEvent.objects.exists())

    def test_other_staff_edit_their_own_organisation_only(self) -> None:
        self.login(self.other_staff)
        self.post(offers="別団体の提供")
        self.other_organization.refresh_from_db()
        self.organization.refresh_from_db()
        self.assertEqual(self.other_organization.offers, "別団体の提供")
        self.assertEqual(self.organization.offers, "")


class MyOrganizationAccessTestCase(BaseTestCase):
    url = "/my/organization/"

    def test_people_without_an_organisation_get_403(self) -> None:
        for persona in (self.secretariat, self.officer):
            with self.subTest(persona.email):
                self.login(persona)
                self.assertEqual(self.client.get(self.url).status_code, 403)
                r = self.client.post(self.url, {"offers": "x"})
                self.assertEqual(r.status_code, 403)
        self.assertFalse(AuditEvent.objects.exists())

    def test_anonymous_users_are_sent_to_sign_in(self) -> None:
        r = self.client.get(self.url)
        self.assertRedirects(r, f"/accounts/login/?next={self.url}", fetch_redirect_response=False)
        r = self.client.post(self.url, {"offers": "x"})
        self.assertRedirects(r, f"/accounts/login/?next={self.url}", fetch_redirect_response=False)
        self.organization.refresh_from_db()
        self.assertEqual(self.organization.offers, "")
