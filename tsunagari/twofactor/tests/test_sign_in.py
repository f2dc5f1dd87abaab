"""Signing in with a second factor, for each capacity: the secretariat and officers must
set it up at their first sign-in and pass it at every later one; member staff may."""

from __future__ import annotations

import re
from typing import Any

from django.core.cache import cache
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent
from tsunagari.test import PASSWORD, MultiRoleTestCase, give_authenticator, totp_code

SETUP = "/accounts/2fa/setup/"
VERIFY = "/accounts/2fa/verify/"


class TwoFactorTestCase(MultiRoleTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()  # the code limits count in the cache
        self.addCleanup(cache.clear)

    def password_sign_in(self, user: User, client: Client | None = None, **extra: Any) -> Any:
        client = client or self.client
        return client.post(
            "/accounts/login/", {"username": user.email, "password": PASSWORD, **extra}
        )

    def enter_code(self, code: str, url: str = VERIFY, **extra: Any) -> Any:
        return self.client.post(url, {"app-code": code, **extra})

    def scanned_secret(self, response: Any) -> TOTPDevice:
        """The device whose secret the set-up page shows (as the phone would read it)."""
        shown = re.search(r'id="secret-key"[^>]*>([A-Z2-7 ]+)<', response.content.decode())
        assert shown is not None
        from base64 import b32decode

        key = b32decode(shown.group(1).replace(" ", "") + "=" * 0)
        device = TOTPDevice.objects.get(user__email=response.wsgi_request.user.email)
        self.assertEqual(device.bin_key, key)
        return device


class FirstSignInTestCase(TwoFactorTestCase):
    def test_the_secretariat_must_set_it_up_before_any_page(self) -> None:
        r = self.password_sign_in(self.secretariat)
        self.assertRedirects(r, "/my/", fetch_redirect_response=False)
        r = self.client.get("/my/")
        self.assertRedirects(r, SETUP + "?next=%2Fmy%2F")
        r = self.client.get("/secretariat/applications/")
        self.assertRedirects(r, SETUP + "?next=%2Fsecretariat%2Fapplications%2F")

    def test_an_officer_sets_it_up_with_the_qr_code_then_keeps_the_recovery_codes(self) -> None:
        self.password_sign_in(self.officer)
        r = self.client.get(SETUP + "?next=/gaps/")
        self.assertContains(r, "2段階認証の設定")
        self.assertContains(r, '<svg role="img" aria-labelledby="qr-title"')
        self.assertContains(r, 'autocomplete="one-time-code"')
        self.assertContains(r, 'inputmode="numeric"')
        self.assertNotContains(r, "<script>")
        device = self.scanned_secret(r)
        self.assertFalse(device.confirmed)

        r = self.enter_code(totp_code(device), SETUP, next="/gaps/")
        self.assertRedirects(
            r, "/accounts/2fa/recovery-codes/?next=%2Fgaps%2F", fetch_redirect_response=False
        )
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        r = self.client.get(r["Location"])
        codes = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", r.content.decode())
        self.assertEqual(len(codes), 10)
        self.assertEqual(len(set(codes)), 10)
        # Stored as keyed hashes, never as typed.
        stored = set(StaticToken.objects.values_list("token", flat=True))
        self.assertFalse({c.replace("-", "") for c in codes} & stored)

        download = self.client.get("/accounts/2fa/recovery-codes/download/")
        self.assertEqual(download["Content-Type"], "text/plain; charset=utf-8")
        self.assertIn("attachment", download["Content-Disposition"])
        for code in codes:
            self.assertIn(code, download.content.decode())

        # Saying they kept them: on to where they were going; the codes are shown no more.
        r = self.client.post("/accounts/2fa/recovery-codes/", {"next": "/gaps/"})
        self.assertRedirects(r, "/gaps/")
        self.assertRedirects(self.client.get("/accounts/2fa/recovery-codes/"), "/accounts/2fa/")
        self.assertEqual(self.client.get("/accounts/2fa/recovery-codes/download/").status_code, 404)
        self.assertTrue(
            AuditEvent.objects.filter(object_id=str(self.officer.pk), note="2段階認証を設定")
        )

    def test_a_wrong_code_does_not_finish_the_set_up(self) -> None:
        self.password_sign_in(self.officer)
        device = self.scanned_secret(self.client.get(SETUP))
        right = totp_code(device)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        r = self.enter_code(wrong, SETUP)
        self.assertContains(r, "コードが正しくありません", status_code=400)
        device.refresh_from_db()
        self.assertFalse(device.confirmed)
        self.assertRedirects(self.client.get("/my/"), SETUP + "?next=%2Fmy%2F")

    def test_the_set_up_page_keeps_one_secret_until_it_is_confirmed(self) -> None:
        self.password_sign_in(self.officer)
        first = self.scanned_secret(self.client.get(SETUP))
        again = self.scanned_secret(self.client.get(SETUP))
        self.assertEqual(first.pk, again.pk)

    def test_member_staff_are_not_asked(self) -> None:
        r = self.password_sign_in(self.staff)
        self.assertRedirects(r, "/my/")
        self.assertEqual(self.client.get("/my/organization/").status_code, 200)
        self.assertContains(self.client.get("/my/"), "2段階認証の設定")

    def test_someone_who_is_also_an_officer_must_set_it_up(self) -> None:
        self.password_sign_in(self.officer_staff)
        self.assertRedirects(self.client.get("/my/"), SETUP + "?next=%2Fmy%2F")

    def test_staff_given_an_officer_capacity_must_set_it_up_at_their_next_page(self) -> None:
        self.password_sign_in(self.staff)
        self.assertEqual(self.client.get("/my/").status_code, 200)
        self.staff.assignments.create(municipality=self.municipality)
        self.assertRedirects(self.client.get("/my/"), SETUP + "?next=%2Fmy%2F")

    def test_an_invited_officer_sets_a_password_then_the_second_factor(self) -> None:
        from tsunagari.accounts.services import invitation_path

        invited = User.objects.create_user(
            "new-officer@example.org", full_name="新任", municipality=self.municipality
        )
        r = self.client.get(invitation_path(invited), follow=True)
        new_password = "a-long-new-password-42"
        r = self.client.post(
            r.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
        )
        self.assertRedirects(
            r, "/accounts/invitation/done/", target_status_code=302, fetch_redirect_response=True
        )
        self.assertRedirects(
            self.client.get("/accounts/invitation/done/"),
            SETUP + "?next=%2Faccounts%2Finvitation%2Fdone%2F",
        )


class LaterSignInTestCase(TwoFactorTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.device = give_authenticator(self.secretariat)

    def test_the_secretariat_enters_a_code_after_the_password(self) -> None:
        self.password_sign_in(self.secretariat)
        r = self.client.get("/secretariat/applications/")
        self.assertRedirects(r, VERIFY + "?next=%2Fsecretariat%2Fapplications%2F")
        r = self.client.get(r["Location"])
        self.assertContains(r, 'autocomplete="one-time-code"')
        r = self.enter_code(totp_code(self.device), next="/secretariat/applications/")
        self.assertRedirects(r, "/secretariat/applications/")
        self.assertEqual(self.client.get("/accounts/users/").status_code, 200)

    def test_passing_it_gives_a_new_session_key(self) -> None:
        self.password_sign_in(self.secretariat)
        before = self.client.cookies["sessionid"].value
        self.enter_code(totp_code(self.device))
        self.assertNotEqual(self.client.cookies["sessionid"].value, before)

    def test_a_code_with_full_width_digits_and_spaces_is_accepted(self) -> None:
        self.password_sign_in(self.secretariat)
        code = totp_code(self.device)
        typed = "　" + " ".join(chr(ord(c) + 0xFEE0) for c in code[:3]) + " " + code[3:] + " "
        r = self.enter_code(typed)
        self.assertRedirects(r, "/my/")

    def test_a_code_is_accepted_only_once(self) -> None:
        self.password_sign_in(self.secretariat)
        code = totp_code(self.device)
        self.assertRedirects(self.enter_code(code), "/my/")
        other = Client()
        self.password_sign_in(self.secretariat, other)
        r = other.post(VERIFY, {"app-code": code})
        self.assertEqual(r.status_code, 400)

    def test_a_wrong_code_is_refused(self) -> None:
        self.password_sign_in(self.secretariat)
        right = totp_code(self.device)
        r = self.enter_code(f"{(int(right) + 500_000) % 1_000_000:06d}")
        self.assertContains(r, "コードが正しくありません", status_code=400)
        self.assertRedirects(self.client.get("/my/"), VERIFY + "?next=%2Fmy%2F")

    def test_something_that_is_not_a_code_is_refused_without_a_500(self) -> None:
        self.password_sign_in(self.secretariat)
        for typed in ("", "abc", "1" * 41, "１２３", "12345６7", "<script>", "\x00"):
            with self.subTest(typed=typed):
                r = self.enter_code(typed)
                self.assertEqual(r.status_code, 400)

    def test_a_password_reset_does_not_skip_the_second_factor(self) -> None:
        """Someone who can read the officer's mail still needs their phone."""
        from tsunagari.accounts.services import invitation_path

        r = self.client.get(invitation_path(self.secretariat), follow=True)
        new_password = "a-long-new-password-42"
        self.client.post(
            r.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
        )
        self.assertRedirects(
            self.client.get("/accounts/users/"), VERIFY + "?next=%2Faccounts%2Fusers%2F"
        )

    def test_setting_up_a_new_app_needs_the_second_factor_first(self) -> None:
        """A stolen password cannot replace the owner's app with the thief's."""
        self.password_sign_in(self.secretariat)
        r = self.client.get(SETUP)
        self.assertRedirects(r, VERIFY + "?next=%2Fmy%2F")
        self.assertFalse(TOTPDevice.objects.filter(user=self.secretariat, confirmed=False))

    def test_staff_who_chose_it_enter_a_code_too(self) -> None:
        device = give_authenticator(self.staff)
        self.password_sign_in(self.staff)
        self.assertRedirects(
            self.client.get("/my/organization/"), VERIFY + "?next=%2Fmy%2Forganization%2F"
        )
        self.assertRedirects(
            self.enter_code(totp_code(device), next="/my/organization/"), "/my/organization/"
        )

    def test_signing_out_is_possible_before_the_code(self) -> None:
        self.password_sign_in(self.secretariat)
        r = self.client.post("/accounts/logout/")
        self.assertRedirects(r, "/")
        self.assertRedirects(self.client.get("/my/"), "/accounts/login/?next=/my/")

    def test_next_must_stay_on_the_site(self) -> None:
        self.password_sign_in(self.secretariat)
        r = self.enter_code(totp_code(self.device), next="https://evil.example/")
        self.assertRedirects(r, "/my/")
