"""Guessing codes is limited; recovery codes work once; staff may turn it on and off; the
secretariat resets a lost phone (audited)."""

from __future__ import annotations

import re

from django.test import Client, override_settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tsunagari.audit.models import AuditEvent
from tsunagari.test import give_authenticator, sign_in, totp_code
from tsunagari.twofactor import services
from tsunagari.twofactor.tests.test_sign_in import VERIFY, TwoFactorTestCase

LIMITED = "確認コードの入力に続けて失敗したため、しばらく入力できません。"


def wrong(code: str) -> str:
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


class GuessingTestCase(TwoFactorTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.device = give_authenticator(self.officer)

    def test_the_device_waits_longer_after_each_wrong_code(self) -> None:
        """django-otp's delay: right after a wrong code even the right one must wait."""
        self.password_sign_in(self.officer)
        right = totp_code(self.device)
        self.assertEqual(self.enter_code(wrong(right)).status_code, 400)
        r = self.enter_code(right)
        self.assertContains(r, "秒待ってから入力してください", status_code=429)
        self.device.refresh_from_db()
        self.assertEqual(self.device.throttling_failure_count, 1)

    @override_settings(OTP_TOTP_THROTTLE_FACTOR=0, TWOFACTOR_ACCOUNT_LIMIT=5)
    def test_an_account_gets_a_limited_number_of_codes(self) -> None:
        self.password_sign_in(self.officer)
        right = totp_code(self.device)
        for _ in range(5):
            self.assertEqual(self.enter_code(wrong(right)).status_code, 400)
        r = self.enter_code(right)
        self.assertContains(r, LIMITED, status_code=429)
        self.assertRedirects(self.client.get("/my/"), VERIFY + "?next=%2Fmy%2F")
        # Another session of the same account (another thief's browser) is limited too.
        other = Client()
        self.password_sign_in(self.officer, other)
        self.assertEqual(other.post(VERIFY, {"app-code": right}).status_code, 429)

    @override_settings(OTP_TOTP_THROTTLE_FACTOR=0, TWOFACTOR_ACCOUNT_LIMIT=5)
    def test_the_limit_ends_with_its_window(self) -> None:
        self.password_sign_in(self.officer)
        right = totp_code(self.device)
        for _ in range(6):
            self.enter_code(wrong(right))
        from unittest import mock

        later = services.time.time() + 15 * 60
        with mock.patch.object(services.time, "time", return_value=later):
            self.assertRedirects(self.enter_code(totp_code(self.device)), "/my/")

    @override_settings(
        OTP_TOTP_THROTTLE_FACTOR=0, TWOFACTOR_ACCOUNT_LIMIT=100, TWOFACTOR_NETWORK_LIMIT=6
    )
    def test_one_network_gets_a_limited_number_of_codes_across_accounts(self) -> None:
        secretariat_device = give_authenticator(self.secretariat)
        self.password_sign_in(self.officer)
        for _ in range(3):
            self.enter_code(wrong(totp_code(self.device)))
        self.client = Client()
        self.password_sign_in(self.secretariat)
        for _ in range(3):
            self.assertEqual(self.enter_code(wrong(totp_code(secretariat_device))).status_code, 400)
        r = self.enter_code(totp_code(secretariat_device))
        self.assertContains(r, LIMITED, status_code=429)

    @override_settings(OTP_TOTP_THROTTLE_FACTOR=0, TWOFACTOR_ACCOUNT_LIMIT=3)
    def test_right_codes_do_not_count_against_the_limit(self) -> None:
        for _ in range(5):
            client = Client()
            self.password_sign_in(self.officer, client)
            r = client.post(VERIFY, {"app-code": totp_code(self.device)})
            self.assertRedirects(r, "/my/", fetch_redirect_response=False)
            self.device.last_t = -1  # the next sign-in may use the same time step
            self.device.save()

    @override_settings(
        OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0, TWOFACTOR_ACCOUNT_LIMIT=5
    )
    def test_recovery_codes_count_against_the_same_limit(self) -> None:
        services.new_recovery_codes(self.officer)
        self.password_sign_in(self.officer)
        for _ in range(5):
            r = self.client.post(VERIFY, {"recovery-recovery_code": "aaaa-bbbb"})
            self.assertEqual(r.status_code, 400)
        r = self.client.post(VERIFY, {"recovery-recovery_code": "aaaa-cccc"})
        self.assertContains(r, LIMITED, status_code=429)


class RecoveryCodeTestCase(TwoFactorTestCase):
    def setUp(self) -> None:
        super().setUp()
        give_authenticator(self.secretariat)
        self.codes = services.new_recovery_codes(self.secretariat)

    def test_a_recovery_code_works_once(self) -> None:
        self.password_sign_in(self.secretariat)
        typed = services.format_recovery_code(self.codes[0]).upper()  # as printed, in capitals
        r = self.client.post(VERIFY, {"recovery-recovery_code": typed})
        self.assertRedirects(r, "/my/", fetch_redirect_response=False)
        self.assertContains(self.client.get("/my/"), "回復コードを使いました。残りは9個です。")

        self.client = Client()
        self.password_sign_in(self.secretariat)
        r = self.client.post(VERIFY, {"recovery-recovery_code": typed})
        self.assertContains(r, "コードが正しくありません", status_code=400)
        self.assertEqual(services.remaining_recovery_codes(self.secretariat), 9)

    def test_a_full_width_recovery_code_is_accepted(self) -> None:
        self.password_sign_in(self.secretariat)
        typed = "".join(chr(ord(c) + 0xFEE0) for c in self.codes[1])
        r = self.client.post(VERIFY, {"recovery-recovery_code": typed})
        self.assertRedirects(r, "/my/", fetch_redirect_response=False)

    def test_new_recovery_codes_replace_the_old_ones(self) -> None:
        sign_in(self.client, self.secretariat)
        r = self.client.post("/accounts/2fa/recovery-codes/new/")
        self.assertRedirects(
            r,
            "/accounts/2fa/recovery-codes/?next=%2Faccounts%2F2fa%2F",
            fetch_redirect_response=False,
        )
        page = self.client.get(r["Location"]).content.decode()
        new = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", page)
        self.assertEqual(len(new), 10)

        old = Client()
        self.password_sign_in(self.secretariat, old)
        r = old.post(VERIFY, {"recovery-recovery_code": self.codes[2]})
        self.assertEqual(r.status_code, 400)
        r = old.post(VERIFY, {"recovery-recovery_code": new[0]})
        self.assertEqual(r.status_code, 429)  # django-otp's delay after the wrong one
        StaticDevice.objects.filter(user=self.secretariat).update(throttling_failure_count=0)
        r = old.post(VERIFY, {"recovery-recovery_code": new[0]})
        self.assertRedirects(r, "/my/", fetch_redirect_response=False)

    def test_the_settings_page_counts_the_codes_left(self) -> None:
        sign_in(self.client, self.secretariat)
        r = self.client.get("/accounts/2fa/")
        self.assertContains(r, "使える回復コードは残り10個です。")
        self.assertContains(r, "事務局・市町村担当者のアカウントでは2段階認証を解除できません。")


class StaffChoiceTestCase(TwoFactorTestCase):
    def test_staff_turn_it_on_from_their_page(self) -> None:
        sign_in(self.client, self.staff)
        self.assertContains(self.client.get("/accounts/2fa/"), "2段階認証を設定する")
        r = self.client.get("/accounts/2fa/setup/")
        device = self.scanned_secret(r)
        r = self.enter_code(totp_code(device), "/accounts/2fa/setup/")
        self.assertEqual(r.status_code, 302)
        self.assertContains(self.client.get("/accounts/2fa/"), "2段階認証は有効です。")
        # From now on they enter a code after the password.
        other = Client()
        self.password_sign_in(self.staff, other)
        self.assertRedirects(other.get("/my/"), VERIFY + "?next=%2Fmy%2F")

    def test_staff_turn_it_off_with_a_current_code(self) -> None:
        device = give_authenticator(self.staff)
        sign_in(self.client, self.staff)
        r = self.client.post("/accounts/2fa/disable/", {"app-code": wrong(totp_code(device))})
        self.assertEqual(r.status_code, 400)
        self.assertTrue(TOTPDevice.objects.filter(user=self.staff))
        device.throttling_failure_count = 0
        device.save()
        r = self.client.post("/accounts/2fa/disable/", {"app-code": totp_code(device)})
        self.assertRedirects(r, "/accounts/2fa/")
        self.assertFalse(TOTPDevice.objects.filter(user=self.staff))
        self.assertTrue(
            AuditEvent.objects.filter(object_id=str(self.staff.pk), note="2段階認証を解除")
        )
        self.assertEqual(self.client.get("/my/").status_code, 200)

    def test_officers_cannot_turn_it_off(self) -> None:
        sign_in(self.client, self.officer)
        device = services.totp_device(self.officer)
        assert device is not None
        r = self.client.post("/accounts/2fa/disable/", {"app-code": totp_code(device)})
        self.assertEqual(r.status_code, 404)
        self.assertTrue(TOTPDevice.objects.filter(user=self.officer))

    def test_a_new_phone_replaces_the_old_app(self) -> None:
        sign_in(self.client, self.officer)
        old = services.totp_device(self.officer)
        r = self.client.get("/accounts/2fa/setup/")
        self.assertContains(r, "前の認証アプリと回復コードは使えなくなります")
        new = TOTPDevice.objects.get(user=self.officer, confirmed=False)
        r = self.enter_code(totp_code(new), "/accounts/2fa/setup/")
        self.assertEqual(r.status_code, 302)
        assert old is not None
        self.assertFalse(TOTPDevice.objects.filter(pk=old.pk))
        self.assertEqual(self.client.get("/my/").status_code, 200)


class ResetTestCase(TwoFactorTestCase):
    def test_the_secretariat_resets_a_lost_phone_and_it_is_audited(self) -> None:
        give_authenticator(self.officer)
        services.new_recovery_codes(self.officer)
        lost = Client()
        sign_in(lost, self.officer)  # the officer's old session, still open somewhere

        sign_in(self.client, self.secretariat)
        page = self.client.get(f"/accounts/users/{self.officer.pk}/")
        self.assertContains(page, "2段階認証をリセットする")
        r = self.client.post(f"/accounts/2fa/reset/{self.officer.pk}/")
        self.assertRedirects(r, f"/accounts/users/{self.officer.pk}/")
        self.assertFalse(TOTPDevice.objects.filter(user=self.officer))
        self.assertFalse(StaticDevice.objects.filter(user=self.officer))
        event = AuditEvent.objects.get(object_id=str(self.officer.pk), note="2段階認証をリセット")
        self.assertEqual(event.actor, self.secretariat)
        self.assertEqual(event.object_type, "accounts.user")
        # The old session must pass the second factor again: set it up anew.
        self.assertRedirects(lost.get("/my/"), "/accounts/2fa/setup/?next=%2Fmy%2F")

    def test_only_the_secretariat_may_reset(self) -> None:
        give_authenticator(self.staff)
        for person in (self.officer, self.other_staff):
            client = Client()
            sign_in(client, person)
            self.assertEqual(client.post(f"/accounts/2fa/reset/{self.staff.pk}/").status_code, 403)
        self.assertTrue(TOTPDevice.objects.filter(user=self.staff))

    def test_nobody_resets_their_own(self) -> None:
        sign_in(self.client, self.secretariat)
        r = self.client.post(f"/accounts/2fa/reset/{self.secretariat.pk}/", follow=True)
        self.assertContains(r, "自分の2段階認証はリセットできません")
        self.assertTrue(TOTPDevice.objects.filter(user=self.secretariat))
