from __future__ import annotations

from django.core import mail

from tsunagari.factory import application_data
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
