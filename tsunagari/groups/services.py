"""Membership changes, board posts and e-mail digests of working groups (分科会).

Members' staff join a group for their organisation directly (the network is open:
no approval step); they leave it themselves, and a convener's staff or the secretariat
may remove a member. Leaving keeps the row with `left_on` set, so that the network graph
keeps the dated history. Every change runs inside `transaction.atomic()` under a row lock
of the group, so two requests at once cannot make two current memberships.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagari.audit.models import AuditEvent, record, record_created
from tsunagari.core.mail import queue_email
from tsunagari.groups.models import (
    GroupDigestSubscription,
    GroupMembership,
    GroupPost,
    WorkingGroup,
)
from tsunagari.lib.transitions import AlreadyChanged, lock
from tsunagari.members.models import Organization

GROUP_FIELDS = ["name", "theme", "description", "status"]
UNSUBSCRIBE_SALT = "tsunagari.groups.digest-unsubscribe"


def join(actor: Any, group: WorkingGroup, organization: Organization) -> GroupMembership:
    with transaction.atomic():
        lock(group)
        if group.status != WorkingGroup.Status.ACTIVE:
            raise AlreadyChanged(_("この分科会は活動を終えています。"))
        if group.memberships.filter(organization=organization, left_on__isnull=True).exists():
            raise AlreadyChanged(
                _("%(org)sはすでにこの分科会に参加しています。") % {"org": organization.name}
            )
        membership = GroupMembership.objects.create(
            group=group, organization=organization, joined_on=timezone.localdate()
        )
        record(
            actor,
            AuditEvent.Action.CREATE,
            membership,
            changes={"organization": [None, organization.name]},
            note="join",
        )
    return membership


def leave(actor: Any, membership: GroupMembership, *, note: str = "leave") -> None:
    """End a membership (by the organisation's staff, a convener or the secretariat)."""
    with transaction.atomic():
        lock(membership.group)
        updated = GroupMembership.objects.filter(pk=membership.pk, left_on__isnull=True).update(
            left_on=timezone.localdate(), is_convener=False
        )
        if not updated:
            raise AlreadyChanged(_("この団体はすでに分科会を退会しています。"))
        membership.refresh_from_db()
        record(
            actor,
            AuditEvent.Action.STATUS,
            membership,
            changes={"left_on": [None, membership.left_on.isoformat()]},  # type: ignore[union-attr]
            note=note,
        )


def set_convener(actor: Any, membership: GroupMembership, is_convener: bool) -> None:
    with transaction.atomic():
        lock(membership)
        if membership.left_on is not None:
            raise AlreadyChanged(_("この団体はすでに分科会を退会しています。"))
        if membership.is_convener == is_convener:
            return
        membership.is_convener = is_convener
        membership.save(update_fields=["is_convener"])
        record(
            actor,
            AuditEvent.Action.UPDATE,
            membership,
            changes={"is_convener": [not is_convener, is_convener]},
        )


def create_group(actor: Any, group: WorkingGroup) -> WorkingGroup:
    with transaction.atomic():
        group.created_by = actor
        group.save()
        record_created(actor, group, GROUP_FIELDS)
    return group


# The board


def create_post(
    actor: Any,
    group: WorkingGroup,
    organization: Organization | None,
    *,
    title: str,
    body: str,
    parent: GroupPost | None = None,
) -> GroupPost:
    if parent is not None and parent.parent_id is not None:
        parent = parent.parent  # one level of replies: a reply to a reply joins the thread
    return GroupPost.objects.create(
        group=group,
        parent=parent,
        author=actor,
        organization=organization,
        title="" if parent else title,
        body=body,
    )


def can_edit_post(user: Any, post: GroupPost) -> bool:
    return (
        getattr(user, "pk", None) is not None
        and post.author_id == user.pk
        and timezone.now() <= post.editable_until()
    )


def edit_post(actor: Any, post: GroupPost, *, title: str, body: str) -> None:
    with transaction.atomic():
        lock(post)
        if not can_edit_post(actor, post):
            raise AlreadyChanged(_("投稿から24時間を過ぎたため、直せません。"))
        post.title = "" if post.parent_id else title
        post.body = body
        post.edited_at = timezone.now()
        post.save(update_fields=["title", "body", "edited_at"])


# E-mail digests


def is_subscribed(user: Any, group: WorkingGroup) -> bool:
    return GroupDigestSubscription.objects.filter(user=user, group=group).exists()


def set_subscribed(user: Any, group: WorkingGroup, subscribed: bool) -> None:
    if subscribed:
        GroupDigestSubscription.objects.get_or_create(user=user, group=group)
    else:
        GroupDigestSubscription.objects.filter(user=user, group=group).delete()


def unsubscribe_token(subscription: GroupDigestSubscription) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(
        [subscription.user_id, subscription.group_id]
    )


def subscription_from_token(token: str) -> tuple[int, int] | None:
    try:
        user_id, group_id = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return int(user_id), int(group_id)


def unsubscribe_url(subscription: GroupDigestSubscription) -> str:
    return settings.SITE_URL + reverse(
        "groups:digest_unsubscribe", args=[unsubscribe_token(subscription)]
    )


def may_receive(subscription: GroupDigestSubscription) -> bool:
    """Still allowed to read the board: a current member's staff, or the secretariat."""
    user: Any = subscription.user
    if not user.is_active:
        return False
    if user.is_secretariat:
        return True
    return subscription.group.memberships.filter(
        left_on__isnull=True, organization_id__in=user.organization_ids
    ).exists()


def send_digests() -> int:
    """Mail each subscriber the posts of their group since their last digest.

    Safe to run again, or twice at once: a digest is queued only by the run whose
    conditional update moved `last_sent_at` from the value it read."""
    sent = 0
    now = timezone.now()
    for subscription in GroupDigestSubscription.objects.select_related("user", "group"):
        posts = list(
            GroupPost.objects.filter(
                group=subscription.group,
                created_at__gt=subscription.last_sent_at,
                created_at__lte=now,
            ).select_related("author", "organization", "parent")
        )
        if not posts or not may_receive(subscription):
            continue
        with transaction.atomic():
            claimed = GroupDigestSubscription.objects.filter(
                pk=subscription.pk, last_sent_at=subscription.last_sent_at
            ).update(last_sent_at=now)
            if not claimed:
                continue
            url = unsubscribe_url(subscription)
            queue_email(
                "groups/email/digest",
                [subscription.user.email],
                {
                    "name": subscription.user.full_name,
                    "group": subscription.group,
                    "posts": posts,
                    "group_url": settings.SITE_URL
                    + reverse("groups:group_detail", args=[subscription.group_id]),
                    "unsubscribe_url": url,
                },
                headers={
                    "List-Unsubscribe": f"<{url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
        sent += 1
    return sent
