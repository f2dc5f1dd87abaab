"""協議の場: the network's meetings, their agenda, documents, RSVPs, minutes and action items.

A meeting is held by the secretariat (a network meeting), by a municipality's officers,
by a member organisation, for a working group (groups.WorkingGroup) or for a local
council (councils.LocalCouncil). Organisations RSVP with the number of people and their
names; seats are never over-booked. A meeting is closed with its minutes: decisions,
action items (ActionItem: owner, due date), the organisations that attended and the
attendee count. Confidential minutes (a council's case discussion) are read only by the
attending organisations and the secretariat, and every read is audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def published(self) -> MeetingQuerySet:
        return self.filter(status__in=(Meeting.Status.PUBLISHED, Meeting.Status.CLOSED))

    def upcoming(self) -> MeetingQuerySet:
        return self.filter(status=Meeting.Status.PUBLISHED, starts_at__gte=timezone.now())


class Meeting(models.Model):
    """A meeting of the network (会議・情報交換会・ワークショップ)."""

    class Kind(models.TextChoices):
        NETWORK = "network", _("ネットワーク全体の会議")
        MUNICIPAL = "municipal", _("市町村の会議")
        MEMBER = "member", _("構成員が主催する会議")
        GROUP = "group", _("分科会")
        COUNCIL = "council", _("地域協議会")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("会場で")
        ONLINE = "online", _("オンライン")
        HYBRID = "hybrid", _("会場とオンライン")

    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        PUBLISHED = "published", _("参加受付中")
        CANCELLED = "cancelled", _("中止")
        CLOSED = "closed", _("終了（議事録あり）")

    kind = models.CharField(_("種類"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("会議名"), max_length=150)
    description = models.TextField(_("内容"), blank=True)
    # Who holds it: a member organisation, a municipality's officers, or (neither) the
    # secretariat; a group's or council's meeting names them too.
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("主催団体"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_organized",
    )
    municipality = models.ForeignKey(
        "geo.Municipality",
        verbose_name=_("主催市町村"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_organized",
    )
    group = models.ForeignKey(
        "groups.WorkingGroup",
        verbose_name=_("分科会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    council = models.ForeignKey(
        "councils.LocalCouncil",
        verbose_name=_("地域協議会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    format = models.CharField(
        _("開催方法"), max_length=10, choices=Format.choices, default=Format.IN_PERSON
    )
    location = models.ForeignKey(
        "directory.Location",
        verbose_name=_("会場（社会資源の場所）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    venue = models.CharField(_("会場"), max_length=200, blank=True)
    online_url = models.URLField(_("オンライン参加のURL"), blank=True)
    starts_at = models.DateTimeField(_("開始日時"))
    ends_at = models.DateTimeField(_("終了日時"))
    capacity = models.PositiveIntegerField(_("定員（人）"), null=True, blank=True)
    rsvp_deadline = models.DateTimeField(_("出欠の締切"), null=True, blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Minutes: required to close a meeting.
    confidential = models.BooleanField(
        _("議事録を出席団体だけに公開する"),
        default=False,
        help_text=_("地域協議会での個別事例の検討など。出席した団体と事務局だけが読めます。"),
    )
    minutes = models.TextField(_("議事録"), blank=True)
    decisions = models.TextField(_("決定事項"), blank=True)
    attendee_count = models.PositiveIntegerField(_("出席者数"), null=True, blank=True)
    attending_organizations = models.ManyToManyField(
        "members.Organization",
        verbose_name=_("出席した団体"),
        blank=True,
        related_name="meetings_attended",
    )
    closed_at = models.DateTimeField(_("終了処理の日時"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_sample = models.BooleanField(_("サンプル"), default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("会議")
        verbose_name_plural = _("会議")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gt=0),
                name="meeting_capacity_positive",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    """議題: one item of a meeting's agenda, with who presents it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    title = models.CharField(_("議題"), max_length=200)
    presenter = models.CharField(_("発表者"), max_length=120, blank=True)
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("発表団体"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    minutes_note = models.TextField(_("この議題の記録"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("議題")
        verbose_name_plural = _("議題")

    def __str__(self) -> str:
        return self.title


class MeetingDocument(models.Model):
    """A document attached to a meeting (資料: PDF, slides), with checked type and size."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("資料名"), max_length=150)
    file = models.FileField(_("ファイル"), upload_to="meetings/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("会議資料")
        verbose_name_plural = _("会議資料")

    def __str__(self) -> str:
        return self.title


class Rsvp(models.Model):
    """出欠: one organisation's answer for a meeting, with how many people and who."""

    class Status(models.TextChoices):
        ATTENDING = "attending", _("出席")
        DECLINED = "declined", _("欠席")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    organization = models.ForeignKey(
        "members.Organization", on_delete=models.CASCADE, related_name="rsvps"
    )
    status = models.CharField(_("出欠"), max_length=10, choices=Status.choices)
    people = models.PositiveSmallIntegerField(_("人数"), default=1)
    names = models.TextField(_("参加者の氏名"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    responded_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["responded_at", "id"]
        verbose_name = _("出欠")
        verbose_name_plural = _("出欠")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "organization"], name="one_rsvp_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} / {self.organization}"


class ActionItem(models.Model):
    """A task decided at a meeting (アクションアイテム): an owner, a due date, done or not.

    In one step it becomes a need (`need`), a collaboration (`collaboration`) or a
    model-case candidate (`case_candidate_at`), keeping the link.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    text = models.CharField(_("内容"), max_length=300)
    owner_organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("担当団体"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    # With no organisation the secretariat owns it; a person may be named as well.
    owner_name = models.CharField(_("担当者"), max_length=100, blank=True)
    due_on = models.DateField(_("期限"))
    done_at = models.DateTimeField(_("完了日時"), null=True, blank=True)
    need = models.ForeignKey(
        "matching.Need",
        verbose_name=_("ニーズ"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    collaboration = models.ForeignKey(
        "collaborations.Collaboration",
        verbose_name=_("連携・協働"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    case_candidate_at = models.DateTimeField(_("モデル事例の候補にした日時"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["due_on", "sort_order", "id"]
        verbose_name = _("アクションアイテム")
        verbose_name_plural = _("アクションアイテム")
        indexes = [models.Index(fields=["done_at", "due_on"])]

    def __str__(self) -> str:
        return self.text
