"""The counters of lib/ratelimit.py on real Redis (production's cache), from many
threads at once. Skipped when no Redis answers at 127.0.0.1:6379."""

from __future__ import annotations

import socket
import threading
import unittest
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.utils import timezone

from tsunagari.accounts.backends import LoginAttempt
from tsunagari.lib.ratelimit import RateLimit, RecipientLimit, count_up


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def at_once(n: int, work: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(n)
    results: list[Any] = []

    def run(i: int) -> None:
        barrier.wait()
        results.append(work(i))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@unittest.skipUnless(redis_answers(), "no Redis at 127.0.0.1:6379")
class RedisCountersTestCase(SimpleTestCase):
    def setUp(self) -> None:
        # A prefix of its own: nothing else in that Redis is read or removed.
        prefix = f"test-{uuid.uuid4().hex}"
        settings = override_settings(
            CACHES={
                "default": {
                    "BACKEND": "django.core.cache.backends.redis.RedisCache",
                    "LOCATION": "redis://127.0.0.1:6379/0",
                    "KEY_PREFIX": prefix,
                }
            }
        )
        settings.enable()
        self.addCleanup(settings.disable)
        self.keys: list[str] = []
        self.addCleanup(lambda: cache.delete_many(self.keys))

    def test_fifty_parallel_increments_each_see_their_own_count(self) -> None:
        self.keys.append("counter")
        counts = at_once(50, lambda _: count_up("counter", 60))
        self.assertEqual(sorted(counts), list(range(1, 51)))
        self.assertEqual(cache.get("counter"), 50)

    def test_a_recipient_gets_exactly_its_limit_from_parallel_requests(self) -> None:
        limit = RecipientLimit(f"test-{uuid.uuid4().hex}", per_recipient=3, window=60)
        self.keys.append(limit._key("victim@example.org"))
        taken = at_once(20, lambda _: limit.take("Victim@Example.org"))
        self.assertEqual(taken.count(True), 3)

    def test_a_network_gets_exactly_its_limit_from_parallel_requests(self) -> None:
        limit = RateLimit(f"test-{uuid.uuid4().hex}", per_network=5, overall=100, window=60)
        request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.20")
        self.keys.extend([*limit._keys(request), f"ratelimit:salt:{timezone.localdate()}"])
        taken = at_once(20, lambda _: limit.take(request))
        self.assertEqual(taken.count(True), 5)
        self.assertFalse(limit.exceeded(RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")))

    @override_settings(
        LOGIN_FAILURE_LIMIT=5, LOGIN_LOCKOUT_MINUTES=15, LOGIN_NETWORK_FAILURE_LIMIT=20
    )
    def test_thirty_parallel_sign_ins_reserve_at_most_five_password_checks(self) -> None:
        request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="203.0.113.9")
        attempts = [LoginAttempt(request, f"{uuid.uuid4().hex}@example.jp")] * 30
        a = attempts[0]
        self.keys.extend(
            [a.pair, a.network, a.account, a.until, f"ratelimit:salt:{timezone.localdate()}"]
        )
        refusals = at_once(30, lambda i: attempts[i].reserve())
        self.assertEqual(refusals.count(None), 5)
        self.assertTrue(all(r.reason == "account" for r in refusals if r is not None))
        # The refused gave their reservations back: five remain, one per check.
        self.assertEqual(cache.get(a.pair), 5)
        self.assertEqual(cache.get(a.account), 5)
