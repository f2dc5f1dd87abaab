"""A resident signs up for a つながりサポーター course on a phone, gets the mail, and
cancels by its link; the first person waiting is promoted and told."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari.lib.antibot import HumanCheckForm
from tsunagari.supporters import registrations
from tsunagari.supporters.models import Registration
from tsunagari.supporters.tests.factory import make_course
from tsunagari.supporters.tests.test_registration_service import person
from tsunagari.test import run_tasks

require_chromium()
pytestmark = pytest.mark.browser


@pytest.mark.browser
class CourseSignUpJourneyTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)
        # A person needs at least 3 seconds; the test types faster than any person.
        self.enterContext(mock.patch.object(HumanCheckForm, "min_seconds", 0))

    def test_a_resident_signs_up_on_a_phone_and_cancels_by_the_link(self) -> None:
        course = make_course("【テスト】つながりサポーター養成講座（藤沢会場）", capacity=1)
        page = self.new_page(mobile=True)
        self.visit(page, "/supporters/")
        expect(page.get_by_role("heading", level=1)).to_have_text("つながりサポーター養成講座")
        self.assert_accessible(page)
        page.get_by_role("link", name="【テスト】つながりサポーター養成講座（藤沢会場）").click()
        page.wait_for_url(re.compile(rf"/supporters/courses/{course.pk}/$"))
        expect(page.locator(".seats")).to_contain_text("残り1席")
        self.assert_accessible(page)

        # A mistake first: no contact at all. The form says so and keeps the name.
        page.get_by_label("お名前またはニックネーム").fill("つながり 花子")
        page.get_by_label("お住まいの市町村").select_option(label="藤沢市")
        page.get_by_label(re.compile("同意します")).check()
        page.get_by_role("button", name="申し込む").click()
        expect(page.locator(".error-summary")).to_contain_text("メールアドレスか電話番号")
        self.assert_accessible(page)
        self.console_errors = [e for e in self.console_errors if "status of 400" not in e]
        expect(page.get_by_label("お名前またはニックネーム")).to_have_value("つながり 花子")

        page.get_by_label("メールアドレス").fill("ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ")
        page.get_by_role("button", name="申し込む").click()
        page.wait_for_url(re.compile(r"/supporters/r/[^/]+/thanks/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("申し込みを受け付けました")
        expect(page.get_by_role("main")).to_contain_text("参加が確定しました")
        self.assert_accessible(page)

        mine = Registration.objects.get(email="hanako@example.jp")
        self.assertEqual(mine.status, Registration.Status.CONFIRMED)
        run_tasks()
        (message,) = self.mails_to("hanako@example.jp")
        self.assertIn(mine.code, message.body)

        # Someone else signs up after her: the course is full, they wait.
        waiting = registrations.register(course, person(2, email="wait@example.jp"))
        self.assertEqual(waiting.status, Registration.Status.WAITLISTED)

        # Later she cannot come: the link in the mail, then 「参加を取り消す」.
        phone = self.new_page(mobile=True)
        link = re.search(re.escape(self.live_server_url) + r"/supporters/r/\S+", message.body)
        assert link is not None, message.body
        phone.goto(link.group(0))
        expect(phone.get_by_role("heading", level=1)).to_have_text("申し込みの確認")
        expect(phone.get_by_role("main")).to_contain_text(mine.code)
        self.assert_accessible(phone)
        phone.get_by_role("link", name="参加を取り消す").click()
        expect(phone.get_by_role("main")).to_contain_text("この申し込みを取り消しますか")
        self.assert_accessible(phone)
        phone.get_by_role("button", name="取り消す").click()
        phone.wait_for_url(re.compile(r"/supporters/r/[^/]+/$"))
        expect(phone.get_by_role("status")).to_contain_text("参加の申し込みを取り消しました")
        expect(phone.get_by_role("main")).to_contain_text("取り消し済み")
        self.assert_accessible(phone)

        # The person waiting gets the seat, and a mail saying so.
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, Registration.Status.CONFIRMED)
        run_tasks()
        waitlisted, promoted = self.mails_to("wait@example.jp")
        self.assertIn("キャンセル待ち", waitlisted.subject)
        self.assertIn("繰り上がりました", promoted.subject)
        self.assert_no_console_errors()
