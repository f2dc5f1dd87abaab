"""Needs meet seeds (ニーズとシーズのマッチング) and the collaborations that follow.

A Need (ニーズ, 課題) is posted by a member's staff, or published by the secretariat from
a resident's anonymous request after screening. Seeds are the directory's resources
(directory.Resource). Suggestions are the engine's ranked seeds for a need, with reasons.
A Collaboration (連携・協働) is one member proposing to work with another.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NeedQuerySet(models.QuerySet["Need"]):
    def open(self) -> NeedQuerySet:
        return self.filter(status=Need.Status.OPEN)

    def visible_to_members(self) -> NeedQuerySet:
        """What any member's staff may read: open and closed needs, never drafts of others."""
        return self.exclude(status=Need.Status.WITHDRAWN)


class Need(models.Model):
    """A need of people or a community (ニーズ, 課題), written for members to read."""

    class Urgency(models.TextChoices):
        LOW = "low", _("急がない")
        NORMAL = "normal", _("ふつう")
        HIGH = "high", _("急ぎ")

    class Status(models.TextChoices):
        OPEN = "open", _("募集中")
        MET = "met", _("つながった")
        CLOSED = "closed", _("終了")
        WITHDRAWN = "withdrawn", _("取り下げ")

    class Origin(models.TextChoices):
        MEMBER = "member", _("構成員が登録")
        RESIDENT = "resident", _("住民の声から事務局が作成")
        MUNICIPALITY = "municipality", _("市町村が登録")

    title = models.CharField(_("ニーズの見出し"), max_length=120)
    description = models.TextField(_("内容"), max_length=4000)
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("登録した団体"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="needs_posted",
    )
    origin = models.CharField(
        _("出どころ"), max_length=20, choices=Origin.choices, default=Origin.MEMBER
    )
    municipality = models.ForeignKey(
        "geo.Municipality",
        verbose_name=_("市区町村"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="needs",
        help_text=_("県全域のニーズは「神奈川県」を選びます。"),
    )
    target_groups = models.ManyToManyField(
        "directory.TargetGroup", verbose_name=_("対象"), blank=True, related_name="needs"
    )
    kinds_wanted = models.ManyToManyField(
        "directory.Kind", verbose_name=_("求める資源の種類"), blank=True, related_name="needs"
    )
    urgency = models.CharField(
        _("緊急度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Sentence embedding (float32 bytes) of title + description, computed by a task.
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    suggestions_computed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = NeedQuerySet.as_manager()

    AUDITED_FIELDS = [
        "title",
        "description",
        "municipality",
        "target_groups",
        "kinds_wanted",
        "urgency",
        "status",
    ]

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ニーズ")
        verbose_name_plural = _("ニーズ")
        indexes = [models.Index(fields=["status", "municipality"])]

    def __str__(self) -> str:
        return self.title

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.description}"

    def set_status(self, status: str, *, by: Any) -> bool:
        """Move the need to `status` (募集中, つながった, 終了, 取り下げ), audited; False if it
        already was there (someone else pressed the same button first)."""
        from tsunagari.audit.models import AuditEvent, record
        from tsunagari.lib.transitions import lock

        with transaction.atomic():
            lock(self)
            if self.status == status:
                return False
            before, self.status = self.status, status
            self.save(update_fields=["status", "updated_at"])
            record(by, AuditEvent.Action.STATUS, self, changes={"status": [before, status]})
        return True

    def vector(self) -> np.ndarray | None:
        if not self.embedding:
            return None
        return np.frombuffer(bytes(self.embedding), dtype=np.float32)


class SeedEmbedding(models.Model):
    """The sentence embedding of a directory resource, kept in step by a task."""

    resource = models.OneToOneField(
        "directory.Resource", on_delete=models.CASCADE, related_name="embedding"
    )
    vector = models.BinaryField()
    # What was embedded, so an unchanged resource is not embedded again.
    text_hash = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("シーズの埋め込み")
        verbose_name_plural = _("シーズの埋め込み")

    def __str__(self) -> str:
        return f"embedding of {self.resource_id}"

    def array(self) -> np.ndarray:
        return np.frombuffer(bytes(self.vector), dtype=np.float32)


class Suggestion(models.Model):
    """A seed the engine ranked for a need, with its reasons (提案)."""

    class State(models.TextChoices):
        NEW = "new", _("未確認")
        BOOKMARKED = "bookmarked", _("ブックマーク")
        DISMISSED = "dismissed", _("対象外")

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="suggestions")
    resource = models.ForeignKey(
        "directory.Resource", on_delete=models.CASCADE, related_name="suggestions"
    )
    rank = models.PositiveIntegerField()
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    state = models.CharField(max_length=12, choices=State.choices, default=State.NEW)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["need", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["need", "resource"], name="one_suggestion_per_pair")
        ]
        verbose_name = _("提案")
        verbose_name_plural = _("提案")

    def __str__(self) -> str:
        return f"{self.need_id} → {self.resource_id} (#{self.rank})"


class ResidentRequest(models.Model):
    """A resident's anonymous request (こんな場・支えがほしい).

    Anonymous means anonymous: no IP address, no user agent, no account, and the day only.
    Contact details are kept only when the resident explicitly consents. The original text
    is seen by the secretariat alone; members see the Need the secretariat writes from it.
    """

    class Status(models.TextChoices):
        NEW = "new", _("未確認")
        PUBLISHED = "published", _("ニーズとして公開")
        REJECTED = "rejected", _("公開しない")

    text = models.TextField(_("ほしい場・支え"), max_length=2000)
    municipality = models.ForeignKey(
        "geo.Municipality",
        verbose_name=_("お住まいの市区町村（任意）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    target_groups = models.ManyToManyField(
        "directory.TargetGroup", verbose_name=_("どなたのための場・支えか（任意）"), blank=True
    )
    contact_consent = models.BooleanField(_("事務局からの連絡を希望する"), default=False)
    contact_name = models.CharField(_("お名前（任意）"), max_length=100, blank=True)
    contact_email = models.EmailField(_("連絡先メールアドレス"), blank=True)
    contact_phone = models.CharField(_("連絡先電話番号"), max_length=20, blank=True)
    received_on = models.DateField(_("受付日"), default=timezone.localdate)
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.NEW)
    screening_note = models.CharField(_("事務局メモ"), max_length=500, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    need = models.OneToOneField(
        Need,
        verbose_name=_("作成したニーズ"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident_request",
    )

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("住民からの声")
        verbose_name_plural = _("住民からの声")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contact_consent=True)
                | (
                    models.Q(contact_name="")
                    & models.Q(contact_email="")
                    & models.Q(contact_phone="")
                ),
                name="contact_only_with_consent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.received_on} #{self.pk}"


class CorpusVersion(models.Model):
    """One row: the version of the published seeds as the engine sees them. Bumped (with a
    fresh token) in the transaction that changes a resource or its embedding, so that a
    ranking checks for news with one primary-key read (store.py)."""

    version = models.BigIntegerField(default=0)
    token = models.CharField(max_length=32, blank=True)

    def __str__(self) -> str:
        return f"corpus version {self.version}"


class SeedChange(models.Model):
    """Which resources a corpus version changed: a store at version v catches up by
    reloading the resources of the versions after v (kept for the last CHANGES_KEPT)."""

    version = models.BigIntegerField(primary_key=True)
    token = models.CharField(max_length=32)
    resource_ids = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"corpus version {self.version}: {len(self.resource_ids)} resources"
