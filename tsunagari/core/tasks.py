"""Background work shared by every app."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.tasks import task


@task()
def send_email(to: list[str], subject: str, body: str, reply_to: list[str] | None = None) -> int:
    """Send one plain-text e-mail. Runs in the task worker, never in a request."""
    message = EmailMessage(subject=subject, body=body, to=to, reply_to=reply_to or [])
    return message.send()
