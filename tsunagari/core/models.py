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
    # Extra headers (List-Unsubscribe of a mailing); emptied with the body once sent.
    headers = models.JSONField(_("追加のヘッダー"), default=dict, blank=True)
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


class WorkerHeartbeatQuerySet(models.QuerySet["WorkerHeartbeat"]):
    def newest_age(self) -> float | None:
        """Seconds since the most recent beat of any worker; None if no worker ever beat."""
        newest = self.aggregate(newest=models.Max("beat_at"))["newest"]
        return None if newest is None else (timezone.now() - newest).total_seconds()


class WorkerHeartbeat(models.Model):
    """The last sign of life of one task worker (タスクワーカーの生存確認), one row per
    `--worker-id`. A row in the database rather than a key in the cache, so that the
    readiness check (core/health.py) sees the workers of every machine even on SQLite
    without Redis. A worker stopping cleanly removes its row."""

    worker_id = models.CharField(_("ワーカーID"), max_length=64, primary_key=True)
    instance = models.CharField(_("ホストとプロセス"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("起動日時"), default=timezone.now)
    beat_at = models.DateTimeField(_("最終確認日時"), default=timezone.now)

    objects = WorkerHeartbeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("ワーカーの生存確認")
        verbose_name_plural = _("ワーカーの生存確認")

    def __str__(self) -> str:
        return f"{self.worker_id} {self.beat_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def beat(cls, worker_id: str, instance: str) -> None:
        """Record that `worker_id` is alive now: one UPDATE, an INSERT the first time."""
        now = timezone.now()
        if not cls.objects.filter(pk=worker_id).update(beat_at=now, instance=instance):
            cls.objects.update_or_create(
                pk=worker_id, defaults={"beat_at": now, "instance": instance, "started_at": now}
            )
