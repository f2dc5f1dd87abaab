"""The organiser's attendance roster: a plain form of checkboxes, for the organiser only."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail

from tsunagari.audit.models import AuditEvent
from tsunagari.supporters.models import Certificate, Registration
from tsunagari.supporters.tests.completion_helpers import course_at, running_course
from tsunagari.supporters.tests.factory import make_registration
from tsunagari.test import BaseTestCase


def roster_post(
    shown: list[Registration], attended: list[Registration], was: list[Registration]
) -> dict:
    return {
        "shown": [str(r.pk) for r in shown],
        "attended": [str(r.pk) for r in attended],
        "was_attended": [str(r.pk) for r in was],
    }


class RosterTest(BaseTestCase):
    def setUp(self) -> None:
        self.course = running_course(organization=self.organization)
        self.url = f"/supporters/manage/courses/{self.course.pk}/attendance/"
        self.hanako = make_registration(self.course, "山田 花子")
        self.taro = make_registration(self.course, "佐藤 太郎")
        self.waiting = make_registration(
            self.course, "鈴木 次郎", status=Registration.Status.WAITLISTED
        )
        self.gone = make_registration(
            self.course, "取消 三郎", status=Registration.Status.CANCELLED
        )

    def test_the_organiser_sees_confirmed_and_waitlisted_apart_with_the_code(self) -> None:
        self.login(self.staff)
        r = self.client.get(self.url)
        self.assertContains(r, "山田 花子")
        self.assertContains(r, self.course.attendance_code)
        self.assertContains(r, "キャンセル待ち（1人）")
        self.assertNotContains(r, "取消 三郎")

    def test_each_look_is_audited(self) -> None:
        self.login(self.staff)
        self.client.get(self.url)
        event = AuditEvent.objects.for_object(self.course).get()
        self.assertEqual(event.action, AuditEvent.Action.VIEW)
        self.assertEqual(event.actor, self.staff)

    def test_others_may_not_see_the_roster(self) -> None:
        for user in (self.other_staff, self.officer):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)
        self.login(self.secretariat)
        self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_ticking_records_attendance_and_issues_a_certificate_with_a_mail(self) -> None:
        self.login(self.staff)
        r = self.client.post(self.url, roster_post([self.hanako, self.taro], [self.hanako], []))
        self.assertRedirects(r, self.url)
        self.hanako.refresh_from_db()
        self.assertIsNotNone(self.hanako.attended_at)
        certificate = Certificate.objects.get(registration=self.hanako)
        self.assertEqual(certificate.name_printed, "山田 花子")
        self.assertRegex(certificate.serial, r"^TS-R\d+-\d{6}$")
        self.assertFalse(Certificate.objects.filter(registration=self.taro).exists())
        self.run_tasks()
        [message] = self.sent_to(self.hanako.email)
        self.assertIn(f"/supporters/r/{self.hanako.token}/certificate.pdf", message.body)
        self.assertIn(f"/supporters/r/{self.hanako.token}/opportunities/stop/", message.body)
        self.assertEqual(
            AuditEvent.objects.for_object(self.hanako).get().action, AuditEvent.Action.STATUS
        )

    def test_unticking_clears_attendance_and_invalidates_the_certificate(self) -> None:
        self.login(self.staff)
        self.client.post(self.url, roster_post([self.hanako], [self.hanako], []))
        self.client.post(self.url, roster_post([self.hanako], [], [self.hanako]))
        self.hanako.refresh_from_db()
        self.assertIsNone(self.hanako.attended_at)
        self.assertIsNotNone(Certificate.objects.get(registration=self.hanako).revoked_at)
        # Ticked again: the same certificate is valid again, and no second mail.
        self.client.post(self.url, roster_post([self.hanako], [self.hanako], []))
        certificate = Certificate.objects.get(registration=self.hanako)
        self.assertIsNone(certificate.revoked_at)
        self.run_tasks()
        self.assertEqual(len(self.sent_to(self.hanako.email)), 1)

    def test_a_box_another_organiser_changed_meanwhile_is_left_as_they_made_it(self) -> None:
        # Both pages were shown with nobody attended; the secretariat ticks Hanako first.
        self.login(self.secretariat)
        self.client.post(self.url, roster_post([self.hanako, self.taro], [self.hanako], []))
        # The staff's page (shown before) sends Hanako unticked and Taro ticked.
        self.login(self.staff)
        r = self.client.post(
            self.url, roster_post([self.hanako, self.taro], [self.taro], []), follow=True
        )
        self.hanako.refresh_from_db()
        self.taro.refresh_from_db()
        self.assertIsNotNone(self.hanako.attended_at)  # not cleared by a stale page
        self.assertIsNotNone(self.taro.attended_at)
        self.assertContains(r, "1人の出席を記録し")

    def test_ticking_twice_from_two_stale_pages_makes_one_certificate(self) -> None:
        self.login(self.staff)
        self.client.post(self.url, roster_post([self.hanako], [self.hanako], []))
        r = self.client.post(self.url, roster_post([self.hanako], [self.hanako], []), follow=True)
        self.assertContains(r, "ほかの方が先に同じ変更をしていたため")
        self.assertEqual(Certificate.objects.filter(registration=self.hanako).count(), 1)

    def test_a_waitlisted_person_who_came_can_be_ticked(self) -> None:
        self.login(self.staff)
        self.client.post(self.url, roster_post([self.waiting], [self.waiting], []))
        self.assertTrue(Certificate.objects.filter(registration=self.waiting).exists())

    def test_a_cancelled_or_foreign_registration_is_not_ticked(self) -> None:
        other = make_registration(running_course(), "別の講座")
        self.login(self.staff)
        self.client.post(self.url, roster_post([self.gone, other], [self.gone, other], []))
        self.assertFalse(Certificate.objects.exists())

    def test_before_the_start_the_roster_says_when_and_saves_nothing(self) -> None:
        course = course_at(timedelta(hours=2), organization=self.organization)
        registration = make_registration(course)
        url = f"/supporters/manage/courses/{course.pk}/attendance/"
        self.login(self.staff)
        r = self.client.get(url)
        self.assertContains(r, "出席は講座の開始時刻")
        self.assertNotContains(r, "出席を保存する")
        r = self.client.post(url, roster_post([registration], [registration], []), follow=True)
        self.assertContains(r, "開始時刻になってから保存してください")
        self.assertFalse(Certificate.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_long_after_the_end_attendance_is_closed(self) -> None:
        course = course_at(timedelta(days=-2), organization=self.organization)
        registration = make_registration(course)
        url = f"/supporters/manage/courses/{course.pk}/attendance/"
        self.login(self.staff)
        r = self.client.post(url, roster_post([registration], [registration], []), follow=True)
        self.assertContains(r, "出席の受け付けは終わりました")
        self.assertFalse(Certificate.objects.exists())

    def test_officers_of_the_organising_municipality_are_organisers(self) -> None:
        course = running_course(organizing_municipality=self.municipality)
        self.login(self.officer)
        url = f"/supporters/manage/courses/{course.pk}/attendance/"
        self.assertEqual(self.client.get(url).status_code, 200)
        self.login(self.staff)
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_the_organiser_downloads_a_participants_certificate(self) -> None:
        self.login(self.staff)
        self.client.post(self.url, roster_post([self.hanako], [self.hanako], []))
        r = self.client.get(f"{self.url}{self.hanako.pk}/certificate.pdf")
        self.assertEqual(r["Content-Type"], "application/pdf")
        self.assertTrue(r.content.startswith(b"%PDF-"))
        self.assertTrue(
            AuditEvent.objects.for_object(self.hanako)
            .filter(action=AuditEvent.Action.EXPORT)
            .exists()
        )
        self.login(self.other_staff)
        self.assertEqual(
            self.client.get(f"{self.url}{self.hanako.pk}/certificate.pdf").status_code, 403
        )

    def test_the_roster_is_read_in_a_fixed_number_of_queries(self) -> None:
        for n in range(10):
            make_registration(self.course, f"参加者{n}")
        self.login(self.staff)
        self.client.get(self.url)  # warm the session and capacities
        with self.assertNumQueries(5):
            self.client.get(self.url)
