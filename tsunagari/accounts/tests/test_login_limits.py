"""Sign-in limits under parallel requests (PostgreSQL, real threads, the real view).

Passwords are checked by a real Argon2 hasher that also counts its checks: the number
that matters is how many passwords were tried, not how many requests were refused.
"""

from __future__ import annotations

import threading
import unittest
from typing import Any

from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.cache import cache
from django.db import connection
from django.test import Client, TransactionTestCase, override_settings

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.accounts.tests.test_login import later
from tsunagari.race import Post, at_once
from tsunagari.test import PASSWORD

LIMIT = 5


class CountingArgon2Hasher(Argon2PasswordHasher):
    """Argon2, counting every password it hashes: a check against an account's hash, and
    the hashing Django does for an address without an account (so that both take the
    same time). Same algorithm name, so the stored hashes verify as usual."""

    checks = 0
    lock = threading.Lock()

    def count(self) -> None:
        with self.lock:
            type(self).checks += 1

    def verify(self, password: str, encoded: str) -> bool:
        self.count()
        return super().verify(password, encoded)

    def encode(self, password: str, salt: str) -> str:
        self.count()
        return super().encode(password, salt)


COUNTING = ["tsunagari.accounts.tests.test_login_limits.CountingArgon2Hasher"]


@unittest.skipUnless(connection.vendor == "postgresql", "a concurrency test for PostgreSQL")
@override_settings(
    PASSWORD_HASHERS=COUNTING,
    LOGIN_FAILURE_LIMIT=LIMIT,
    LOGIN_LOCKOUT_MINUTES=15,
    LOGIN_NETWORK_FAILURE_LIMIT=20,
    LOGIN_BACKOFF_SECONDS=30,
)
class ParallelSignInTestCase(TransactionTestCase):
    # The roster comes from a migration; restore it for the tests after this one.
    serialized_rollback = True

    def setUp(self) -> None:
        cache.clear()
        self.addCleanup(cache.clear)
        self.user = factory.make_user("owner@example.jp", User.Role.SECRETARIAT)
        CountingArgon2Hasher.checks = 0

    def post_in_parallel(self, forms: list[tuple[str, dict[str, str]]]) -> list[Any]:
        """Each (network, form) posted at once from its own client and thread."""
        outcomes = at_once([Post(None, "/accounts/login/", f, network=n) for n, f in forms])
        return [o.response for o in outcomes]

    def test_thirty_parallel_wrong_passwords_check_at_most_the_limit(self) -> None:
        wrong = {"username": "owner@example.jp", "password": "wrong-password"}
        responses = self.post_in_parallel([("203.0.113.9", wrong)] * 30)
        self.assertEqual([r.status_code for r in responses], [200] * 30)
        self.assertLessEqual(CountingArgon2Hasher.checks, LIMIT)
        refused = [r for r in responses if "一時的にロックされています" in r.content.decode()]
        self.assertGreaterEqual(len(refused), 30 - LIMIT)
        # The right password from that network is refused unchecked now...
        checks = CountingArgon2Hasher.checks
        r = Client().post(
            "/accounts/login/",
            {"username": "owner@example.jp", "password": PASSWORD},
            REMOTE_ADDR="203.0.113.9",
        )
        self.assertContains(r, "一時的にロックされています")
        self.assertEqual(CountingArgon2Hasher.checks, checks)

    def test_one_password_across_many_accounts_from_one_network_is_limited(self) -> None:
        forms = [
            ("203.0.113.9", {"username": f"person{n}@example.jp", "password": "Spring2026!"})
            for n in range(30)
        ]
        responses = self.post_in_parallel(forms)
        self.assertGreater(CountingArgon2Hasher.checks, 0)
        self.assertLessEqual(CountingArgon2Hasher.checks, 20)
        stopped = [
            r for r in responses if "この接続からのログインの失敗が続いたため" in r.content.decode()
        ]
        self.assertGreaterEqual(len(stopped), 10)

    def test_the_owner_from_another_network_signs_in_after_the_delay(self) -> None:
        wrong = {"username": "owner@example.jp", "password": "wrong-password"}
        self.post_in_parallel([("203.0.113.9", wrong)] * 30)
        owner = Client()
        right = {"username": "owner@example.jp", "password": PASSWORD}
        r = owner.post("/accounts/login/", right, REMOTE_ADDR="192.0.2.7")
        self.assertContains(r, "1分ほど待ってからお試しください。")
        with later(31):  # the delay has passed
            r = owner.post("/accounts/login/", right, REMOTE_ADDR="192.0.2.7")
        self.assertRedirects(r, "/my/", fetch_redirect_response=False)
