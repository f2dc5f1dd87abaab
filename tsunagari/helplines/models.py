"""National and prefecture-wide consultation lines (全国・県の相談窓口).

These are not members' resources: they come from a reference list of public lines
(ministries, the prefecture, national NPOs) with the page each row was read from and the
date that page showed it. A line is shown to residents only while it is published, and
it can be published only with its source and seen date (a database constraint says so,
not only the forms). The secretariat re-verifies lines against their official pages,
retires them and restores them; every change goes to the audit trail.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.helplines import labels

# A line without its source and seen date cannot be published (see NationalLine.Meta).
HAS_SOURCE = ~Q(source_url="") & Q(source_seen__isnull=False)


class NationalLineQuerySet(models.QuerySet["NationalLine"]):
    def published(self) -> NationalLineQuerySet:
        return self.filter(status=NationalLine.Status.PUBLISHED)

    def shown_on(self, day: dt.date) -> NationalLineQuerySet:
        """What a resident sees on `day`: published lines, and a line that runs only in
        announced periods (#9999) only inside the period the secretariat entered."""
        in_period = Q(period_starts_on__lte=day, period_ends_on__gte=day)
        return self.published().filter(Q(period_only=False) | in_period)

    def for_residents(self, day: dt.date | None = None) -> NationalLineQuerySet:
        """Shown lines in the order a person in need should meet them: emergency numbers,
        then lines open 24 hours, lines for everyone before lines for one group, and
        national before prefecture lines; otherwise the order of the reference list."""
        day = day or timezone.localdate()
        return self.shown_on(day).order_by(
            models.Case(
                models.When(kind=NationalLine.Kind.EMERGENCY, then=0),
                default=1,
            ),
            "-is_24h",
            "-for_everyone",
            models.Case(
                models.When(scope=NationalLine.Scope.NATIONAL, then=0),
                default=1,
            ),
            "position",
            "pk",
        )


class NationalLine(models.Model):
    """A national or Kanagawa-wide consultation line (全国・県の相談窓口), or 110 / 119."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("電話")
        SNS = "sns", _("SNS")
        CHAT = "chat", _("チャット")
        EMERGENCY = "emergency", _("緊急通報")

    class Scope(models.TextChoices):
        NATIONAL = "national", _("全国")
        KANAGAWA = "kanagawa", _("神奈川県")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("公開中")
        PENDING = "pending", _("確認待ち")
        RETIRED = "retired", _("掲載終了")

    name_ja = models.CharField(_("名称"), max_length=200, unique=True)
    name_en = models.CharField(_("名称（英語）"), max_length=200)
    kind = models.CharField(_("種類"), max_length=10, choices=Kind.choices)
    phone = models.CharField(_("電話番号"), max_length=40, blank=True)
    url = models.CharField(
        _("SNS・ウェブサイト"),
        max_length=500,
        blank=True,
        help_text=_("チャットのURL、SNSのID、または案内ページ"),
    )
    hours_ja = models.CharField(_("受付時間"), max_length=300, blank=True)
    hours_en = models.CharField(_("受付時間（英語）"), max_length=300, blank=True)
    free = models.BooleanField(_("無料"), default=False)
    languages = models.JSONField(_("対応言語"), default=list, blank=True)
    targets = models.JSONField(_("対象"), default=list, blank=True)
    for_everyone = models.BooleanField(_("どなたでも相談できる"), default=False)
    scope = models.CharField(_("範囲"), max_length=10, choices=Scope.choices)
    is_24h = models.BooleanField(_("24時間"), default=False)
    source_url = models.URLField(_("出典URL"), max_length=500, blank=True)
    source_seen = models.DateField(_("情報確認日"), null=True, blank=True)
    notes = models.TextField(_("メモ（事務局向け）"), blank=True)
    position = models.PositiveIntegerField(_("一覧の順"), default=0)
    period_only = models.BooleanField(
        _("期間限定"),
        default=False,
        help_text=_("告知された期間だけ実施する窓口。事務局が入力した期間の中だけ表示します。"),
    )
    period_starts_on = models.DateField(_("実施期間（開始）"), null=True, blank=True)
    period_ends_on = models.DateField(_("実施期間（終了）"), null=True, blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    verified_on = models.DateField(_("事務局の確認日"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("確認した人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    retired_reason = models.CharField(_("掲載終了の理由"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = NationalLineQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("全国・県の相談窓口")
        verbose_name_plural = _("全国・県の相談窓口")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | HAS_SOURCE,
                name="helplines_published_line_has_source",
                violation_error_message=_("出典URLと情報確認日のない窓口は公開できません。"),
            ),
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(url=""),
                name="helplines_line_can_be_reached",
                violation_error_message=_("電話番号かSNS・ウェブサイトのどちらかが必要です。"),
            ),
            models.CheckConstraint(
                condition=Q(period_starts_on__isnull=True)
                | Q(period_ends_on__isnull=True)
                | Q(period_ends_on__gte=models.F("period_starts_on")),
                name="helplines_period_in_order",
                violation_error_message=_("実施期間の終了日は開始日より後にしてください。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name_ja

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.status == self.Status.PUBLISHED:
            if not self.source_url:
                errors["source_url"] = _("出典URLのない窓口は公開できません。")
            if self.source_seen is None:
                errors["source_seen"] = _("情報確認日のない窓口は公開できません。")
        if (
            self.period_starts_on
            and self.period_ends_on
            and self.period_ends_on < self.period_starts_on
        ):
            errors["period_ends_on"] = _("実施期間の終了日は開始日より後にしてください。")
        if errors:
            raise ValidationError(errors)

    @property
    def has_source(self) -> bool:
        return bool(self.source_url) and self.source_seen is not None

    def is_shown_on(self, day: dt.date) -> bool:
        if self.status != self.Status.PUBLISHED:
            return False
        if not self.period_only:
            return True
        return bool(
            self.period_starts_on
            and self.period_ends_on
            and self.period_starts_on <= day <= self.period_ends_on
        )

    def language_labels(self, *, easy: bool = False) -> list[str]:
        return [labels.label(labels.LANGUAGES, code, easy=easy) for code in self.languages]

    def target_labels(self, *, easy: bool = False) -> list[str]:
        return [
            labels.label(labels.TARGETS, code, easy=easy)
            for code in self.targets
            if code != "everyone"
        ]
