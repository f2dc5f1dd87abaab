"""Erasure of the supporters' personal data: on request (the person or the secretariat)
and after SUPPORTERS_RETENTION_DAYS; the counts stay."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.test import override_settings

from tsunagari.audit.models import AuditEvent
from tsunagari.supporters import attendance, retention
from tsunagari.supporters.figures import compute, fiscal_year_of
from tsunagari.supporters.models import Certificate, Registration
from tsunagari.supporters.tests.completion_helpers import course_at, running_course
from tsunagari.supporters.tests.factory import make_registration
from tsunagari.test import BaseTestCase


class EraseOnRequestTest(BaseTestCase):
    def setUp(self) -> None:
        self.course = running_course(organization=self.organization)
        self.registration = make_registration(
            self.course,
            "山田 花子",
            phone="090-1234-5678",
            municipality=self.municipality,
            age_band="70s",
            accessibility_needs="手話通訳",
            opportunities_opt_in=True,
        )
        attendance.mark_attended(self.registration)
        self.url = f"/supporters/r/{self.registration.token}/erase/"

    def assert_erased(self) -> None:
        r = Registration.objects.get(pk=self.registration.pk)
        self.assertEqual(
            (r.name, r.email, r.phone, r.municipality, r.age_band, r.accessibility_needs),
            ("", "", "", None, "", ""),
        )
        self.assertIsNotNone(r.erased_at)
        self.assertFalse(r.opportunities_opt_in)
        self.assertIsNotNone(r.attended_at)  # the counts stay
        certificate = Certificate.objects.get(registration=r)
        self.assertIsNotNone(certificate.revoked_at)
        self.assertEqual(certificate.name_printed, "")

    def test_the_participant_confirms_and_their_data_is_erased(self) -> None:
        r = self.client.get(self.url)
        self.assertContains(r, "個人情報を削除する")
        r = self.client.post(self.url, {})
        self.assertContains(r, "確認のチェックを入れてください", status_code=400)
        self.assertIsNone(Registration.objects.get(pk=self.registration.pk).erased_at)
        r = self.client.post(self.url, {"confirm": "on"})
        self.assertContains(r, "個人情報を削除しました")
        self.assert_erased()
        r = self.client.get(f"/supporters/verify/{self.registration.certificate.serial}/")
        self.assertContains(r, "無効です")
        self.assertNotContains(r, "山田 花子")

    def test_the_secretariat_erases_for_them_with_an_audit_record(self) -> None:
        url = f"/supporters/manage/registrations/{self.registration.pk}/erase/"
        self.login(self.secretariat)
        self.assertContains(self.client.get(url), "山田 花子")
        r = self.client.post(url, {"confirm": "on"})
        self.assertRedirects(r, f"/supporters/manage/courses/{self.course.pk}/attendance/")
        self.assert_erased()
        event = AuditEvent.objects.for_object(self.registration).filter(action="update")
        self.assertEqual(event.get().actor, self.secretariat)

    def test_the_organiser_sees_an_erased_row_without_a_name(self) -> None:
        retention.erase(self.registration)
        self.login(self.staff)
        r = self.client.get(f"/supporters/manage/courses/{self.course.pk}/attendance/")
        self.assertContains(r, "（個人情報は削除済み）")
        self.assertNotContains(r, "山田 花子")

    def test_erasing_twice_changes_nothing(self) -> None:
        self.assertTrue(retention.erase(self.registration))
        self.assertFalse(retention.erase(self.registration))

    def test_the_counts_do_not_change(self) -> None:
        year = fiscal_year_of(self.course.starts_at.date())
        before = compute(year).total
        retention.erase(self.registration)
        self.assertEqual(compute(year).total, before)

    def test_an_erased_registration_cannot_attend_or_opt_in(self) -> None:
        other = make_registration(self.course)
        retention.erase(other)
        self.assertFalse(attendance.mark_attended(other))
        r = self.client.get(f"/supporters/r/{other.token}/opportunities/")
        self.assertEqual(r.status_code, 404)


@override_settings(SUPPORTERS_RETENTION_DAYS=30)
class PurgeTest(BaseTestCase):
    def test_the_command_erases_only_registrations_of_courses_ended_before_the_period(
        self,
    ) -> None:
        old = make_registration(course_at(timedelta(days=-31)), "古い 参加者")
        recent = make_registration(course_at(timedelta(days=-29)), "新しい 参加者")
        Registration.objects.filter(pk=old.pk).update(attended_at=old.course.starts_at)
        old.refresh_from_db()
        from tsunagari.supporters.certificates import issue_certificate

        issue_certificate(old)
        out = StringIO()
        call_command("purge_supporter_data", stdout=out)
        self.assertIn("1 registration(s) erased", out.getvalue())
        old.refresh_from_db()
        recent.refresh_from_db()
        self.assertIsNotNone(old.erased_at)
        self.assertEqual(old.name, "")
        self.assertIsNone(recent.erased_at)
        self.assertEqual(recent.name, "新しい 参加者")
        # The certificate stays verifiable, without the name.
        certificate = Certificate.objects.get(registration=old)
        self.assertIsNone(certificate.revoked_at)
        r = self.client.get(f"/supporters/verify/{certificate.serial}/")
        self.assertContains(r, "本物の修了証です")
        self.assertContains(r, "氏名の記録は削除しました")
        self.assertNotContains(r, "古い 参加者")
        # A second run changes nothing.
        out = StringIO()
        call_command("purge_supporter_data", stdout=out)
        self.assertIn("0 registration(s) erased", out.getvalue())

    def test_the_period_comes_from_the_setting(self) -> None:
        registration = make_registration(course_at(timedelta(days=-40)))
        with override_settings(SUPPORTERS_RETENTION_DAYS=1095):
            self.assertEqual(retention.purge_expired(), 0)
        self.assertEqual(retention.purge_expired(), 1)
        registration.refresh_from_db()
        self.assertIsNotNone(registration.erased_at)
