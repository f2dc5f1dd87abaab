"""The public verify page: a real certificate shows only what is printed on it."""

from __future__ import annotations

from tsunagari.supporters import attendance, retention
from tsunagari.supporters.models import Certificate
from tsunagari.supporters.tests.completion_helpers import running_course
from tsunagari.supporters.tests.factory import make_registration
from tsunagari.test import BaseTestCase


class VerifyTest(BaseTestCase):
    def setUp(self) -> None:
        self.course = running_course(organization=self.organization)
        self.registration = make_registration(
            self.course,
            "山田 花子",
            email="hanako@example.jp",
            phone="090-1234-5678",
            accessibility_needs="車いすで参加します",
        )
        attendance.mark_attended(self.registration)
        self.certificate = Certificate.objects.get()
        self.url = f"/supporters/verify/{self.certificate.serial}/"

    def test_a_real_certificate_is_confirmed_with_what_is_printed(self) -> None:
        r = self.client.get(self.url)
        self.assertContains(r, "本物の修了証です")
        self.assertContains(r, "山田 花子")
        self.assertContains(r, self.course.title)
        self.assertContains(r, self.organization.name)
        self.assertContains(r, "令和")

    def test_nothing_personal_beyond_the_printed_name_is_shown(self) -> None:
        r = self.client.get(self.url)
        for secret in ("hanako@example.jp", "090-1234-5678", "車いす", self.registration.code):
            self.assertNotContains(r, secret)
        self.assertContains(r, '<meta name="robots" content="noindex">')

    def test_a_wrong_serial_is_not_found(self) -> None:
        self.assertEqual(self.client.get("/supporters/verify/TS-R8-999999/").status_code, 404)
        self.assertEqual(self.client.get("/supporters/verify/nonsense/").status_code, 404)

    def test_an_erased_certificate_is_no_longer_valid_and_shows_no_name(self) -> None:
        retention.erase(self.registration)
        r = self.client.get(self.url)
        self.assertContains(r, "無効です")
        self.assertNotContains(r, "山田 花子")

    def test_a_serial_typed_in_the_form_leads_to_its_page(self) -> None:
        serial = self.certificate.serial.lower().replace("-", "ー")
        r = self.client.get("/supporters/verify/", {"serial": f" {serial} "})
        self.assertRedirects(r, self.url)

    def test_a_malformed_serial_in_the_form_is_explained(self) -> None:
        r = self.client.get("/supporters/verify/", {"serial": "12345"})
        self.assertContains(r, "修了証番号の形式が違います", status_code=400)
        self.assertContains(r, 'value="12345"', status_code=400)


class SampleTest(BaseTestCase):
    def test_the_sample_course_has_certificates_that_verify_and_loads_once(self) -> None:
        from tsunagari.supporters.sample_completion import load_sample_completions

        lines = load_sample_completions()
        self.assertIn("修了証12件", lines[0])
        self.assertEqual(Certificate.objects.count(), 12)
        self.assertEqual(load_sample_completions(), [])
        self.assertEqual(Certificate.objects.count(), 12)
        certificate = Certificate.objects.order_by("serial").first()
        assert certificate is not None
        self.assertTrue(certificate.name_printed.startswith("【サンプル】"))
        r = self.client.get(f"/supporters/verify/{certificate.serial}/")
        self.assertContains(r, "本物の修了証です")
