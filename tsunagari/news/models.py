"""News posts (お知らせ) and member mailings (会員向けメール)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PostQuerySet(models.QuerySet["Post"]):
    def published(self) -> PostQuerySet:
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())

    def newest_first(self) -> PostQuerySet:
        return self.order_by("-published_at", "-pk")

    def for_list(self) -> PostQuerySet:
        return self.select_related("organization")


class Post(models.Model):
    """A news post (お知らせ) by the secretariat or, after review, by a member."""

    class Category(models.TextChoices):
        NOTICE = "notice", pgettext_lazy("news category", "お知らせ")
        EVENT = "event", pgettext_lazy("news category", "イベント")
        RECRUITING = "recruiting", pgettext_lazy("news category", "募集")
        REPORT = "report", pgettext_lazy("news category", "報告")

    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        REVIEW = "review", _("審査待ち")
        RETURNED = "returned", _("差し戻し")
        PUBLISHED = "published", _("公開中")
        UNPUBLISHED = "unpublished", _("公開停止")

    AUDITED_FIELDS = ["title", "category", "body", "organization", "status"]

    title = models.CharField(_("タイトル"), max_length=120)
    category = models.CharField(
        _("分類"), max_length=12, choices=Category.choices, default=Category.NOTICE
    )
    body = models.TextField(
        _("本文"),
        max_length=10000,
        help_text=_("文章のみ。空行で段落を分けます。URLはリンクになります。"),
    )
    # None: the secretariat's own post.
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("発信団体"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="news_posts",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("状態"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("審査の依頼日時"), null=True, blank=True)
    return_reason = models.TextField(_("差し戻しの理由"), blank=True)
    is_sample = models.BooleanField(_("サンプル"), default=False)
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "published_at"])]
        verbose_name = _("お知らせ")
        verbose_name_plural = _("お知らせ")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("news:post_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


class Subscription(models.Model):
    """A member staff's choice to receive the member mailings (配信希望). Off unless
    the person turned it on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("利用者"),
        on_delete=models.CASCADE,
        related_name="news_subscription",
    )
    subscribed = models.BooleanField(_("会員向けメールを受け取る"), default=False)
    changed_at = models.DateTimeField(_("変更日時"), default=timezone.now)

    class Meta:
        verbose_name = _("会員向けメールの配信設定")
        verbose_name_plural = _("会員向けメールの配信設定")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.subscribed}"


class Mailing(models.Model):
    """A mailing to the member staff who opted in (会員向けメール), written by the
    secretariat. Once sent, its subject and body are the record of what was sent."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        SENDING = "sending", _("送信中")
        SENT = "sent", _("送信済み")

    subject = models.CharField(_("件名"), max_length=120)
    body = models.TextField(_("本文"), max_length=20000)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("送信した人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("送信開始日時"), null=True, blank=True)
    finished_at = models.DateTimeField(_("送信完了日時"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("宛先の数"), default=0)
    is_sample = models.BooleanField(_("サンプル"), default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("会員向けメール")
        verbose_name_plural = _("会員向けメール")

    def __str__(self) -> str:
        return self.subject


class Recipient(models.Model):
    """One person a mailing goes to; one row per (mailing, person), so sending twice
    (a double click, a retried task) never mails anyone twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("送信待ち")
        QUEUED = "queued", _("送信処理へ")
        SKIPPED = "skipped", _("配信停止のため送らず")

    mailing = models.ForeignKey(
        Mailing,
        verbose_name=_("会員向けメール"),
        on_delete=models.CASCADE,
        related_name="recipients",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("宛先"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    mail = models.ForeignKey(
        "core.OutgoingMail",
        verbose_name=_("送信メール"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("会員向けメールの宛先")
        verbose_name_plural = _("会員向けメールの宛先")
        constraints = [
            models.UniqueConstraint(fields=["mailing", "user"], name="mailing_recipient_once")
        ]

    def __str__(self) -> str:
        return f"{self.mailing_id} → {self.user_id}"
