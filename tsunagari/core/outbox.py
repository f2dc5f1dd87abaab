"""Sending an outbox row exactly once: claim, send, record; retry with back-off.

A mail is written to `OutgoingMail` in the caller's transaction together with the
task that sends it (`tsunagari.core.tasks.send_outgoing_mail`). The task may run more
than once (a killed worker's task is put back after its lease), so every step is a
conditional update on the row:

  QUEUED ──claim──▶ SENDING ──sent──▶ SENT
     ▲                 │
     └──retry later────┤ (a failure, attempts left)
                       └──────────────▶ UNDELIVERED ──resend──▶ QUEUED

The one window left is between the SMTP server accepting the message and `sent_at`
being written: a worker killed exactly there sends that mail again (at least once).
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import F, Q
from django.tasks import TaskResultStatus
from django.utils import timezone

from tsunagari.core.models import OutgoingMail

logger = logging.getLogger(__name__)

Status = OutgoingMail.Status


def lease() -> timedelta:
    """How long a task or a sending claim may run before it is taken for dead."""
    return timedelta(seconds=settings.TASK_LEASE_SECONDS)


def queue_mail(
    to: list[str],
    subject: str,
    body: str,
    *,
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> OutgoingMail:
    """Write the mail and its sending task in the current transaction. `headers` are
    extra message headers (a mailing's List-Unsubscribe)."""
    mail = OutgoingMail.objects.create(
        to=list(to),
        subject=subject,
        body=body,
        reply_to=list(reply_to or []),
        headers=dict(headers or {}),
    )
    _enqueue(mail)
    return mail


def _enqueue(mail: OutgoingMail) -> None:
    from tsunagari.core.tasks import send_outgoing_mail

    task = send_outgoing_mail
    if mail.next_attempt_at > timezone.now():
        task = task.using(run_after=mail.next_attempt_at)
    task.enqueue(mail_id=mail.pk)


def deliver(mail_id: int, claimant: str) -> str:
    """Send one outbox row unless it is sent, given up, not yet due, or held by a
    live sender. `claimant` is the id of the task run; a task that was put back and
    runs again takes over its own claim. Returns what happened, for the task result."""
    now = timezone.now()
    claimed = OutgoingMail.objects.filter(
        Q(status=Status.QUEUED, next_attempt_at__lte=now)
        | Q(status=Status.SENDING, claimed_by=claimant)
        | Q(status=Status.SENDING, claimed_at__lt=now - lease()),
        pk=mail_id,
    ).update(
        status=Status.SENDING,
        claimed_by=claimant,
        claimed_at=now,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return "skipped"
    mail = OutgoingMail.objects.get(pk=mail_id)
    message = EmailMessage(
        subject=mail.subject,
        body=mail.body,
        to=mail.to,
        reply_to=mail.reply_to,
        headers=mail.headers or None,
    )
    # The connection is opened here and closed only after `sent_at` is written, so the
    # at-least-once window (the server has said "250 OK", the row does not say SENT
    # yet) is this one UPDATE, not also the QUIT round trip.
    connection = mailers.default
    try:
        connection.open()
        connection.send_messages([message])
    except Exception as error:
        _close(connection)
        return _failed(mail, claimant, error)
    OutgoingMail.objects.filter(pk=mail_id, status=Status.SENDING, claimed_by=claimant).update(
        status=Status.SENT, sent_at=timezone.now(), body="", headers={}, last_error=""
    )
    _close(connection)
    return "sent"


def _close(connection: Any) -> None:
    try:
        connection.close()
    except Exception:  # the mail is sent (or failed) already; a failed QUIT changes nothing
        logger.info("Closing the mail connection failed", exc_info=True)


def _is_permanent(error: Exception) -> bool:
    """5xx replies (no such mailbox, refused) and malformed messages do not heal by waiting."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return isinstance(error, ValueError)


def _failed(mail: OutgoingMail, claimant: str, error: Exception) -> str:
    delays = settings.MAIL_RETRY_DELAYS
    text = f"{type(error).__name__}: {error}"[:1000]
    mine = OutgoingMail.objects.filter(pk=mail.pk, status=Status.SENDING, claimed_by=claimant)
    logger.warning("Mail %s failed (attempt %s): %s", mail.pk, mail.attempts, text)
    if _is_permanent(error) or mail.attempts > len(delays):
        mine.update(status=Status.UNDELIVERED, last_error=text, claimed_by="")
        return "undelivered"
    mail.next_attempt_at = timezone.now() + timedelta(seconds=delays[mail.attempts - 1])
    with transaction.atomic():
        if mine.update(
            status=Status.QUEUED,
            next_attempt_at=mail.next_attempt_at,
            last_error=text,
            claimed_by="",
        ):
            _enqueue(mail)
    return "retry"


def resend(mail: OutgoingMail, *, by: Any) -> bool:
    """Queue an undelivered mail again (the secretariat's 再送する), with fresh attempts."""
    from tsunagari.audit.models import AuditEvent, record

    with transaction.atomic():
        now = timezone.now()
        if not OutgoingMail.objects.filter(pk=mail.pk, status=Status.UNDELIVERED).update(
            status=Status.QUEUED, attempts=0, next_attempt_at=now
        ):
            return False
        mail.refresh_from_db()
        _enqueue(mail)
        record(
            by,
            AuditEvent.Action.STATUS,
            mail,
            changes={"status": [Status.UNDELIVERED, Status.QUEUED]},
            note="再送",
        )
    return True


def sweep(limit: int = 100) -> int:
    """Give a task to mails that lost theirs: queued and overdue by a lease, or held by
    a sender silent for two leases, with no live task naming them. Rare: only an
    unexpected error in the task itself (the database gone mid-send) leaves such a row."""
    from django_tasks_db.models import DBTaskResult

    from tsunagari.core.tasks import send_outgoing_mail

    now = timezone.now()
    stale = OutgoingMail.objects.filter(
        Q(status=Status.QUEUED, next_attempt_at__lt=now - lease())
        | Q(status=Status.SENDING, claimed_at__lt=now - 2 * lease())
    ).values_list("pk", "status", "next_attempt_at", "claimed_at")[:limit]
    live = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        task_path=send_outgoing_mail.module_path,
    )
    count = 0
    for pk, status, due, claimed_at in stale:
        if live.filter(args_kwargs__kwargs__mail_id=pk).exists():
            continue
        with transaction.atomic():
            if OutgoingMail.objects.filter(
                pk=pk, status=status, next_attempt_at=due, claimed_at=claimed_at
            ).update(status=Status.QUEUED, next_attempt_at=now, claimed_by=""):
                send_outgoing_mail.enqueue(mail_id=pk)
                count += 1
    return count
