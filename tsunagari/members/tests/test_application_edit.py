from __future__ import annotations

from tsunagari.factory import application_data, make_application
from tsunagari.members.models import MembershipApplication
from tsunagari.test import BaseTestCase

Status = MembershipApplication.Status
REASON = "活動地域に横浜市港北区を追加してください。"


class ApplicationEditTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.application = make_application(
            name="一般社団法人サンプル", contact_email="taro@example.org"
        )
        self.application.return_for_changes(by=self.secretariat, reason=REASON)
        self.url = f"/apply/{self.application.edit_token}/edit/"

    def test_it_shows_the_reason_and_the_application_as_sent(self) -> None:
        r = self.client.get(self.url)
        self.assertContains(r, "参加申込の修正")
        self.assertContains(r, self.application.reference)
        self.assertContains(r, REASON)
        self.assertContains(r, 'value="一般社団法人サンプル"')
        self.assertContains(r, 'value="taro@example.org"')
        html = r.content.decode()
        self.assertRegex(html, r'value="142051"[^>]* checked')
        self.assertNotRegex(html, r'value="141097"[^>]* checked')
        self.assertContains(r, "修正して再提出する")

    def test_resubmitting_saves_the_changes_and_reopens_the_application(self) -> None:
        data = application_data(
            name="一般社団法人サンプル",
            contact_email="taro@example.org",
            municipalities=["142051", "141097"],
        )
        r = self.client.post(self.url, data)
        self.assertRedirects(r, "/apply/thanks/")
        application = MembershipApplication.objects.get(pk=self.application.pk)
        self.assertEqual(application.status, Status.SUBMITTED)
        self.assertEqual(
            sorted(application.municipalities.values_list("code", flat=True)),
            ["141097", "142051"],
        )
        self.assertEqual(application.phone, "0466-00-0000")
        last = application.events.last()
        assert last is not None
        self.assertEqual((last.from_status, last.to_status), (Status.RETURNED, Status.SUBMITTED))
        self.assertIsNone(last.actor)
        self.assertContains(self.client.get("/apply/thanks/"), application.reference)

    def test_the_secretariat_sees_the_resubmission_in_the_history(self) -> None:
        self.client.post(self.url, application_data(contact_email="taro@example.org"))
        self.login(self.secretariat)
        r = self.client.get(f"/secretariat/applications/{self.application.pk}/")
        self.assertContains(r, "修正依頼中 → <strong>受付済み</strong>")
        self.assertContains(r, "（申込者）")
        self.assertContains(r, REASON)

    def test_resubmitting_mails_a_receipt(self) -> None:
        self.client.post(self.url, application_data(contact_email="taro@example.org"))
        self.run_tasks()
        (receipt,) = self.sent_to("taro@example.org")
        self.assertIn("修正した申込を受け付けました", receipt.subject)
        self.assertIn(self.application.reference, receipt.subject)

    def test_an_invalid_resubmission_keeps_the_application_returned(self) -> None:
        r = self.client.post(self.url, application_data(municipalities=[]))
        self.assertContains(r, "活動地域を1つ以上選んでください。")
        self.application.refresh_from_db()
        self.assertEqual(self.application.status, Status.RETURNED)
        self.assertEqual(self.run_tasks(), 0)

    def test_the_link_cannot_be_used_twice(self) -> None:
        self.client.post(self.url, application_data(contact_email="taro@example.org"))
        r = self.client.post(self.url, application_data(name="別の名前"))
        self.assertContains(r, "この申込は修正できません")
        self.application.refresh_from_db()
        self.assertNotEqual(self.application.name, "別の名前")

    def test_an_application_that_was_not_returned_cannot_be_edited(self) -> None:
        for status in (Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED, Status.DECLINED):
            with self.subTest(status):
                MembershipApplication.objects.filter(pk=self.application.pk).update(status=status)
                r = self.client.get(self.url)
                self.assertContains(r, "この申込は修正できません")
                self.assertContains(r, str(Status(status).label))
                self.assertNotContains(r, '<form method="post" novalidate')
                r = self.client.post(self.url, application_data(name="別の名前"))
                self.assertContains(r, "この申込は修正できません")
        self.application.refresh_from_db()
        self.assertEqual(self.application.name, "一般社団法人サンプル")

    def test_an_unknown_token_is_404(self) -> None:
        self.assertEqual(self.client.get("/apply/not-a-real-token/edit/").status_code, 404)
