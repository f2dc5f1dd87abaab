"""End-to-end journeys in headless Chromium: residents, applicants, the secretariat
and a new member's staff, each in a browser context of their own."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.lib.antibot import HumanCheckForm
from tsunagari.members.models import MembershipApplication, Organization
from tsunagari.test import PASSWORD, run_tasks

require_chromium()
pytestmark = pytest.mark.browser


@pytest.mark.browser
class ResidentTest(BrowserTestCase):
    """A resident on a phone, under the site's real Content Security Policy."""

    def test_home_page_works_under_the_content_security_policy(self) -> None:
        page = self.new_page(bypass_csp=False)
        page.add_init_script(
            "window.__cspViolations = [];"
            "document.addEventListener('securitypolicyviolation', e =>"
            " window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        response = self.visit(page, "/")
        self.assertIn("script-src 'self' 'nonce-", response.headers["content-security-policy"])
        page.wait_for_function("typeof window.htmx !== 'undefined'")
        self.assertFalse(page.evaluate("htmx.config.allowEval"))
        self.assertEqual(page.evaluate("window.__cspViolations"), [])
        self.assertEqual([e for e in self.console_errors if "Content Security Policy" in e], [])
        self.assert_no_console_errors()

    def test_resident_browses_the_roster_and_filters_it_by_sector(self) -> None:
        page = self.new_page(bypass_csp=False)
        self.visit(page, "/")
        expect(page.locator(".as-of")).to_contain_text("令和7年7月30日時点")
        expect(page.locator(".as-of")).to_contain_text("35団体")
        expect(page.locator("table.roster tbody tr")).to_have_count(35)

        page.get_by_role("navigation", name="メインメニュー").get_by_role(
            "link", name="構成員名簿"
        ).click()
        page.wait_for_url(re.compile(r"/roster/$"))
        page.wait_for_function("typeof window.htmx !== 'undefined'")
        page.evaluate("window.__sameDocument = true")
        with page.expect_response(
            lambda r: "sector=government" in r.url and r.request.headers.get("hx-request") == "true"
        ):
            page.get_by_label("分野").select_option(label="行政")
        expect(page.locator("#roster .as-of")).to_contain_text("9団体")
        expect(page).to_have_url(re.compile(r"/roster/\?.*sector=government"))
        expect(page.locator("#roster table.roster tbody tr")).to_have_count(9)
        expect(page.locator("#roster h2")).to_have_count(1)
        expect(page.locator("#roster h2")).to_contain_text("行政")
        # HTMX swapped #roster in place: the page was not reloaded.
        self.assertTrue(page.evaluate("window.__sameDocument === true"))
        self.assert_no_console_errors()

    def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(self) -> None:
        page = self.new_page(mobile=False)
        self.visit(page, "/")
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "({cls: document.activeElement.className, text: document.activeElement.textContent,"
            " left: document.activeElement.getBoundingClientRect().left})"
        )
        self.assertEqual(focused["cls"], "skip-link")
        self.assertEqual(focused["text"], "本文へ移動")
        self.assertGreaterEqual(focused["left"], 0, "the focused skip link must be visible")
        page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")
        page.keyboard.press("Tab")
        self.assertTrue(page.evaluate("document.activeElement.closest('main') !== null"))


@pytest.mark.browser
class ApplicationJourneyTest(BrowserTestCase):
    """From the public form to a member's staff editing their organisation."""

    def setUp(self) -> None:
        super().setUp()
        # A person needs at least 3 seconds to send /apply/; the test is faster.
        self.enterContext(mock.patch.object(HumanCheckForm, "min_seconds", 0))
        self.secretariat = factory.make_user("jimukyoku@example.jp", User.Role.SECRETARIAT)

    def fill_application(self, page, *, address: str) -> None:  # type: ignore[no-untyped-def]
        page.get_by_label("かながわつながりネットワークの趣旨に賛同し").check()
        page.locator("#id_name").fill("特定非営利活動法人ブラウザつながり")
        page.locator("#id_name_kana").press_sequentially(
            "とくていひえいりかつどうほうじんぶらうざつながり"
        )
        page.locator("#id_legal_form").select_option(label="特定非営利活動法人（NPO法人）")
        page.locator("#id_sector").select_option(label="地域")
        page.locator("#id_postal_code").press_sequentially("２５１００５２")
        page.locator("#id_address").fill(address)
        page.locator("#id_phone").press_sequentially("０４６６－２２－１２３４")
        page.locator("#id_description").fill("藤沢市と鎌倉市で居場所づくりに取り組んでいます。")
        page.get_by_role("checkbox", name="藤沢市", exact=True).check()
        page.get_by_role("checkbox", name="鎌倉市", exact=True).check()
        page.get_by_role("checkbox", name="居場所づくり", exact=True).check()
        page.locator("#id_contact_name").fill("試験 花子")
        page.locator("#id_contact_name_kana").fill("しけん はなこ")
        page.locator("#id_contact_email").fill("Hanako@Browser.example.org")

    def test_organisation_applies_is_approved_and_its_staff_edit_the_profile(self) -> None:
        # 1. The organisation applies from a phone, first forgetting the address.
        applicant = self.new_page()
        self.visit(applicant, "/")
        applicant.get_by_role("link", name="構成員として参加を申し込む").click()
        applicant.wait_for_url(re.compile(r"/apply/$"))
        self.fill_application(applicant, address="")
        applicant.get_by_role("button", name="申し込む").click()

        summary = applicant.locator(".error-summary")
        expect(summary).to_be_focused()
        expect(summary).to_contain_text("入力内容を確認してください")
        expect(summary.get_by_role("link")).to_have_count(1)
        expect(summary.get_by_role("link")).to_have_text("所在地：所在地を入力してください。")
        expect(applicant.locator("#id_address_error")).to_have_text("所在地を入力してください。")
        expect(applicant.locator("#id_address")).to_have_attribute("aria-invalid", "true")
        # Everything else is still filled in.
        expect(applicant.locator("#id_name")).to_have_value("特定非営利活動法人ブラウザつながり")
        expect(applicant.locator("#id_name_kana")).to_have_value(
            "とくていひえいりかつどうほうじんぶらうざつながり"
        )
        expect(applicant.locator("#id_postal_code")).to_have_value("２５１００５２")
        expect(applicant.locator("#id_phone")).to_have_value("０４６６－２２－１２３４")
        expect(applicant.locator("#id_legal_form")).to_have_value("npo")
        expect(applicant.locator("#id_sector")).to_have_value("community")
        expect(applicant.locator("#id_contact_email")).to_have_value("Hanako@Browser.example.org")
        expect(applicant.get_by_label("かながわつながりネットワークの趣旨に賛同し")).to_be_checked()
        expect(applicant.get_by_role("checkbox", name="藤沢市", exact=True)).to_be_checked()
        expect(applicant.get_by_role("checkbox", name="鎌倉市", exact=True)).to_be_checked()
        expect(applicant.get_by_role("checkbox", name="居場所づくり", exact=True)).to_be_checked()
        self.assertFalse(MembershipApplication.objects.exists())

        # The summary's link takes the applicant to the field.
        summary.get_by_role("link").click()
        expect(applicant.locator("#id_address")).to_be_focused()
        applicant.locator("#id_address").fill("藤沢市藤沢1-2-3")
        applicant.get_by_role("button", name="申し込む").click()
        applicant.wait_for_url(re.compile(r"/apply/thanks/(#.*)?$"))

        application = MembershipApplication.objects.get()
        expect(applicant.locator(".reference")).to_have_text(f"受付番号：{application.reference}")
        self.assertRegex(application.reference, r"^A\d{5}$")
        self.assertEqual(application.postal_code, "251-0052")
        self.assertEqual(application.phone, "0466-22-1234")
        self.assertEqual(application.name_kana, "トクテイヒエイリカツドウホウジンブラウザツナガリ")
        self.assertEqual(application.contact_email, "hanako@browser.example.org")
        self.assertEqual(
            sorted(m.name for m in application.municipalities.all()), ["藤沢市", "鎌倉市"]
        )

        # 2. The receipt goes out when the task worker runs, not during the request.
        self.assertEqual(mail.outbox, [])
        run_tasks()
        receipt = self.mails_to("hanako@browser.example.org")
        self.assertEqual(len(receipt), 1)
        self.assertIn(application.reference, receipt[0].body)
        self.assertEqual(len(self.mails_to("secretariat@example.jp")), 1)

        # 3. The secretariat signs in, opens the queue, reviews and approves.
        secretariat = self.new_page(mobile=False)
        self.sign_in_with_form(secretariat, "jimukyoku@example.jp", PASSWORD)
        secretariat.get_by_role("link", name="申込審査").click()
        secretariat.get_by_role("link", name=application.reference).click()
        expect(secretariat.get_by_role("heading", level=1)).to_contain_text(
            "特定非営利活動法人ブラウザつながり"
        )
        secretariat.get_by_role("button", name="審査を開始").click()
        expect(secretariat.locator(".messages")).to_contain_text("審査を開始しました。")
        expect(secretariat.locator(".status")).to_have_text("審査中")
        secretariat.get_by_role("button", name="承認して団体を登録").click()
        expect(secretariat.locator(".messages")).to_contain_text("承認しました。")
        expect(secretariat.locator(".messages")).to_contain_text("名簿番号 36")
        organization = Organization.objects.get(name="特定非営利活動法人ブラウザつながり")
        self.assertEqual(organization.roster_no, 36)

        # 4. The invitation e-mail carries a link to set a password.
        mail.outbox.clear()
        run_tasks()
        subjects = sorted(m.subject for m in self.mails_to("hanako@browser.example.org"))
        self.assertEqual(len(subjects), 2, subjects)
        self.assertIn("参加申込を承認しました", subjects[1])
        (invitation,) = [
            m for m in self.mails_to("hanako@browser.example.org") if "アカウント" in m.subject
        ]
        link = self.link_in(invitation)
        self.assertIn("/accounts/invitation/", link)

        # 5. The new staff member opens it in a browser of their own.
        staff = self.new_page()
        staff.goto(link)
        new_password = "ツナガリ-browser-2025-kanagawa"
        staff.locator("#id_new_password1").fill(new_password)
        staff.locator("#id_new_password2").fill(new_password)
        staff.get_by_role("button", name="パスワードを設定する").click()
        expect(staff.get_by_role("heading", level=1)).to_have_text("パスワードを設定しました")
        staff.get_by_role("button", name="ログアウト").click()
        staff.wait_for_url(re.compile(r"/$"))
        self.sign_in_with_form(staff, "hanako@browser.example.org", new_password)
        expect(staff.locator("main")).to_contain_text("試験 花子")

        # 6. ...and edits the organisation's profile.
        staff.get_by_role("link", name="団体情報を編集する").click()
        staff.wait_for_url(re.compile(r"/my/organization/$"))
        staff.locator("#id_offers").fill("毎週水曜日の夕方に子ども食堂を開いています。")
        staff.locator("#id_website").fill("https://browser.example.org/")
        staff.get_by_role("button", name="保存").click()
        expect(staff.locator(".messages")).to_contain_text("団体情報を保存しました。")
        organization.refresh_from_db()
        self.assertEqual(organization.offers, "毎週水曜日の夕方に子ども食堂を開いています。")
        self.assertEqual(organization.website, "https://browser.example.org/")

        # The public sees the new member and its profile.
        resident = self.new_page()
        self.visit(resident, "/")
        expect(resident.locator(".as-of")).to_contain_text("36団体")
        resident.get_by_role("link", name="特定非営利活動法人ブラウザつながり").click()
        expect(resident.locator("main")).to_contain_text("毎週水曜日の夕方に子ども食堂")
        self.assert_no_console_errors()

    def test_returned_application_is_fixed_and_resubmitted(self) -> None:
        application = factory.make_application(address="藤沢市藤沢")
        secretariat = self.new_page(mobile=False)
        self.sign_in_as(secretariat, self.secretariat)
        self.visit(secretariat, f"/secretariat/applications/{application.pk}/")
        secretariat.get_by_label("理由・申込者への連絡事項").fill(
            "所在地を番地まで記入してください。"
        )
        secretariat.get_by_role("button", name="修正を依頼").click()
        expect(secretariat.locator(".messages")).to_contain_text("修正を依頼しました。")
        expect(secretariat.locator(".status")).to_have_text("修正依頼中")

        run_tasks()
        (returned,) = self.mails_to("taro@example.org")
        self.assertIn("所在地を番地まで記入してください。", returned.body)
        link = self.link_in(returned)
        self.assertIn("/edit/", link)

        applicant = self.new_page()
        applicant.goto(link)
        expect(applicant.get_by_role("heading", level=1)).to_have_text("参加申込の修正")
        expect(applicant.locator(".notice")).to_contain_text(application.reference)
        expect(applicant.locator(".notice")).to_contain_text("所在地を番地まで記入してください。")
        expect(applicant.locator("#id_name")).to_have_value("一般社団法人サンプル")
        self.assert_accessible(applicant)
        applicant.locator("#id_address").fill("藤沢市藤沢1-1-1")
        applicant.get_by_role("button", name="修正して再提出する").click()
        applicant.wait_for_url(re.compile(r"/apply/thanks/(#.*)?$"))
        expect(applicant.locator(".reference")).to_contain_text(application.reference)

        application.refresh_from_db()
        self.assertEqual(application.status, MembershipApplication.Status.SUBMITTED)
        self.assertEqual(application.address, "藤沢市藤沢1-1-1")
        mail.outbox.clear()
        run_tasks()
        self.assertEqual(len(self.mails_to("taro@example.org")), 1)

        # The link works only while changes are requested.
        applicant.goto(link)
        expect(applicant.get_by_role("heading", level=1)).to_have_text("この申込は修正できません")
        self.assert_accessible(applicant)
        self.assert_no_console_errors()
