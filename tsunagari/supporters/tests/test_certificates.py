"""修了証: one per attended registration, a serial per 和暦 year, a PDF with the name,
the serial, the Japanese font embedded and a QR code to the verify page."""

from __future__ import annotations

import re
from datetime import date
from unittest import mock

from django.test import override_settings

from tsunagari.supporters import attendance, certificates
from tsunagari.supporters.models import Certificate
from tsunagari.supporters.tests.completion_helpers import running_course
from tsunagari.supporters.tests.factory import make_registration
from tsunagari.test import BaseTestCase


class SerialTest(BaseTestCase):
    def test_serials_count_up_within_a_wareki_year(self) -> None:
        self.assertEqual(certificates.next_serial(date(2026, 12, 3)), "TS-R8-000001")
        self.assertEqual(certificates.next_serial(date(2026, 12, 4)), "TS-R8-000002")
        self.assertEqual(certificates.next_serial(date(2027, 1, 4)), "TS-R9-000001")

    def test_the_era_prefix_follows_the_wareki_year(self) -> None:
        self.assertEqual(certificates.era_prefix(date(2019, 4, 30)), "H31")
        self.assertEqual(certificates.era_prefix(date(2019, 5, 1)), "R1")


class IssueTest(BaseTestCase):
    def setUp(self) -> None:
        self.course = running_course(organization=self.organization)
        self.registration = make_registration(self.course, "山田 花子")

    def test_attending_twice_issues_one_certificate(self) -> None:
        self.assertTrue(attendance.mark_attended(self.registration))
        self.assertFalse(attendance.mark_attended(self.registration))
        self.assertEqual(Certificate.objects.count(), 1)

    def test_the_certificate_keeps_what_is_printed(self) -> None:
        attendance.mark_attended(self.registration)
        certificate = Certificate.objects.get()
        self.assertEqual(certificate.name_printed, "山田 花子")
        self.assertEqual(certificate.course_title, self.course.title)

    def test_no_mail_without_an_address(self) -> None:
        registration = make_registration(self.course, email="", phone="090-0000-0000")
        attendance.mark_attended(registration)
        self.run_tasks()
        self.assertEqual(self.sent_to(""), [])


@override_settings(SITE_URL="https://tsunagari.example.jp")
class PdfTest(BaseTestCase):
    def setUp(self) -> None:
        course = running_course(
            organization=self.organization, title="つながりサポーター養成講座 藤沢会場"
        )
        self.registration = make_registration(course, "山田 花子")
        attendance.mark_attended(self.registration)
        self.certificate = Certificate.objects.get()

    def test_it_prints_the_name_the_course_the_serial_the_organiser_and_the_date(self) -> None:
        drawn = "\n".join(certificates.build_pdf(self.certificate).drawn)
        self.assertIn("修了証", drawn)
        self.assertIn("山田 花子 殿", drawn)
        self.assertIn("つながりサポーター養成講座 藤沢会場", drawn)
        self.assertIn(f"修了証番号：{self.certificate.serial}", drawn)
        self.assertIn(f"主催：{self.organization.name}", drawn)
        self.assertRegex(drawn, r"修了日：令和\d+年\d+月\d+日")

    def test_the_qr_code_points_to_the_verify_page(self) -> None:
        drawn = certificates.build_pdf(self.certificate).drawn
        target = f"https://tsunagari.example.jp/supporters/verify/{self.certificate.serial}/"
        self.assertIn(f"QR:{target}", drawn)
        self.assertIn(target, drawn)

    def test_it_is_an_a4_landscape_pdf_with_the_japanese_font_embedded(self) -> None:
        body = certificates.render_pdf(self.certificate)
        self.assertTrue(body.startswith(b"%PDF-"))
        self.assertRegex(body, rb"/FontName /[A-Z]{6}\+NotoSansCJKJP")
        self.assertRegex(body, rb"/FontFile3")
        self.assertIn(b"/MediaBox [0 0 841.89 595.28]", body)
        self.assertEqual(len(re.findall(rb"/Type\s*/Page\b", body)), 1)

    def test_the_participant_downloads_it_by_the_link_in_their_mail(self) -> None:
        r = self.client.get(f"/supporters/r/{self.registration.token}/certificate.pdf")
        self.assertEqual(r["Content-Type"], "application/pdf")
        self.assertIn("no-store", r["Cache-Control"])
        self.assertIn(self.certificate.serial, r["Content-Disposition"])

    def test_an_english_speaker_gets_it_in_english(self) -> None:
        self.registration.language = "en"
        self.registration.save()
        drawn = "\n".join(certificates.build_pdf(self.certificate).drawn)
        self.assertIn("Certificate of Completion", drawn)

    def test_without_a_font_it_says_so_instead_of_failing(self) -> None:
        certificates._render.cache_clear()
        with mock.patch.object(certificates, "_render", side_effect=certificates.FontMissing):
            r = self.client.get(f"/supporters/r/{self.registration.token}/certificate.pdf")
        self.assertContains(r, "fonts-noto-cjk", status_code=503)

    def test_a_revoked_certificate_is_not_downloaded(self) -> None:
        Certificate.objects.update(revoked_at=self.certificate.issued_at)
        r = self.client.get(f"/supporters/r/{self.registration.token}/certificate.pdf")
        self.assertEqual(r.status_code, 404)


class CertificateMailTest(BaseTestCase):
    def test_the_mail_is_in_the_participants_language_with_the_stop_link(self) -> None:
        course = running_course(title="Course in English")
        registration = make_registration(course, "Alex Smith", language="en")
        attendance.mark_attended(registration)
        self.run_tasks()
        [message] = self.sent_to(registration.email)
        self.assertEqual(message.subject, "[Certificate] Course in English")
        self.assertIn("Dear Alex Smith", message.body)
        self.assertIn(f"/supporters/r/{registration.token}/certificate.pdf", message.body)
        self.assertIn(f"/supporters/r/{registration.token}/opportunities/stop/", message.body)
