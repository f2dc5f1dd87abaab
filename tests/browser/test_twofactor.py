"""A municipality officer sets up two-factor sign-in on a phone at the first sign-in (the
secret typed from the page, a real TOTP code computed from it), keeps the recovery codes,
then signs in again with a code: every page accessible and no wider than the phone."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django.core.cache import cache
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.browser.base import BrowserTestCase, require_chromium
from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.geo.models import Municipality
from tsunagari.test import PASSWORD

require_chromium()
pytestmark = pytest.mark.browser


def assert_fits(test: BrowserTestCase, page: object) -> None:
    width = page.evaluate(  # type: ignore[attr-defined]
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    test.assertLessEqual(width[0], width[1], f"wider than the phone: {width}")


def code_from_secret(secret: str, at: float | None = None) -> str:
    """What an authenticator app shows for a secret typed by hand (RFC 6238, 30 s steps)."""
    plain = secret.replace(" ", "")
    app = TOTP(b32decode(plain + "=" * (-len(plain) % 8)))
    app.time = time.time() if at is None else at
    return f"{app.token():06d}"


@pytest.mark.browser
class TwoFactorOnAPhoneTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)
        self.officer = factory.make_user(
            "fujisawa@example.jp",
            User.Role.MUNICIPALITY,
            municipality=Municipality.objects.get(code="142051"),
            full_name="藤沢 担当",
        )

    def password(self, page: object) -> None:
        self.visit(page, "/accounts/login/")
        page.locator("#id_username").fill("fujisawa@example.jp")  # type: ignore[attr-defined]
        page.locator("#id_password").fill(PASSWORD)  # type: ignore[attr-defined]
        page.get_by_role("main").get_by_role("button", name="ログイン").click()  # type: ignore[attr-defined]

    def test_an_officer_sets_it_up_then_signs_in_with_a_code(self) -> None:
        page = self.new_page()
        self.password(page)
        page.wait_for_url(re.compile(r"/accounts/2fa/setup/"))
        expect(page.get_by_role("heading", name="2段階認証の設定", level=1)).to_be_visible()
        expect(page.get_by_role("img", name="認証アプリに読み取らせるQRコード")).to_be_visible()
        self.assert_accessible(page)
        assert_fits(self, page)

        secret = page.locator("#secret-key").inner_text()
        self.assertRegex(secret, r"^[A-Z2-7]{4}( [A-Z2-7]{4})+$")
        page.get_by_label("確認コード（6桁）").fill(code_from_secret(secret))
        page.get_by_role("button", name="設定を完了する").click()

        page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/"))
        codes = page.locator(".recovery-codes code").all_inner_texts()
        self.assertEqual(len(codes), 10)
        expect(page.get_by_role("button", name="印刷する")).to_be_visible()
        self.assert_accessible(page)
        assert_fits(self, page)
        with page.expect_download() as download:
            page.get_by_role("link", name="テキストファイルで保存する").click()
        with open(download.value.path(), encoding="utf-8") as saved:
            text = saved.read()
        for code in codes:
            self.assertIn(code, text)
        page.get_by_role("button", name="保管しました（次へ）").click()
        page.wait_for_url(re.compile(r"/my/$"))
        expect(page.get_by_role("heading", name="藤沢市の担当者として")).to_be_visible()

        # The next sign-in asks for the code the app shows then.
        page.get_by_role("button", name="ログアウト").first.click()
        page.wait_for_url(re.compile(r"/$"))
        self.password(page)
        page.wait_for_url(re.compile(r"/accounts/2fa/verify/"))
        field = page.get_by_label("確認コード（6桁）")
        self.assertEqual(field.get_attribute("autocomplete"), "one-time-code")
        self.assertEqual(field.get_attribute("inputmode"), "numeric")
        self.assert_accessible(page)
        assert_fits(self, page)

        field.fill("000000" if code_from_secret(secret) != "000000" else "111111")
        page.get_by_role("button", name="確認する").click()
        expect(page.get_by_role("alert")).to_contain_text("コードが正しくありません")
        self.assert_accessible(page)
        assert_fits(self, page)

        # The next time step's code (the set-up used this one), after the short delay a
        # wrong code sets; typed with full-width digits and a space, as a phone might.
        time.sleep(1.2)
        code = code_from_secret(secret, at=time.time() + 30)
        typed = " ".join(chr(ord(c) + 0xFEE0) for c in code)
        page.get_by_label("確認コード（6桁）").fill(typed)
        page.get_by_role("button", name="確認する").click()
        page.wait_for_url(re.compile(r"/my/$"))
        # Nothing went wrong in the browser but the wrong code's answer (400, as meant).
        self.console_errors = [e for e in self.console_errors if "400 (Bad Request)" not in e]
        self.assert_no_console_errors()

    def test_a_recovery_code_opens_the_way_on_a_phone(self) -> None:
        from tsunagari.test import give_authenticator
        from tsunagari.twofactor import services

        give_authenticator(self.officer)
        codes = services.new_recovery_codes(self.officer)
        page = self.new_page()
        self.password(page)
        page.wait_for_url(re.compile(r"/accounts/2fa/verify/"))
        page.get_by_text("認証アプリを使えないとき（回復コードを使う）").click()
        page.get_by_label("回復コード").fill(services.format_recovery_code(codes[0]))
        page.get_by_role("button", name="回復コードで確認する").click()
        page.wait_for_url(re.compile(r"/my/$"))
        expect(page.get_by_role("status")).to_contain_text("残りは9個です")
        self.assert_accessible(page)
