"""Throttles of the public API (tsunagari/lib/throttle.py): per network, per minute, 429
with Retry-After and a JSON body, generous enough for a school class behind one address."""

from __future__ import annotations

import json
import threading
from typing import Any
from unittest import mock

from django.test import Client, SimpleTestCase, TestCase, override_settings

from tsunagari.lib import throttle

SCORE = "/api/v1/selfcheck/score"
ANSWERS = json.dumps({"indirect": [2, 3, 2], "direct": 3})
SCHOOL = "203.0.113.7"  # one NAT address for a whole class


MINUTE_START = 1_800_000_000.0  # a whole minute


class FixedClock:
    """The throttle's clock stands still 15 s into a minute, so a test never sees its
    window end half-way through (the fixed windows are each tested on their own)."""

    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        clock = mock.patch.object(throttle, "now", return_value=MINUTE_START + 15)
        clock.start()
        self.addCleanup(clock.stop)  # type: ignore[attr-defined]


def score(client: Client, address: str = SCHOOL) -> Any:
    return client.post(SCORE, ANSWERS, content_type="application/json", REMOTE_ADDR=address)


class ScoringThrottleTests(FixedClock, SimpleTestCase):
    """The scoring endpoint touches no database: these run without one."""

    def test_a_flood_from_one_network_is_refused_with_429_and_retry_after(self) -> None:
        # The probe of issue 11: 200 scoring calls at once were all answered.
        client = Client()
        statuses = [score(client).status_code for _ in range(200)]
        self.assertEqual(statuses.count(200), 120)  # API_THROTTLE_SCORES_PER_MINUTE
        self.assertEqual(statuses[120:], [429] * 80)
        refused = score(client)
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(refused["Content-Type"], "application/json; charset=utf-8")
        wait = int(refused["Retry-After"])
        self.assertGreaterEqual(wait, 1)
        self.assertLessEqual(wait, 60)
        body = refused.json()
        self.assertEqual(body["retry_after"], wait)
        self.assertIn("Too many requests", body["detail"])

    def test_a_class_of_forty_on_one_address_is_not_refused(self) -> None:
        # 40 pupils behind one NAT address each score twice and browse the directory's
        # reference data a few times, all in the same minute.
        pupils = [Client() for _ in range(40)]
        for _ in range(2):
            for pupil in pupils:
                self.assertEqual(score(pupil).status_code, 200)

    def test_another_network_is_not_held_back(self) -> None:
        client = Client()
        with override_settings(API_THROTTLE_SCORES_PER_MINUTE=3):
            for _ in range(3):
                self.assertEqual(score(client).status_code, 200)
            self.assertEqual(score(client).status_code, 429)
            self.assertEqual(score(client, "198.51.100.9").status_code, 200)
            # The same IPv6 /64 is one network: a household cannot dodge by address.
            self.assertEqual(score(client, "2001:db8:1:2::1").status_code, 200)
            for _ in range(2):
                score(client, "2001:db8:1:2::ffff")
            self.assertEqual(score(client, "2001:db8:1:2::abcd").status_code, 429)

    def test_the_next_window_is_open_again_after_retry_after(self) -> None:
        client = Client()
        start = MINUTE_START + 15
        with override_settings(API_THROTTLE_SCORES_PER_MINUTE=2):
            with mock.patch.object(throttle, "now", return_value=start):
                score(client)
                score(client)
                refused = score(client)
            self.assertEqual(refused.status_code, 429)
            self.assertEqual(refused["Retry-After"], "45")
            with mock.patch.object(throttle, "now", return_value=start + 45):
                self.assertEqual(score(client).status_code, 200)

    def test_parallel_requests_cannot_slip_under_the_limit_together(self) -> None:
        # The count is the cache's atomic increment: 30 requests at once against a
        # limit of 10 give exactly 10 answers.
        statuses: list[int] = []
        barrier = threading.Barrier(30)
        lock = threading.Lock()

        def send() -> None:
            client = Client()
            barrier.wait()
            status = score(client).status_code
            with lock:
                statuses.append(status)

        with override_settings(API_THROTTLE_SCORES_PER_MINUTE=10):
            threads = [threading.Thread(target=send) for _ in range(30)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        self.assertEqual(sorted(statuses), [200] * 10 + [429] * 20)


class ReadThrottleTests(FixedClock, TestCase):
    def test_reads_are_limited_per_network_with_a_json_429(self) -> None:
        with override_settings(API_THROTTLE_READS_PER_MINUTE=5):
            statuses = [
                self.client.get("/api/v1/municipalities", REMOTE_ADDR=SCHOOL).status_code
                for _ in range(7)
            ]
            self.assertEqual(statuses, [200] * 5 + [429] * 2)
            # Even a bad request counts and is refused before it is read.
            refused = self.client.get("/api/v1/services/x", REMOTE_ADDR=SCHOOL)
            self.assertEqual(refused.status_code, 429)
            self.assertIn("Retry-After", refused)
            self.assertEqual(set(refused.json()), {"detail", "retry_after"})
            # So does the document, built from the database on each request.
            document = self.client.get("/api/v1/openapi.json", REMOTE_ADDR=SCHOOL)
            self.assertEqual(document.status_code, 429)
            self.assertEqual(document["Retry-After"], "45")
            self.assertEqual(document.json()["retry_after"], 45)
            # Scoring has its own budget.
            self.assertEqual(score(Client()).status_code, 200)

    def test_the_default_read_limit_serves_a_class_browsing_together(self) -> None:
        # 40 pupils × 15 reads in one minute from one address = the default 600.
        for _ in range(600):
            response = self.client.get("/api/v1/hsds/", REMOTE_ADDR=SCHOOL)
            self.assertEqual(response.status_code, 200)
        self.assertEqual(self.client.get("/api/v1/hsds/", REMOTE_ADDR=SCHOOL).status_code, 429)

    def test_the_document_states_the_429_and_its_retry_after_header(self) -> None:
        spec = self.client.get("/api/v1/openapi.json").json()
        self.assertIn("600 requests a minute", spec["info"]["description"])
        self.assertIn("120 a minute", spec["info"]["description"])
        for path, operations in spec["paths"].items():
            for method, operation in operations.items():
                with self.subTest(f"{method} {path}"):
                    too_many = operation["responses"]["429"]
                    self.assertIn("Retry-After", too_many["headers"])
                    self.assertEqual(
                        too_many["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/TooManyOut",
                    )
        self.assertEqual(
            spec["components"]["schemas"]["TooManyOut"]["required"], ["detail", "retry_after"]
        )
