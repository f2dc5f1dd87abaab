"""The outbox: every e-mail the platform sends is a row here before it leaves."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingMailQuerySet(models.QuerySet["OutgoingMail"]):
    def undelivered(self) -> OutgoingMailQuerySet:
        return self.filter(status=OutgoingMail.Status.UNDELIVERED)


class OutgoingMail(models.Model):
    """One e-mail to send (送信メール), written in the transaction that caused it.

    The task that sends it claims the row with a conditional update and records
    `sent_at`, so a task that runs twice (a worker killed and its task recovered)
    never sends the same mail twice. See docs/security.md.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("送信待ち")
        SENDING = "sending", _("送信中")
        SENT = "sent", _("送信済み")
        UNDELIVERED = "undelivered", _("届かなかった")

    to = models.JSONField(_("宛先"), default=list)
    reply_to = models.JSONField(_("返信先"), default=list, blank=True)
    subject = models.TextField(_("件名"))
    # Emptied once the mail is sent: links and personal data stay no longer than needed.
    body = models.TextField(_("本文"), blank=True)
    status = models.CharField(
        _("状態"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("送信の試行回数"), default=0)
    next_attempt_at = models.DateTimeField(_("次の送信予定"), default=timezone.now)
    # Who holds the mail while it is SENDING: the id of the task run that claimed it.
    claimed_by = models.CharField(_("送信中のタスク"), max_length=64, blank=True)
    claimed_at = models.DateTimeField(_("送信を始めた日時"), null=True, blank=True)
    sent_at = models.DateTimeField(_("送信日時"), null=True, blank=True)
    last_error = models.TextField(_("最後のエラー"), blank=True)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("送信メール")
        verbose_name_plural = _("送信メール")

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"
