"""The real e-mail path: view → task queue → `db_worker` → SMTP → a local server.

Everything else in the suite stops at the task queue or Django's in-memory outbox;
this test proves a receipt leaves through SMTP with a subject a Japanese mail client
shows correctly.
"""

from __future__ import annotations

import email
import signal
import socket
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.test import TransactionTestCase

from tsunagari.factory import application_data
from tsunagari.members.models import MembershipApplication


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.raw: list[bytes] = []
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.raw.append(envelope.content)
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append(message)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [
            m for m, rcpt in zip(self.messages, self.recipients, strict=True) if address in rcpt
        ]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpDeliveryTestCase(TransactionTestCase):
    # The worker commits and closes connections, so no wrapping transaction; the
    # reference data loaded by migrations is restored after the flush.
    serialized_rollback = True

    def setUp(self) -> None:
        self.inbox = Inbox()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=free_port())
        self.controller.start()
        self.addCleanup(self.controller.stop)
        # db_worker installs its own SIGINT/SIGTERM handlers; give pytest its own back.
        saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
        self.addCleanup(lambda: [signal.signal(s, h) for s, h in saved.items()])

    def mailers(self) -> dict[str, Any]:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.controller.port, "timeout": 10},
            }
        }

    def test_the_worker_delivers_the_receipt_over_smtp(self) -> None:
        with self.settings(MAILERS=self.mailers()):
            r = self.client.post("/apply/", application_data())
            self.assertRedirects(r, "/apply/thanks/")
            self.assertEqual(self.inbox.messages, [], "nothing is sent inside the request")
            call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

        application = MembershipApplication.objects.get()
        self.assertEqual(len(self.inbox.messages), 2)
        receipt = self.inbox.to("hanako@example.org")[0]
        self.assertEqual(
            receipt["Subject"],
            f"【かながわつながりネットワーク】参加申込を受け付けました（{application.reference}）",
        )
        self.assertEqual(receipt["From"], "tsunagari@example.jp")
        self.assertEqual(receipt["To"], "hanako@example.org")
        body = receipt.get_content()
        self.assertIn("受け付けました", body)
        self.assertIn(application.reference, body)
        notice = self.inbox.to("secretariat@example.jp")[0]
        self.assertIn(application.name, notice.get_content())

    def test_the_subject_is_mime_encoded_on_the_wire(self) -> None:
        with self.settings(MAILERS=self.mailers()):
            self.client.post("/apply/", application_data())
            call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        self.assertEqual(len(self.inbox.raw), 2)
        for content in self.inbox.raw:
            headers = content.split(b"\r\n\r\n", 1)[0].replace(b"\r\n ", b" ")
            subject = next(h for h in headers.split(b"\r\n") if h.startswith(b"Subject:"))
            self.assertTrue(subject.isascii(), subject)
            self.assertIn(b"=?utf-8?", subject.lower())
