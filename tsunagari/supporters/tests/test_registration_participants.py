"""The organiser's participant list and its CSV: names, contacts and needs, each look
recorded in the audit trail; the organiser may cancel a registration."""

from __future__ import annotations

from tsunagari.audit.models import AuditEvent
from tsunagari.supporters.models import Registration
from tsunagari.supporters.tests.factory import make_course, make_registration
from tsunagari.test import BaseTestCase


class ParticipantListTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.course = make_course(organization=self.organization, capacity=1)
        self.seated = make_registration(
            self.course, "藤沢 一郎", phone="090-1111-2222", accessibility_needs="車いすです"
        )
        self.waiting = make_registration(self.course, "鎌倉 二郎", status="waitlisted")

    def url(self, suffix: str = "participants/") -> str:
        return f"/supporters/manage/courses/{self.course.pk}/{suffix}"

    def test_the_organiser_sees_names_contacts_and_needs_and_the_look_is_recorded(self) -> None:
        self.login(self.staff)
        r = self.client.get(self.url())
        self.assertContains(r, "藤沢 一郎")
        self.assertContains(r, "090-1111-2222")
        self.assertContains(r, "車いすです")
        self.assertContains(r, "鎌倉 二郎")
        event = AuditEvent.objects.for_object(self.course).get(action=AuditEvent.Action.VIEW)
        self.assertEqual(event.actor, self.staff)

    def test_the_list_reads_a_fixed_number_of_queries(self) -> None:
        self.login(self.staff)
        self.client.get(self.url())
        with self.assertNumQueries(5):
            self.client.get(self.url())
        for n in range(5):
            make_registration(self.course, f"追加 {n}", status="waitlisted")
        with self.assertNumQueries(5):
            self.client.get(self.url())

    def test_others_are_refused(self) -> None:
        for user in (self.other_staff, self.officer):
            self.login(user)
            self.assertEqual(self.client.get(self.url()).status_code, 403)
            self.assertEqual(self.client.get(self.url("participants.csv")).status_code, 403)
        self.assertFalse(AuditEvent.objects.for_object(self.course).exists())

    def test_the_csv_is_excel_ready_neutralised_and_recorded(self) -> None:
        make_registration(self.course, "=HYPERLINK(1)", status="waitlisted")
        self.login(self.secretariat)
        r = self.client.get(self.url("participants.csv"))
        self.assertEqual(r["Content-Type"], "text/csv; charset=utf-8")
        text = r.content.decode("utf-8")
        self.assertTrue(text.startswith("\ufeff受付番号"))
        self.assertIn("藤沢 一郎", text)
        self.assertIn("'=HYPERLINK(1)", text)
        self.assertIn("車いすです", text)
        event = AuditEvent.objects.for_object(self.course).get(action=AuditEvent.Action.EXPORT)
        self.assertIn("participants.csv (3)", event.note)

    def test_the_organiser_cancels_one_and_the_first_waiting_is_promoted(self) -> None:
        self.login(self.staff)
        r = self.client.post(self.url(f"participants/{self.seated.pk}/cancel/"), follow=True)
        self.assertContains(r, "の申し込みを取り消しました")
        self.assertContains(r, "参加が確定しました")
        self.waiting.refresh_from_db()
        self.assertEqual(self.waiting.status, Registration.Status.CONFIRMED)

    def test_an_officer_of_the_organising_municipality_is_an_organiser(self) -> None:
        course = make_course(organizing_municipality=self.municipality)
        self.login(self.officer)
        r = self.client.get(f"/supporters/manage/courses/{course.pk}/participants/")
        self.assertEqual(r.status_code, 200)
