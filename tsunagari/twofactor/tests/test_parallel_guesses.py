"""Twenty guesses of one account's code at the same moment (PostgreSQL, real threads):
no more are checked than the limit allows."""

from __future__ import annotations

import threading
import unittest

from django.core.cache import cache
from django.db import connection
from django.test import Client, TransactionTestCase, override_settings

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.geo.models import Municipality
from tsunagari.test import PASSWORD, give_authenticator, totp_code

PARALLEL = 20
LIMIT = 5


@unittest.skipUnless(connection.vendor == "postgresql", "row locks need PostgreSQL")
class ParallelGuessesTestCase(TransactionTestCase):
    serialized_rollback = True

    def setUp(self) -> None:
        cache.clear()
        self.addCleanup(cache.clear)

    def guess_all_at_once(self, clients: list[Client], code: str) -> list[int]:
        barrier = threading.Barrier(len(clients))
        statuses: list[int] = []
        errors: list[BaseException] = []

        def guess(client: Client) -> None:
            try:
                barrier.wait()
                statuses.append(
                    client.post("/accounts/2fa/verify/", {"app-code": code}).status_code
                )
            except BaseException as e:
                errors.append(e)
            finally:
                connection.close()

        threads = [threading.Thread(target=guess, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        return statuses

    def half_signed_in_clients(self, user: User) -> list[Client]:
        clients = []
        for _ in range(PARALLEL):
            client = Client()
            r = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
            self.assertEqual(r.status_code, 302)
            clients.append(client)
        return clients

    @override_settings(OTP_TOTP_THROTTLE_FACTOR=0, TWOFACTOR_ACCOUNT_LIMIT=LIMIT)
    def test_parallel_wrong_codes_are_checked_no_more_than_the_limit(self) -> None:
        officer = factory.make_user(
            "parallel@example.jp",
            User.Role.MUNICIPALITY,
            municipality=Municipality.objects.get(code="142051"),
        )
        device = give_authenticator(officer)
        wrong = f"{(int(totp_code(device)) + 500_000) % 1_000_000:06d}"
        statuses = self.guess_all_at_once(self.half_signed_in_clients(officer), wrong)
        self.assertEqual(sorted(statuses), [400] * LIMIT + [429] * (PARALLEL - LIMIT))
        device.refresh_from_db()
        self.assertEqual(device.throttling_failure_count, LIMIT, "codes actually checked")

    def test_with_the_devices_delay_one_parallel_guess_is_checked(self) -> None:
        """django-otp locks the device row while checking: each guess sees the delay the
        previous failure set, so of twenty at once only one is compared with the code."""
        officer = factory.make_user(
            "parallel2@example.jp",
            User.Role.MUNICIPALITY,
            municipality=Municipality.objects.get(code="142051"),
        )
        device = give_authenticator(officer)
        wrong = f"{(int(totp_code(device)) + 500_000) % 1_000_000:06d}"
        # A minute's delay after a failure, so that the delay cannot run out while twenty
        # requests queue on a slow machine (the default is one second, doubling).
        with override_settings(
            TWOFACTOR_ACCOUNT_LIMIT=100, TWOFACTOR_NETWORK_LIMIT=100, OTP_TOTP_THROTTLE_FACTOR=60
        ):
            statuses = self.guess_all_at_once(self.half_signed_in_clients(officer), wrong)
        device.refresh_from_db()
        self.assertEqual(device.throttling_failure_count, 1, statuses)
