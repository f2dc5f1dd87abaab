from __future__ import annotations

import time
from unittest import mock

from django.core import mail

from tsunagari.factory import application_data, make_application
from tsunagari.lib.antibot import issue_token
from tsunagari.lib.ratelimit import RateLimit
from tsunagari.members import views
from tsunagari.members.models import MembershipApplication
from tsunagari.test import BaseTestCase


class ApplyTestCase(BaseTestCase):
    url = "/apply/"

    def test_it_shows_the_form_to_anyone(self) -> None:
        r = self.client.get(self.url)
        self.assertContains(r, "趣旨に賛同")
        self.assertContains(r, "横浜市港北区")

    def test_it_stores_a_normalised_application_and_mails_a_receipt(self) -> None:
        r = self.client.post(self.url, application_data())
        self.assertRedirects(r, "/apply/thanks/")
        application = MembershipApplication.objects.get()
        self.assertEqual(application.status, "submitted")
        self.assertEqual(application.postal_code, "251-0052")
        self.assertEqual(application.phone, "0466-00-0000")
        self.assertEqual(application.name_kana, "トクテイヒエイリカツドウホウジンサンプルツナガリ")
        self.assertEqual(
            sorted(application.municipalities.values_list("code", flat=True)),
            ["141097", "142051"],
        )
        self.assertEqual(self.run_tasks(), 2)
        receipt = self.sent_to("hanako@example.org")[0]
        self.assertIn(application.reference, receipt.subject)
        self.assertIn("受け付けました", receipt.body)
        self.assertEqual(len(self.sent_to("secretariat@example.jp")), 1)

    def test_thanks_page_shows_the_reference(self) -> None:
        self.client.post(self.url, application_data())
        r = self.client.get("/apply/thanks/")
        self.assertContains(r, MembershipApplication.objects.get().reference)

    def test_it_requires_agreement_and_keeps_what_was_typed(self) -> None:
        data = application_data(agreed_to_purpose="", contact_email="not-an-address")
        r = self.client.post(self.url, data)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "趣旨への賛同にチェックを入れてください。")
        self.assertContains(r, "メールアドレスの形式が正しくありません。")
        self.assertContains(r, 'value="特定非営利活動法人サンプルつながり"')
        self.assertContains(r, "地域の居場所づくりに取り組んでいます。")
        self.assertContains(r, 'value="141097"')
        self.assertFalse(MembershipApplication.objects.exists())
        self.assertEqual(self.run_tasks(), 0)

    def test_it_rejects_a_bad_phone_number_in_japanese(self) -> None:
        r = self.client.post(self.url, application_data(phone="12345"))
        self.assertContains(r, "電話番号の形式が正しくありません")
        self.assertFalse(MembershipApplication.objects.exists())

    def test_it_requires_at_least_one_area(self) -> None:
        r = self.client.post(self.url, application_data(municipalities=[]))
        self.assertContains(r, "活動地域を1つ以上選んでください。")

    def test_it_rejects_katakana_field_with_kanji(self) -> None:
        r = self.client.post(self.url, application_data(contact_name_kana="見本花子"))
        self.assertContains(r, "カタカナで入力してください。")

    def test_no_email_is_sent_before_the_worker_runs(self) -> None:
        self.client.post(self.url, application_data())
        self.assertEqual(mail.outbox, [])


class ApplyBotProtectionTestCase(BaseTestCase):
    url = "/apply/"

    def test_the_trap_is_hidden_and_the_token_is_in_the_form(self) -> None:
        html = self.client.get(self.url).content.decode()
        trap = html[html.index('name="homepage"') - 250 : html.index('name="homepage"') + 200]
        self.assertIn('<div class="trap" aria-hidden="true">', trap)
        self.assertIn('tabindex="-1"', trap)
        self.assertIn('name="shown_at"', html)

    def test_a_robot_filling_the_trap_sees_thanks_and_nothing_is_stored_or_mailed(self) -> None:
        r = self.client.post(self.url, application_data(homepage="https://spam.example/"))
        self.assertRedirects(r, "/apply/thanks/")
        self.assertFalse(MembershipApplication.objects.exists())
        self.assertEqual(self.run_tasks(), 0)
        self.assertNotContains(self.client.get("/apply/thanks/"), "受付番号")

    def test_an_application_sent_faster_than_a_person_is_refused_and_kept(self) -> None:
        r = self.client.post(self.url, application_data(shown_at=issue_token(now=time.time() - 1)))
        self.assertContains(r, "送信が早すぎたため")
        self.assertContains(r, 'value="特定非営利活動法人サンプルつながり"')
        self.assertContains(r, "地域の居場所づくりに取り組んでいます。")
        self.assertContains(r, 'value="hanako@example.org"')
        self.assertFalse(MembershipApplication.objects.exists())
        self.assertEqual(self.run_tasks(), 0)

    def test_a_missing_or_forged_token_is_refused(self) -> None:
        for token in ("", issue_token().replace(":", ";")):
            with self.subTest(token=token):
                r = self.client.post(self.url, application_data(shown_at=token))
                self.assertContains(r, "もう一度")
        self.assertFalse(MembershipApplication.objects.exists())

    def test_a_page_shown_again_keeps_its_first_token_so_a_fix_goes_through_at_once(self) -> None:
        first = issue_token(now=time.time() - 10)
        r = self.client.post(self.url, application_data(address="", shown_at=first))
        self.assertContains(r, "所在地を入力してください。")
        token = r.content.decode().split('name="shown_at" value="')[1].split('"')[0]
        self.assertEqual(token, first)
        r = self.client.post(self.url, application_data(shown_at=token))
        self.assertRedirects(r, "/apply/thanks/")
        self.assertEqual(MembershipApplication.objects.count(), 1)

    def test_the_edit_link_after_a_return_needs_no_token(self) -> None:
        application = make_application()
        application.return_for_changes(
            by=self.secretariat, reason="所在地を番地まで書いてください。"
        )
        html = self.client.get(f"/apply/{application.edit_token}/edit/").content.decode()
        self.assertNotIn('name="shown_at"', html)
        self.assertNotIn('name="homepage"', html)


class ApplyRateLimitTestCase(BaseTestCase):
    url = "/apply/"

    def post_from(self, address: str) -> int:
        # Each a different application: an identical one is recognised, not counted.
        self.sent = getattr(self, "sent", 0) + 1
        data = application_data(needs=f"ボランティアの担い手（{self.sent}）")
        return self.client.post(self.url, data, REMOTE_ADDR=address).status_code

    def test_after_five_from_one_network_it_answers_429_and_keeps_what_was_typed(self) -> None:
        for _ in range(5):
            self.assertEqual(self.post_from("198.51.100.20"), 302)
        r = self.client.post(
            self.url, application_data(needs="会場の貸し借り"), REMOTE_ADDR="198.51.100.20"
        )
        self.assertContains(r, "しばらくしてからお送りください", status_code=429)
        self.assertContains(r, "会場の貸し借り", status_code=429)
        self.assertContains(r, 'value="特定非営利活動法人サンプルつながり"', status_code=429)
        self.assertEqual(MembershipApplication.objects.count(), 5)
        # Another network is still welcome.
        self.assertEqual(self.post_from("192.0.2.44"), 302)

    def test_the_overall_cap_stops_a_flood_from_many_networks(self) -> None:
        small = RateLimit("apply", per_network=5, overall=3)
        with mock.patch.object(views, "APPLY_LIMIT", small):
            for i in range(3):
                self.assertEqual(self.post_from(f"192.0.2.{i + 1}"), 302)
            self.assertEqual(self.post_from("192.0.2.99"), 429)
        self.assertEqual(MembershipApplication.objects.count(), 3)

    def test_invalid_forms_do_not_use_up_the_limit(self) -> None:
        for _ in range(7):
            self.client.post(self.url, application_data(name=""), REMOTE_ADDR="198.51.100.20")
        self.assertEqual(self.post_from("198.51.100.20"), 302)

    def test_the_edit_link_is_limited_too_and_keeps_what_was_typed(self) -> None:
        application = make_application()
        application.return_for_changes(
            by=self.secretariat, reason="所在地を番地まで書いてください。"
        )
        small = RateLimit("apply-edit", per_network=0, overall=100)
        with mock.patch.object(views, "EDIT_LIMIT", small):
            r = self.client.post(
                f"/apply/{application.edit_token}/edit/",
                application_data(address="藤沢市藤沢9-9-9"),
            )
        self.assertContains(r, "しばらくしてからお送りください", status_code=429)
        self.assertContains(r, "修正して再提出する", status_code=429)
        self.assertContains(r, 'value="藤沢市藤沢9-9-9"', status_code=429)
        application.refresh_from_db()
        self.assertEqual(application.status, MembershipApplication.Status.RETURNED)
