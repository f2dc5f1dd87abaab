"""Review: the author submits (draft → review), the secretariat publishes (review →
published) or returns with a reason (review → draft, mailed to the author); every step a
conditional update, recorded in the audit log."""

from __future__ import annotations

from django.core import mail

from tsunagari.audit.models import AuditEvent
from tsunagari.cases.models import ModelCase
from tsunagari.cases.tests.factory_cases import make_case
from tsunagari.test import BaseTestCase

Status = ModelCase.Status


class ReviewTest(BaseTestCase):
    def test_submit_publish_and_the_public_sees_it(self) -> None:
        case = make_case(
            "【テスト】みんなの食堂", status=Status.DRAFT, organization=self.organization
        )
        self.login(self.staff)
        self.client.post(f"/cases/{case.pk}/submit/")
        case.refresh_from_db()
        self.assertEqual(case.status, Status.REVIEW)
        self.assertIsNotNone(case.submitted_at)
        self.login(self.secretariat)
        self.assertContains(self.client.get("/secretariat/cases/"), "【テスト】みんなの食堂")
        self.client.post(f"/secretariat/cases/{case.pk}/publish/")
        case.refresh_from_db()
        self.assertEqual(case.status, Status.PUBLISHED)
        self.assertEqual(case.reviewed_by, self.secretariat)
        self.assertIsNotNone(case.published_at)
        self.client.logout()
        self.assertContains(self.client.get("/cases/"), "【テスト】みんなの食堂")
        steps = AuditEvent.objects.filter(action="status", object_id=str(case.pk))
        self.assertEqual(
            [e.changes["status"][1] for e in steps.order_by("pk")], ["review", "published"]
        )

    def test_return_with_a_reason_mails_the_author(self) -> None:
        case = make_case(
            status=Status.REVIEW, organization=self.organization, created_by=self.staff
        )
        self.login(self.secretariat)
        r = self.client.post(f"/secretariat/cases/{case.pk}/return/", {"reason": ""})
        case.refresh_from_db()
        self.assertEqual(case.status, Status.REVIEW)
        r = self.client.post(
            f"/secretariat/cases/{case.pk}/return/", {"reason": "費用の内訳を書いてください。"}
        )
        self.assertRedirects(r, "/secretariat/cases/")
        case.refresh_from_db()
        self.assertEqual(
            (case.status, case.returned_reason), (Status.DRAFT, "費用の内訳を書いてください。")
        )
        self.run_tasks()
        sent = self.sent_to("staff@example.jp")
        self.assertEqual(len(sent), 1)
        self.assertIn("費用の内訳を書いてください。", sent[0].body)
        event = AuditEvent.objects.get(action="status", object_id=str(case.pk))
        self.assertEqual(event.note, "費用の内訳を書いてください。")
        # The author sees the reason and may edit and submit again.
        self.login(self.staff)
        self.assertContains(self.client.get(f"/cases/{case.pk}/"), "費用の内訳を書いてください。")
        self.client.post(f"/cases/{case.pk}/submit/")
        case.refresh_from_db()
        self.assertEqual((case.status, case.returned_reason), (Status.REVIEW, ""))

    def test_a_published_case_cannot_be_returned_nor_published_twice(self) -> None:
        case = make_case(organization=self.organization)
        self.login(self.secretariat)
        self.client.post(f"/secretariat/cases/{case.pk}/return/", {"reason": "遅い"})
        r = self.client.post(f"/secretariat/cases/{case.pk}/publish/", follow=True)
        self.assertContains(r, "すでに公開されたか差し戻されています")
        case.refresh_from_db()
        self.assertEqual(case.status, Status.PUBLISHED)
        self.assertEqual(len(mail.outbox), 0)

    def test_a_members_draft_is_not_published_without_review(self) -> None:
        case = make_case(status=Status.DRAFT, organization=self.organization)
        self.login(self.secretariat)
        self.client.post(f"/secretariat/cases/{case.pk}/publish/")
        case.refresh_from_db()
        self.assertEqual(case.status, Status.DRAFT)

    def test_the_secretariat_publishes_its_own_draft(self) -> None:
        case = make_case(status=Status.DRAFT, organization=None)
        self.login(self.secretariat)
        self.assertContains(self.client.get(f"/cases/{case.pk}/"), "公開する")
        self.client.post(f"/secretariat/cases/{case.pk}/publish/")
        case.refresh_from_db()
        self.assertEqual(case.status, Status.PUBLISHED)

    def test_staff_cannot_publish(self) -> None:
        case = make_case(status=Status.REVIEW, organization=self.organization)
        self.login(self.staff)
        self.assertEqual(
            self.client.post(f"/secretariat/cases/{case.pk}/publish/").status_code, 403
        )
