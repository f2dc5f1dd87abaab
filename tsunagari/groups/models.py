"""分科会 (working groups): members of the network who work on one theme together.

A group has a theme, member organisations (some of them conveners, 世話人), its meetings
(meetings.Meeting.group), documents and a simple discussion board: posts and replies,
with e-mail digests for those who want them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkingGroupQuerySet(models.QuerySet["WorkingGroup"]):
    def active(self) -> WorkingGroupQuerySet:
        return self.filter(status=WorkingGroup.Status.ACTIVE)


class WorkingGroup(models.Model):
    """分科会."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("活動中")
        CLOSED = "closed", _("活動終了")

    name = models.CharField(_("分科会の名称"), max_length=120)
    theme = models.CharField(_("テーマ"), max_length=200)
    description = models.TextField(_("説明"), blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    members = models.ManyToManyField(
        "members.Organization",
        through="GroupMembership",
        verbose_name=_("参加団体"),
        related_name="working_groups",
    )
    is_sample = models.BooleanField(_("サンプル"), default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("分科会")
        verbose_name_plural = _("分科会")

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    """An organisation's membership of a group, dated (for the network graph)."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        "members.Organization", on_delete=models.CASCADE, related_name="group_memberships"
    )
    is_convener = models.BooleanField(_("世話人"), default=False)
    joined_on = models.DateField(_("参加日"), default=timezone.localdate)
    left_on = models.DateField(_("退会日"), null=True, blank=True)

    class Meta:
        ordering = ["-is_convener", "joined_on", "id"]
        verbose_name = _("分科会の参加団体")
        verbose_name_plural = _("分科会の参加団体")
        # One current membership per organisation; rows of past memberships stay (left_on
        # set) so that the network graph keeps the dated history.
        constraints = [
            models.UniqueConstraint(
                fields=["group", "organization"],
                condition=models.Q(left_on__isnull=True),
                name="one_current_membership_per_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} / {self.organization}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class GroupPostQuerySet(models.QuerySet["GroupPost"]):
    def threads(self) -> GroupPostQuerySet:
        """Posts that start a thread (not replies)."""
        return self.filter(parent__isnull=True)


class GroupPost(models.Model):
    """A post on a group's board, or a reply to one (parent)."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The capacity the author wrote in (「どの立場で」): an organisation, or the secretariat.
    organization = models.ForeignKey(
        "members.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("件名"), max_length=120, blank=True)
    body = models.TextField(_("本文"), max_length=8000)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = GroupPostQuerySet.as_manager()

    # How long the author may correct a post.
    EDIT_WINDOW = timedelta(hours=24)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("分科会の投稿")
        verbose_name_plural = _("分科会の投稿")
        indexes = [models.Index(fields=["group", "created_at"])]

    def __str__(self) -> str:
        return self.title or self.body[:30]

    def editable_until(self) -> datetime:
        return self.created_at + self.EDIT_WINDOW


class GroupDigestSubscription(models.Model):
    """One person's opt-in to a daily e-mail digest of a group's new posts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_digests"
    )
    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="digest_subscriptions"
    )
    # Posts after this moment go into the next digest.
    last_sent_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("分科会のまとめメール")
        verbose_name_plural = _("分科会のまとめメール")
        constraints = [
            models.UniqueConstraint(fields=["user", "group"], name="one_digest_per_user_group")
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.group}"
