"""An organiser takes attendance with the keyboard alone, on a phone; a certificate's QR
code opens a page that confirms it; the completion pages pass axe-core at 390 px."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.base import PHONE, BrowserTestCase, require_chromium
from tests.browser.test_public_pages import OVERFLOW
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.members.models import Organization
from tsunagari.supporters import attendance, certificates
from tsunagari.supporters.models import Certificate, Registration
from tsunagari.supporters.tests.completion_helpers import running_course
from tsunagari.supporters.tests.factory import make_registration

require_chromium()
pytestmark = pytest.mark.browser


@pytest.mark.browser
class CompletionTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.organization = Organization.objects.get(roster_no=13)
        self.organiser = factory.make_user(
            "organiser@example.jp", User.Role.MEMBER, organization=self.organization
        )
        self.course = running_course(organization=self.organization)
        self.hanako = make_registration(self.course, "山田 花子")
        self.taro = make_registration(self.course, "佐藤 太郎")

    def tab_to(self, page: Any, selector: str, limit: int = 80) -> None:
        """Press Tab until `selector` has the focus, as a keyboard user would."""
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({selector!r})"):
                return
        self.fail(f"{selector} never took the focus")

    def assert_fits_and_accessible(self, page: Any) -> None:
        self.assertEqual(page.viewport_size, PHONE)
        self.assertIsNone(page.evaluate(OVERFLOW), f"{page.url} is wider than the phone")
        self.assert_accessible(page)

    def test_an_organiser_takes_attendance_by_keyboard(self) -> None:
        page = self.new_page()
        self.sign_in_as(page, self.organiser)
        self.visit(page, f"/supporters/manage/courses/{self.course.pk}/attendance/")
        self.assertIn(self.course.attendance_code, page.inner_text(".attendance-code"))
        self.assert_fits_and_accessible(page)

        self.tab_to(page, f"#attended-{self.hanako.pk}")
        page.keyboard.press("Space")
        self.assertTrue(page.is_checked(f"#attended-{self.hanako.pk}"))
        self.tab_to(page, "button[type=submit].button")
        with page.expect_navigation():
            page.keyboard.press("Enter")

        self.assertIn("1人の出席を記録し、修了証を発行しました", page.inner_text(".messages"))
        self.assertTrue(page.is_checked(f"#attended-{self.hanako.pk}"))
        self.assertFalse(page.is_checked(f"#attended-{self.taro.pk}"))
        self.hanako.refresh_from_db()
        self.taro.refresh_from_db()
        self.assertIsNotNone(self.hanako.attended_at)
        self.assertIsNone(self.taro.attended_at)
        self.assertTrue(Certificate.objects.filter(registration=self.hanako).exists())
        self.assert_accessible(page)
        self.assert_no_console_errors()

    def test_a_certificate_verifies_from_its_qr_code(self) -> None:
        attendance.mark_attended(self.hanako)
        certificate = Certificate.objects.get(registration=self.hanako)
        drawn = certificates.build_pdf(certificate).drawn
        target = next(line for line in drawn if line.startswith("QR:"))[3:]
        self.assertTrue(target.startswith(self.live_server_url))

        page = self.new_page()
        page.goto(target)
        self.assertIn("本物の修了証です", page.inner_text("main"))
        self.assertIn("山田 花子", page.inner_text("main"))
        self.assertIn(certificate.serial, page.inner_text("main"))
        self.assert_fits_and_accessible(page)

        # Typed by hand on the form, the serial leads to the same page.
        self.visit(page, "/supporters/verify/")
        self.assert_fits_and_accessible(page)
        page.fill("#serial", certificate.serial.lower())
        with page.expect_navigation(url=f"**/supporters/verify/{certificate.serial}/"):
            page.keyboard.press("Enter")
        self.assertIn("山田 花子", page.inner_text("main"))

    def test_the_participants_pages_fit_a_phone_and_pass_axe(self) -> None:
        attendance.mark_attended(self.hanako)
        token = Registration.objects.get(pk=self.hanako.pk).token
        page = self.new_page()
        for path in (
            "/supporters/attend/",
            f"/supporters/r/{self.taro.token}/attend/",
            f"/supporters/r/{token}/certificate/",
            f"/supporters/r/{token}/opportunities/",
            f"/supporters/r/{token}/opportunities/stop/",
            f"/supporters/r/{token}/erase/",
            "/supporters/figures/",
        ):
            with self.subTest(path=path):
                self.visit(page, path)
                self.assert_fits_and_accessible(page)
