"""Every page passes axe-core's WCAG 2.0/2.1/2.2 A and AA rules, in real Chromium."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, assert_accessible, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.accounts.services import invitation_path
from tsunagari.lib.antibot import HumanCheckForm
from tsunagari.members.models import Organization

require_chromium()
pytestmark = pytest.mark.browser


@pytest.mark.browser
class AxeTest(BrowserTestCase):
    """The checker itself finds and reports violations."""

    def test_it_reports_each_violation_with_its_nodes(self) -> None:
        page = self.new_page()
        page.set_content(
            '<html lang="ja"><title>t</title><main><img src="data:,">'
            '<label>名前</label><input id="x"></main></html>'
        )
        with self.assertRaises(AssertionError) as raised:
            assert_accessible(page)
        message = str(raised.exception)
        self.assertIn("image-alt (critical)", message)
        self.assertIn("label (critical)", message)
        self.assertIn('"#x"', message)


@pytest.mark.browser
class PublicPagesTest(BrowserTestCase):
    """What a resident or an applicant sees, on a phone-sized screen."""

    def setUp(self) -> None:
        super().setUp()
        # A person needs at least 3 seconds to send /apply/; the test is faster.
        self.enterContext(mock.patch.object(HumanCheckForm, "min_seconds", 0))

    def check(self, path: str) -> None:
        page = self.new_page()
        self.visit(page, path)
        self.assert_accessible(page)
        self.assert_no_console_errors()

    def test_home(self) -> None:
        self.check("/")

    def test_roster(self) -> None:
        self.check("/roster/")

    def test_roster_of_one_sector(self) -> None:
        self.check("/roster/?sector=government")

    def test_roster_with_a_bad_date(self) -> None:
        self.check("/roster/?as_of=not-a-date")

    def test_roster_after_filtering_in_place(self) -> None:
        page = self.new_page()
        self.visit(page, "/roster/")
        page.wait_for_function("typeof window.htmx !== 'undefined'")
        page.get_by_label("分野").select_option(label="当事者")
        page.wait_for_url(re.compile(r"sector=lived_experience"))
        expect(page.locator("#roster h2")).to_have_count(1)
        self.assert_accessible(page)

    def test_organization_page(self) -> None:
        self.check("/members/1/")

    def test_apply_form(self) -> None:
        self.check("/apply/")

    def test_apply_form_with_errors(self) -> None:
        page = self.new_page()
        self.visit(page, "/apply/")
        page.get_by_role("button", name="申し込む").click()
        summary = page.locator(".error-summary")
        # Focus moves to the summary, so a screen reader reads it first...
        expect(summary).to_be_focused()
        self.assert_accessible(page)
        # ...and each of its links leads to the field, or to the group of checkboxes.
        summary.get_by_role("link", name="活動地域：活動地域を1つ以上選んでください。").click()
        expect(page.locator("#id_municipalities_group")).to_be_focused()
        expect(page.locator("#id_municipalities_group")).to_have_attribute(
            "aria-describedby", re.compile(r"\bid_municipalities_error\b")
        )
        summary.get_by_role("link", name="組織名：組織名を入力してください。").click()
        expect(page.locator("#id_name")).to_be_focused()
        # The group and the widget inside it do not share an id.
        self.assertEqual(
            page.evaluate("document.querySelectorAll('[id=id_municipalities]').length"), 1
        )

    def test_apply_thanks(self) -> None:
        self.check("/apply/thanks/")

    def test_login(self) -> None:
        self.check("/accounts/login/")

    def test_login_with_an_error(self) -> None:
        page = self.new_page()
        self.visit(page, "/accounts/login/")
        page.locator("#id_username").fill("nobody@example.jp")
        page.locator("#id_password").fill("wrong password")
        page.get_by_role("main").get_by_role("button", name="ログイン").click()
        page.wait_for_selector(".error-summary")
        self.assert_accessible(page)

    def test_password_reset(self) -> None:
        self.check("/accounts/password-reset/")

    def test_invitation(self) -> None:
        user = User.objects.create_user(
            "newcomer@example.org",
            full_name="新人 さん",
            role=User.Role.MEMBER,
            organization=Organization.objects.get(roster_no=13),
        )
        page = self.new_page()
        self.visit(page, invitation_path(user))
        page.wait_for_selector("#id_new_password1")
        self.assert_accessible(page)

    def test_english_home_and_apply(self) -> None:
        page = self.new_page()
        self.visit(page, "/")
        page.get_by_label("表示言語").select_option("en")
        page.get_by_role("button", name="切替").click()
        page.wait_for_selector("html[lang=en]")
        expect(page).to_have_url(self.url("/"))
        self.assert_accessible(page)
        self.visit(page, "/apply/")
        self.assertEqual(page.locator("html").get_attribute("lang"), "en")
        self.assert_accessible(page)


@pytest.mark.browser
class SignedInPagesTest(BrowserTestCase):
    """The secretariat's pages on a desktop screen, and a member's own profile."""

    def setUp(self) -> None:
        super().setUp()
        self.secretariat = factory.make_user("jimukyoku@example.jp", User.Role.SECRETARIAT)
        self.application = factory.make_application()
        self.organization = Organization.objects.get(roster_no=13)

    def check(self, page, path: str) -> None:  # type: ignore[no-untyped-def]
        self.visit(page, path)
        self.assert_accessible(page)

    def test_secretariat_pages(self) -> None:
        page = self.new_page(mobile=False)
        self.sign_in_as(page, self.secretariat)
        pages = [
            "/my/",
            "/secretariat/applications/",
            f"/secretariat/applications/{self.application.pk}/",
            "/secretariat/organizations/",
            f"/secretariat/organizations/{self.organization.pk}/",
            "/accounts/users/",
            "/secretariat/audit/",
        ]
        for path in pages:
            with self.subTest(path=path):
                self.visit(page, path)
                self.assert_accessible(page)
        self.assert_no_console_errors()

    def test_secretariat_pages_on_a_phone(self) -> None:
        page = self.new_page()
        self.sign_in_as(page, self.secretariat)
        self.check(page, "/secretariat/applications/")
        self.check(page, f"/secretariat/applications/{self.application.pk}/")

    def test_decision_without_a_reason(self) -> None:
        page = self.new_page(mobile=False)
        self.sign_in_as(page, self.secretariat)
        self.visit(page, f"/secretariat/applications/{self.application.pk}/")
        page.get_by_role("button", name="修正を依頼").click()
        page.wait_for_selector(".error-summary")
        self.assert_accessible(page)

    def test_member_pages(self) -> None:
        staff = factory.make_user(
            "staff@example.jp", User.Role.MEMBER, organization=self.organization
        )
        page = self.new_page()
        self.sign_in_as(page, staff)
        self.check(page, "/my/")
        self.check(page, "/my/organization/")
        self.assert_no_console_errors()
