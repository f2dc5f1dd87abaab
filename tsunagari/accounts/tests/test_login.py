from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import override_settings
from django.utils import timezone

from tsunagari.accounts.models import LoginFailure, User
from tsunagari.test import PASSWORD, BaseTestCase

LOCKED = "ログインの失敗が続いたため、このアカウントは一時的にロックされています。"
WRONG = "メールアドレスまたはパスワードが正しくありません。"


@override_settings(LOGIN_FAILURE_LIMIT=5, LOGIN_LOCKOUT_MINUTES=15)
class LoginTestCase(BaseTestCase):
    url = "/accounts/login/"

    def sign_in(self, email: str, password: str = PASSWORD) -> Any:
        return self.client.post(self.url, {"username": email, "password": password})

    def fail_to_sign_in(self, email: str, times: int) -> None:
        for _ in range(times):
            r = self.sign_in(email, "wrong-password")
            self.assertEqual(r.status_code, 200)

    def signed_in_user(self) -> User | None:
        r = self.client.get("/my/")
        return r.context["user"] if r.status_code == 200 else None

    def test_it_shows_the_form_in_japanese(self) -> None:
        r = self.client.get(self.url)
        self.assertContains(r, "メールアドレス")
        self.assertContains(r, "パスワードを忘れた方")

    def test_it_signs_in_with_email_and_password(self) -> None:
        r = self.sign_in("staff@example.jp")
        self.assertRedirects(r, "/my/")
        self.assertEqual(self.signed_in_user(), self.staff)

    def test_it_follows_next_after_signing_in(self) -> None:
        r = self.client.post(
            self.url + "?next=/my/organization/",
            {"username": "staff@example.jp", "password": PASSWORD, "next": "/my/organization/"},
        )
        self.assertRedirects(r, "/my/organization/")

    def test_the_email_is_case_insensitive(self) -> None:
        r = self.sign_in("Staff@Example.JP")
        self.assertRedirects(r, "/my/")
        self.assertEqual(self.signed_in_user(), self.staff)

    def test_a_full_width_email_is_accepted(self) -> None:
        r = self.sign_in("ｓｔａｆｆ＠ｅｘａｍｐｌｅ．ｊｐ")
        self.assertRedirects(r, "/my/")
        self.assertEqual(self.signed_in_user(), self.staff)

    def test_a_full_width_upper_case_email_with_spaces_is_accepted(self) -> None:
        r = self.sign_in("　ＳＴＡＦＦ＠ＥＸＡＭＰＬＥ．ＪＰ　")
        self.assertRedirects(r, "/my/")

    def test_a_wrong_password_gives_the_japanese_error(self) -> None:
        r = self.sign_in("staff@example.jp", "wrong-password")
        self.assertContains(r, WRONG)
        self.assertIsNone(self.signed_in_user())

    def test_an_unknown_address_gives_the_same_error(self) -> None:
        r = self.sign_in("nobody@example.jp")
        self.assertContains(r, WRONG)

    def test_an_inactive_account_cannot_sign_in(self) -> None:
        User.objects.filter(pk=self.staff.pk).update(is_active=False)
        r = self.sign_in("staff@example.jp")
        self.assertEqual(r.status_code, 200)
        self.assertIsNone(self.signed_in_user())

    def test_four_failures_do_not_lock(self) -> None:
        self.fail_to_sign_in("staff@example.jp", 4)
        r = self.sign_in("staff@example.jp")
        self.assertRedirects(r, "/my/")

    def test_it_locks_an_address_after_five_failures(self) -> None:
        self.fail_to_sign_in("staff@example.jp", 5)
        r = self.sign_in("staff@example.jp")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, LOCKED)
        self.assertContains(r, "15分ほど待ってからお試しください。")
        self.assertNotContains(r, WRONG)
        self.assertIsNone(self.signed_in_user())

    def test_the_lock_applies_to_every_spelling_of_the_address(self) -> None:
        self.fail_to_sign_in("STAFF@example.jp", 3)
        self.fail_to_sign_in("ｓｔａｆｆ＠ｅｘａｍｐｌｅ．ｊｐ", 2)
        r = self.sign_in("staff@example.jp")
        self.assertContains(r, LOCKED)

    @override_settings(LOGIN_FAILURE_LIMIT=3)
    def test_the_limit_comes_from_the_settings(self) -> None:
        self.fail_to_sign_in("staff@example.jp", 3)
        self.assertContains(self.sign_in("staff@example.jp"), LOCKED)

    def test_the_lock_lifts_after_the_lockout_period(self) -> None:
        self.fail_to_sign_in("staff@example.jp", 5)
        LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=16))
        r = self.sign_in("staff@example.jp")
        self.assertRedirects(r, "/my/")

    def test_the_lock_holds_just_before_the_period_ends(self) -> None:
        self.fail_to_sign_in("staff@example.jp", 5)
        LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=14))
        self.assertContains(self.sign_in("staff@example.jp"), LOCKED)

    def test_a_success_clears_the_failures(self) -> None:
        self.fail_to_sign_in("staff@example.jp", 4)
        self.assertRedirects(self.sign_in("staff@example.jp"), "/my/")
        self.client.logout()
        self.fail_to_sign_in("staff@example.jp", 4)
        self.assertRedirects(self.sign_in("staff@example.jp"), "/my/")

    def test_another_address_is_not_affected(self) -> None:
        self.fail_to_sign_in("staff@example.jp", 5)
        r = self.sign_in("other@example.jp")
        self.assertRedirects(r, "/my/")
        self.assertEqual(self.signed_in_user(), self.other_staff)

    def test_failures_are_recorded_without_the_password(self) -> None:
        self.fail_to_sign_in("Staff@Example.jp", 1)
        failure = LoginFailure.objects.get()
        self.assertEqual(failure.email, "staff@example.jp")
        self.assertNotIn("wrong-password", str(failure.__dict__))

    def test_passwords_are_stored_with_argon2(self) -> None:
        self.staff.refresh_from_db()
        self.assertTrue(self.staff.password.startswith("argon2"))
        self.assertNotIn(PASSWORD, self.staff.password)

    def test_a_signed_in_user_is_sent_on_to_the_dashboard(self) -> None:
        self.login(self.staff)
        self.assertRedirects(self.client.get(self.url), "/my/")

    def test_logout_signs_out(self) -> None:
        self.login(self.staff)
        r = self.client.post("/accounts/logout/")
        self.assertRedirects(r, "/")
        self.assertIsNone(self.signed_in_user())

    def test_expired_failures_are_forgotten(self) -> None:
        self.fail_to_sign_in("old@example.jp", 2)
        LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=16))
        self.fail_to_sign_in("staff@example.jp", 1)
        self.assertEqual(
            list(LoginFailure.objects.values_list("email", flat=True)), ["staff@example.jp"]
        )
