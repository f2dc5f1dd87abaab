"""Password reset under abuse: a few e-mails per address, a limit per network, and the
same answer whether the address has an account or not."""

from __future__ import annotations

import threading
import unittest
from typing import Any

from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client, TransactionTestCase

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.test import BaseTestCase, run_tasks

URL = "/accounts/password-reset/"
SENT = "/accounts/password-reset/sent/"


class PasswordResetLimitTestCase(BaseTestCase):
    def ask(self, email: str, network: str = "198.51.100.20") -> Any:
        return self.client.post(URL, {"email": email}, REMOTE_ADDR=network)

    def test_one_address_gets_at_most_three_links_an_hour_however_often_asked(self) -> None:
        for n in range(21):
            self.assertRedirects(self.ask("staff@example.jp", f"192.0.2.{n}"), SENT)
        self.run_tasks()
        self.assertEqual(len(self.sent_to("staff@example.jp")), 3)

    def test_the_answers_are_the_same_for_a_known_and_an_unknown_address(self) -> None:
        for n in range(5):
            known = self.ask("staff@example.jp", f"192.0.2.{n}")
            unknown = self.ask("nobody@example.jp", f"203.0.113.{n}")
            self.assertEqual((known.status_code, known["Location"]), (302, SENT))
            self.assertEqual((unknown.status_code, unknown["Location"]), (302, SENT))
        self.assertContains(self.client.get(SENT), "1時間に3通まで")

    def test_after_ten_from_one_network_it_answers_429_and_keeps_the_address(self) -> None:
        for n in range(10):
            self.assertRedirects(self.ask(f"person{n}@example.jp"), SENT)
        r = self.ask("staff@example.jp")
        self.assertContains(r, "しばらくしてからお送りください", status_code=429)
        self.assertContains(r, 'value="staff@example.jp"', status_code=429)
        self.assertEqual(self.run_tasks(), 0)
        # Another network is still served, and the same for an unknown address.
        self.assertRedirects(self.ask("staff@example.jp", "203.0.113.9"), SENT)
        r = self.ask("nobody@example.jp")
        self.assertEqual(r.status_code, 429)

    def test_the_limit_page_is_in_english_too(self) -> None:
        for n in range(10):
            self.ask(f"person{n}@example.jp")
        self.client.cookies["django_language"] = "en"
        r = self.ask("staff@example.jp")
        self.assertContains(r, "Please try again later", status_code=429)
        self.assertContains(r, "about an hour", status_code=429)

    def test_the_limit_page_is_in_easy_japanese_on_the_easy_page(self) -> None:
        for n in range(10):
            self.ask(f"person{n}@example.jp")
        self.client.get("/?wording=easy")
        r = self.ask("staff@example.jp")
        self.assertContains(r, "すこし まってから おくって ください", status_code=429)
        self.assertContains(r, "1じかんぐらい まってから", status_code=429)

    def test_invalid_addresses_do_not_use_up_the_limit(self) -> None:
        for _ in range(12):
            self.assertEqual(self.ask("not-an-address").status_code, 200)
        self.assertRedirects(self.ask("staff@example.jp"), SENT)


@unittest.skipUnless(connection.vendor == "postgresql", "a concurrency test for PostgreSQL")
class ParallelPasswordResetTestCase(TransactionTestCase):
    serialized_rollback = True

    def setUp(self) -> None:
        cache.clear()
        self.addCleanup(cache.clear)
        factory.make_user("owner@example.jp", User.Role.SECRETARIAT)

    def test_twenty_one_requests_at_once_mail_the_address_three_times(self) -> None:
        barrier = threading.Barrier(21)
        codes: list[int] = []
        errors: list[BaseException] = []

        def ask(n: int) -> None:
            try:
                barrier.wait()
                r = Client().post(URL, {"email": "owner@example.jp"}, REMOTE_ADDR=f"192.0.2.{n}")
                codes.append(r.status_code)
            except BaseException as e:
                errors.append(e)
            finally:
                connection.close()

        threads = [threading.Thread(target=ask, args=(n,)) for n in range(21)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(codes, [302] * 21)
        run_tasks()
        self.assertEqual(len([m for m in mail.outbox if m.to == ["owner@example.jp"]]), 3)
