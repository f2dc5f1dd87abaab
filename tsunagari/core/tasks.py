"""Background work shared by every app."""

from __future__ import annotations

from django.tasks import TaskContext, task

from tsunagari.core import outbox


@task(takes_context=True)
def send_outgoing_mail(context: TaskContext, mail_id: int) -> str:
    """Send one outbox row (`core.OutgoingMail`). Runs in the task worker, never in a
    request; safe to run more than once."""
    return outbox.deliver(mail_id, claimant=str(context.task_result.id))


@task()
def send_email(to: list[str], subject: str, body: str, reply_to: list[str] | None = None) -> int:
    """Tasks queued before the outbox existed (an upgrade with mail still queued):
    they become outbox rows and are sent from there."""
    outbox.queue_mail(to, subject, body, reply_to=reply_to)
    return 1
