"""Attendance by the code shown at the session: a public form, safe from guessing."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.core.cache import cache

from tsunagari.lib.antibot import issue_token
from tsunagari.supporters import attendance
from tsunagari.supporters.models import Certificate, Registration
from tsunagari.supporters.tests.completion_helpers import course_at, running_course
from tsunagari.supporters.tests.factory import make_registration
from tsunagari.test import BaseTestCase


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10_000:04d}"


class AttendByCodeTest(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.addCleanup(cache.clear)
        self.course = running_course()
        self.registration = make_registration(self.course, "山田 花子")

    def post(self, registration_code: str, session_code: str, **extra: str) -> Any:
        data = {
            "registration_code": registration_code,
            "session_code": session_code,
            "shown_at": issue_token(now=time.time() - 30),
            "homepage": "",
            **extra,
        }
        return self.client.post("/supporters/attend/", data)

    def test_the_form_is_public(self) -> None:
        r = self.client.get("/supporters/attend/")
        self.assertContains(r, "受付番号")
        self.assertContains(r, 'name="homepage"')

    def test_the_right_codes_record_attendance_and_lead_to_the_certificate(self) -> None:
        r = self.post(self.registration.code, self.course.attendance_code)
        self.assertRedirects(
            r,
            f"/supporters/r/{self.registration.token}/certificate/",
            fetch_redirect_response=False,
        )
        self.registration.refresh_from_db()
        self.assertIsNotNone(self.registration.attended_at)
        self.assertTrue(Certificate.objects.filter(registration=self.registration).exists())
        page = self.client.get(r["Location"])
        self.assertContains(page, "出席を記録しました")
        self.assertContains(page, "修了証をダウンロードする")

    def test_full_width_input_and_lower_case_are_accepted(self) -> None:
        code = self.registration.code.lower()
        digits = self.course.attendance_code.translate(
            str.maketrans("0123456789", "０１２３４５６７８９")
        )
        r = self.post(f" {code} ", digits)
        self.assertEqual(r.status_code, 302)

    def test_a_wrong_code_does_not_say_which_part_was_wrong_and_keeps_the_input(self) -> None:
        r = self.post(self.registration.code, wrong(self.course.attendance_code))
        self.assertContains(r, "受付番号か出席コードが正しくありません", status_code=400)
        self.assertContains(r, f'value="{self.registration.code}"', status_code=400)
        r = self.post("T9999999", self.course.attendance_code)
        self.assertContains(r, "受付番号か出席コードが正しくありません", status_code=400)
        self.assertFalse(Certificate.objects.exists())

    def test_a_registration_is_locked_after_a_few_wrong_codes(self) -> None:
        for _ in range(attendance.ATTENDANCE_FAILURE_LIMIT):
            self.post(self.registration.code, wrong(self.course.attendance_code))
        r = self.post(self.registration.code, self.course.attendance_code)
        self.assertContains(r, "この受付番号ではコードを使えなくなりました", status_code=400)
        self.registration.refresh_from_db()
        self.assertIsNone(self.registration.attended_at)

    def test_the_course_stops_taking_codes_after_many_wrong_ones(self) -> None:
        people = [
            make_registration(self.course, f"参加者{n}")
            for n in range(attendance.COURSE_FAILURE_LIMIT // 2 + 1)
        ]
        for person in people:
            for _ in range(2):
                attendance.attend_with_code(person, wrong(self.course.attendance_code))
        result = attendance.attend_with_code(self.registration, self.course.attendance_code)
        self.assertEqual(result, attendance.CodeResult.COURSE_LOCKED)

    def test_one_network_can_try_only_so_many_times(self) -> None:
        other = running_course()
        for n in range(20):
            self.post(f"T{n:07d}X", wrong(other.attendance_code))
        r = self.post(self.registration.code, self.course.attendance_code)
        self.assertEqual(r.status_code, 429)
        self.assertContains(r, "しばらくしてからお試しください", status_code=429)

    def test_a_robot_filling_the_trap_records_nothing(self) -> None:
        r = self.post(self.registration.code, self.course.attendance_code, homepage="spam")
        self.assertEqual(r.status_code, 302)
        self.registration.refresh_from_db()
        self.assertIsNone(self.registration.attended_at)

    def test_too_fast_a_submission_is_refused_kindly(self) -> None:
        r = self.post(self.registration.code, self.course.attendance_code, shown_at=issue_token())
        self.assertContains(r, "送信が早すぎたため", status_code=400)

    def test_before_the_start_it_says_when(self) -> None:
        course = course_at(timedelta(hours=1))
        registration = make_registration(course)
        r = self.post(registration.code, course.attendance_code)
        self.assertContains(r, "開始時刻からです", status_code=400)

    def test_after_the_window_it_is_closed(self) -> None:
        course = course_at(timedelta(days=-1))
        registration = make_registration(course)
        r = self.post(registration.code, course.attendance_code)
        self.assertContains(r, "受け付けは終わりました", status_code=400)

    def test_a_cancelled_registration_cannot_attend(self) -> None:
        gone = make_registration(self.course, status=Registration.Status.CANCELLED)
        r = self.post(gone.code, self.course.attendance_code)
        self.assertEqual(r.status_code, 400)
        self.assertFalse(Certificate.objects.exists())


class AttendByLinkTest(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.addCleanup(cache.clear)
        self.course = running_course()
        self.registration = make_registration(self.course)
        self.url = f"/supporters/r/{self.registration.token}/attend/"

    def post(self, code: str) -> Any:
        return self.client.post(
            self.url, {"session_code": code, "shown_at": issue_token(now=time.time() - 30)}
        )

    def test_only_the_session_code_is_asked(self) -> None:
        r = self.client.get(self.url)
        self.assertContains(r, 'name="session_code"')
        self.assertNotContains(r, 'name="registration_code"')

    def test_the_right_code_records_attendance(self) -> None:
        r = self.post(self.course.attendance_code)
        self.assertEqual(r.status_code, 302)
        self.assertTrue(Certificate.objects.filter(registration=self.registration).exists())
        # Once attended, the link leads straight to the certificate.
        self.assertEqual(self.client.get(self.url).status_code, 302)

    def test_a_wrong_code_is_refused(self) -> None:
        r = self.post(wrong(self.course.attendance_code))
        self.assertContains(r, "出席コードが違います", status_code=400)

    def test_an_unknown_token_is_not_found(self) -> None:
        self.assertEqual(self.client.get("/supporters/r/nope/attend/").status_code, 404)
