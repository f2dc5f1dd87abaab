"""For tests: many people pressing the same button at the same moment.

Each request comes from its own thread, with its own `Client`, session and database
connection, and all are released together by a barrier, as on a busy day. Meaningful on
PostgreSQL only (SQLite serialises writers), so `RaceTestCase` skips elsewhere.
"""

from __future__ import annotations

import threading
import unittest
from dataclasses import dataclass, field
from typing import Any

from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client, TransactionTestCase

from tsunagari.test import sign_in


@dataclass
class Outcome:
    """What one person saw: the status, where they were sent, the messages shown."""

    status: int
    location: str = ""
    messages: list[str] = field(default_factory=list)
    response: Any = None


@dataclass
class Post:
    """One person's request: `user` (None for an anonymous visitor) posts `data` to `path`."""

    user: Any
    path: str
    data: dict[str, Any] = field(default_factory=dict)
    # Instead of signing in: the cookies of a session to share (one person, two tabs).
    cookies: Any = None
    # The sender's address (the limits count per network); empty: the test client's.
    network: str = ""
    # Follow the redirect, to read the page the person lands on.
    follow: bool = False


def at_once(posts: list[Post]) -> list[Outcome]:
    """Send every post at the same moment; the outcomes in the same order.

    An exception in a thread (a 500 is raised by the test client) fails the test.
    """
    barrier = threading.Barrier(len(posts))
    outcomes: list[Outcome | None] = [None] * len(posts)
    errors: list[BaseException] = []

    def send(n: int, post: Post) -> None:
        try:
            client = Client()
            if post.cookies is not None:
                client.cookies.update(post.cookies)
            elif post.user is not None:
                sign_in(client, post.user)
            barrier.wait(timeout=30)
            if post.network:
                client.defaults["REMOTE_ADDR"] = post.network
            r = client.post(post.path, post.data, follow=post.follow)
            outcomes[n] = Outcome(
                status=r.status_code,
                location=r.get("Location", ""),
                messages=[str(m) for m in get_messages(r.wsgi_request)],
                response=r,
            )
        except BaseException as e:
            errors.append(e)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n, p)) for n, p in enumerate(posts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return [o for o in outcomes if o is not None]


def make_people(n: int, prefix: str, role: str, **extra: Any) -> list[Any]:
    """`n` accounts that only ever sign in through `sign_in` (no password: hashing twenty
    would take longer than the race)."""
    from tsunagari import factory

    return [
        factory.make_user(f"{prefix}{i}@example.jp", role, password=None, **extra) for i in range(n)
    ]


def messages_of(outcomes: list[Outcome]) -> list[str]:
    return [m for o in outcomes for m in o.messages]


@unittest.skipUnless(connection.vendor == "postgresql", "races need PostgreSQL's concurrency")
class RaceTestCase(TransactionTestCase):
    """Real threads and connections. The roster and the taxonomies come from migrations;
    `serialized_rollback` restores them for the tests that follow."""

    serialized_rollback = True
