"""Real SMTP servers (aiosmtpd on 127.0.0.1) for the mail tests: one that keeps what
it receives, one that can be held mid-conversation, one that refuses a recipient."""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """Keeps every message it accepts. `hold()` makes the next RCPT wait until
    `release()`: the sender is then blocked mid-send, before the message is complete.
    `refuse` answers RCPT TO for those addresses with a permanent 550."""

    def __init__(self, *, refuse: tuple[str, ...] = ()) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.refuse = refuse
        self.holding = threading.Event()  # set while a sender is held
        self.released = threading.Event()
        self.released.set()
        self.lock = threading.Lock()

    def hold(self) -> None:
        self.released.clear()

    def release(self) -> None:
        self.released.set()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        if not self.released.is_set():
            self.holding.set()
            while not self.released.is_set():
                await asyncio.sleep(0.02)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        with self.lock:
            self.messages.append(message)
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"

    def subjects(self) -> list[str]:
        with self.lock:
            return [str(m["Subject"]) for m in self.messages]


class SmtpServer:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox
        self.controller = Controller(inbox, hostname="127.0.0.1", port=free_port())

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.inbox.release()
        self.controller.stop()

    @property
    def port(self) -> int:
        return int(self.controller.port)

    def mailers(self, timeout: int = 10) -> dict[str, Any]:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": timeout},
            }
        }
