from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from django.core.cache import cache
from django.test import override_settings

from tsunagari.accounts.models import User
from tsunagari.test import PASSWORD, BaseTestCase

LOCKED = "ログインの失敗が続いたため、このアカウントは一時的にロックされています。"
NETWORK = "この接続からのログインの失敗が続いたため、一時的にログインを止めています。"
WRONG = "メールアドレスまたはパスワードが正しくありません。"
HERE = "127.0.0.1"  # the test client's address


@contextmanager
def later(seconds: float) -> Iterator[None]:
    """The clock (and with it the cache's expiry) moved `seconds` on."""
    real = time.time
    with mock.patch("time.time", side_effect=lambda: real() + seconds):
        yield


@override_settings(
    LOGIN_FAILURE_LIMIT=5,
    LOGIN_LOCKOUT_MINUTES=15,
    LOGIN_NETWORK_FAILURE_LIMIT=20,
    LOGIN_BACKOFF_SECONDS=30,
)
class LoginTestCase(BaseTestCase):
    url = "/accounts/login/"

    def sign_in(self, email: str, password: str = PASSWORD, network: str = HERE) -> Any:
        return self.client.post(
            self.url, {"username": email, "password": password}, REMOTE_ADDR=network
        )

    def fail_to_sign_in(self, email: str, times: int, network: str = HERE) -> None:
        for _ in range(times):
            r = self.sign_in(email, "wrong-password", network)
            self.assertEqual(r.status_code, 200)
            self.assertContains(r, WRONG)

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
        with later(16 * 60):
            r = self.sign_in("staff@example.jp")
        self.assertRedirects(r, "/my/")

    def test_the_lock_holds_just_before_the_period_ends(self) -> None:
        self.fail_to_sign_in("staff@example.jp", 5)
        with later(14 * 60):
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

    def test_failures_are_counted_without_the_address_the_network_or_the_password(self) -> None:
        self.fail_to_sign_in("Staff@Example.jp", 1)
        stored = str(cache._cache)  # type: ignore[attr-defined]  # locmem's own dict
        self.assertIn("login:", stored)
        for secret in ("staff@example.jp", "Staff@Example.jp", HERE, "wrong-password"):
            self.assertNotIn(secret, stored)

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

    def test_an_unknown_address_is_locked_the_same_so_nothing_tells_it_apart(self) -> None:
        self.fail_to_sign_in("nobody@example.jp", 5)
        self.assertContains(self.sign_in("nobody@example.jp"), LOCKED)

    def test_failures_from_another_network_do_not_lock_the_owner_out(self) -> None:
        # Someone elsewhere tries five passwords: that network may not try again...
        self.fail_to_sign_in("staff@example.jp", 5, network="203.0.113.9")
        self.assertContains(self.sign_in("staff@example.jp", network="203.0.113.9"), LOCKED)
        # ...and the account waits a short delay, said on the page, with nothing checked.
        r = self.sign_in("staff@example.jp")
        self.assertContains(r, LOCKED)
        self.assertContains(r, "1分ほど待ってからお試しください。")
        # After the delay the owner, from their own network, signs in.
        with later(31):
            self.assertRedirects(self.sign_in("staff@example.jp"), "/my/")

    def test_guesses_from_many_networks_get_one_try_per_growing_delay(self) -> None:
        for n in range(5):
            self.fail_to_sign_in("staff@example.jp", 1, network=f"198.51.100.{n}")
        self.assertContains(self.sign_in("staff@example.jp", "guess", "192.0.2.1"), LOCKED)
        with later(31):
            # One try after 30 seconds; it fails, and the next waits 60.
            self.assertContains(self.sign_in("staff@example.jp", "guess", "192.0.2.2"), WRONG)
            self.assertContains(self.sign_in("staff@example.jp", "guess", "192.0.2.3"), LOCKED)
        with later(31 + 55):
            self.assertContains(self.sign_in("staff@example.jp", network="192.0.2.4"), LOCKED)
        with later(31 + 61):
            self.assertRedirects(self.sign_in("staff@example.jp", network="192.0.2.4"), "/my/")

    def test_one_password_across_many_accounts_from_one_network_is_stopped(self) -> None:
        for n in range(20):
            self.fail_to_sign_in(f"person{n}@example.jp", 1, network="203.0.113.9")
        r = self.sign_in("staff@example.jp", network="203.0.113.9")
        self.assertContains(r, NETWORK)
        self.assertContains(r, "15分ほど待ってからお試しください。")
        self.assertIsNone(self.signed_in_user())
        # What was typed stays (the address; never the password).
        self.assertContains(r, 'value="staff@example.jp"')
        self.assertNotContains(r, PASSWORD)
        # Another network is not affected.
        self.assertRedirects(self.sign_in("staff@example.jp"), "/my/")

    def test_successful_sign_ins_from_a_shared_network_do_not_count(self) -> None:
        for _ in range(25):
            self.assertRedirects(self.sign_in("staff@example.jp", network="203.0.113.9"), "/my/")
            self.client.logout()
        self.fail_to_sign_in("other@example.jp", 4, network="203.0.113.9")
        self.assertRedirects(self.sign_in("other@example.jp", network="203.0.113.9"), "/my/")

    def test_the_refusals_are_in_english_too(self) -> None:
        self.fail_to_sign_in("staff@example.jp", 5)
        for n in range(15):
            self.fail_to_sign_in(f"person{n}@example.jp", 1)
        self.client.cookies["django_language"] = "en"
        r = self.sign_in("staff@example.jp", network="192.0.2.1")
        self.assertContains(r, "This account has been locked for a while")
        self.assertContains(r, "wait about 1 min. and try again")
        r = self.sign_in("other@example.jp")
        self.assertContains(r, "Sign-ins from this connection have been paused")

    def test_the_refusal_is_in_easy_japanese_on_the_easy_page(self) -> None:
        self.fail_to_sign_in("staff@example.jp", 5)
        self.client.get("/?wording=easy")
        r = self.sign_in("staff@example.jp")
        self.assertContains(r, "15ふんぐらい まってから")
