"""The steps of a news post and the sending of a member mailing.

A post's status changes only by a conditional update (`filter(pk=…, status__in=…)`):
when two people act on one post at once, the second finds nothing to change and is told
so. Each change is written to the audit trail, and the author is mailed, in the same
transaction. Public news pages are cached (lib/pagecache.py, family "news"): a post's
save bumps the family (NewsConfig.ready) and so does every conditional update here.

A mailing becomes one `Recipient` row per person who opted in (unique per mailing and
person), then a task per batch of `BATCH_SIZE` puts each recipient's mail into the
outbox, recipient by recipient, with a conditional update: a batch run twice finds
nothing left to queue.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent, record
from tsunagari.core.context_processors import contact_office
from tsunagari.core.mail import queue_email
from tsunagari.core.models import OutgoingMail
from tsunagari.lib import pagecache
from tsunagari.lib.transitions import AlreadyChanged, lock
from tsunagari.news.models import Mailing, Post, Recipient, Subscription

Status = Post.Status
BATCH_SIZE = 50
MAILING_TEMPLATE = "news/email/mailing"
UNSUBSCRIBE_SALT = "tsunagari.news.unsubscribe"


# ---------------------------------------------------------------- posts


def _step(
    post: Post,
    *,
    by: Any,
    allowed_from: list[str],
    to: str,
    note: str = "",
    **values: Any,
) -> bool:
    """Move `post` to `to` if it is still in one of `allowed_from`; audit it."""
    with transaction.atomic():
        before = post.status
        changed = Post.objects.filter(pk=post.pk, status__in=allowed_from).update(
            status=to, updated_at=timezone.now(), **values
        )
        if not changed:
            post.refresh_from_db()
            return False
        post.refresh_from_db()
        record(
            by,
            AuditEvent.Action.STATUS,
            post,
            changes={"status": [before, to]},
            note=note,
        )
        pagecache.bump("news")
    return True


def publish(post: Post, *, by: Any) -> bool:
    """The secretariat publishes (its own post, or a member's without waiting)."""
    return _step(
        post,
        by=by,
        allowed_from=[Status.DRAFT, Status.REVIEW, Status.RETURNED, Status.UNPUBLISHED],
        to=Status.PUBLISHED,
        published_at=post.published_at or timezone.now(),
        return_reason="",
    )


def submit(post: Post, *, by: Any) -> bool:
    """A member's staff asks the secretariat to review the post (審査を依頼する)."""
    return _step(
        post,
        by=by,
        allowed_from=[Status.DRAFT, Status.RETURNED],
        to=Status.REVIEW,
        submitted_at=timezone.now(),
        note="審査を依頼",
    )


def approve(post: Post, *, by: Any) -> bool:
    """The secretariat approves a post under review: it is published and its author told."""
    with transaction.atomic():
        ok = _step(
            post,
            by=by,
            allowed_from=[Status.REVIEW],
            to=Status.PUBLISHED,
            published_at=timezone.now(),
            return_reason="",
            note="承認",
        )
        if ok:
            _tell_author(post, "news/email/post_approved")
    return ok


def return_for_changes(post: Post, *, by: Any, reason: str) -> bool:
    """The secretariat returns a post under review with a reason, mailed to the author."""
    with transaction.atomic():
        ok = _step(
            post,
            by=by,
            allowed_from=[Status.REVIEW],
            to=Status.RETURNED,
            return_reason=reason,
            note=f"差し戻し：{reason}",
        )
        if ok:
            _tell_author(post, "news/email/post_returned")
    return ok


def unpublish(post: Post, *, by: Any) -> bool:
    return _step(post, by=by, allowed_from=[Status.PUBLISHED], to=Status.UNPUBLISHED)


def _tell_author(post: Post, template: str) -> None:
    author = post.author
    if author is None or not author.is_active:
        return
    queue_email(
        template,
        [author.email],
        {
            "post": post,
            "name": author.full_name,
            "manage_url": settings.SITE_URL + reverse("news:manage_detail", args=[post.pk]),
            "public_url": settings.SITE_URL + post.get_absolute_url(),
        },
    )


# ---------------------------------------------------------------- subscriptions


def is_subscribed(user: Any) -> bool:
    return Subscription.objects.filter(user_id=user.pk, subscribed=True).exists()


def set_subscribed(user: Any, subscribed: bool) -> bool:
    """Turn the member mailings on or off for `user`; True if it changed."""
    with transaction.atomic():
        subscription, created = Subscription.objects.select_for_update().get_or_create(
            user_id=user.pk, defaults={"subscribed": subscribed}
        )
        if created:
            return subscribed
        if subscription.subscribed == subscribed:
            return False
        subscription.subscribed = subscribed
        subscription.changed_at = timezone.now()
        subscription.save(update_fields=["subscribed", "changed_at"])
    return True


def unsubscribe_token(user: Any) -> str:
    """A signed token naming the person (by id, never by e-mail) for one-click unsubscribe."""
    # Signer, not dumps (TimestampSigner): the same link in every mailing, never expiring.
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(user.pk)


def user_from_token(token: str) -> User | None:
    try:
        pk = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return User.objects.filter(pk=pk).first()


def unsubscribe_url(user: Any) -> str:
    return settings.SITE_URL + reverse("news:unsubscribe", args=[unsubscribe_token(user)])


def unsubscribe_headers(user: Any) -> dict[str, str]:
    """RFC 2369 and RFC 8058: a mail client's own 「配信停止」 button posts to the URL."""
    mailto = f"mailto:{settings.DEFAULT_FROM_EMAIL}?subject=unsubscribe"
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user)}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def subscribers() -> Any:
    """Active member staff who opted in."""
    return (
        User.objects.filter(
            is_active=True,
            news_subscription__subscribed=True,
            affiliations__isnull=False,
        )
        .distinct()
        .order_by("pk")
    )


# ---------------------------------------------------------------- mailings


def mailing_context(mailing: Mailing, user: Any) -> dict[str, Any]:
    return {
        "mailing": mailing,
        "name": getattr(user, "full_name", ""),
        "unsubscribe_url": unsubscribe_url(user),
        "settings_url": settings.SITE_URL + reverse("news:subscription"),
    }


def render_mailing(mailing: Mailing, user: Any) -> tuple[str, str, dict[str, str]]:
    """(subject, body, headers) of the mail as `user` receives it, for the preview;
    the same templates and context as the mail itself."""
    context = {
        "site_url": settings.SITE_URL,
        "CONTACT_OFFICE": contact_office(),
        **mailing_context(mailing, user),
    }
    with translation.override("ja"):
        subject = render_to_string(f"{MAILING_TEMPLATE}_subject.txt", context, using="text")
        body = render_to_string(f"{MAILING_TEMPLATE}_body.txt", context, using="text")
    return " ".join(subject.split()), body, unsubscribe_headers(user)


def send(mailing: Mailing, *, by: Any) -> int:
    """Start sending a draft: a recipient row per subscriber and a task per batch, in one
    transaction. Returns the number of recipients; AlreadyChanged if it was sent already."""
    from tsunagari.news.tasks import send_mailing_batch

    with transaction.atomic():
        lock(mailing)
        if mailing.status != Mailing.Status.DRAFT:
            raise AlreadyChanged("このメールはすでに送信されています。")
        user_ids = list(subscribers().values_list("pk", flat=True))
        Recipient.objects.bulk_create(
            [Recipient(mailing=mailing, user_id=pk) for pk in user_ids], ignore_conflicts=True
        )
        now = timezone.now()
        mailing.status = Mailing.Status.SENDING
        mailing.sent_by = by
        mailing.sent_at = now
        mailing.recipient_count = len(user_ids)
        if not user_ids:
            mailing.status = Mailing.Status.SENT
            mailing.finished_at = now
        mailing.save(
            update_fields=["status", "sent_by", "sent_at", "recipient_count", "finished_at"]
        )
        record(
            by,
            AuditEvent.Action.STATUS,
            mailing,
            changes={"status": [Mailing.Status.DRAFT, mailing.status]},
            note=f"会員向けメールを送信（{len(user_ids)}人）",
        )
        ids = list(mailing.recipients.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH_SIZE):
            send_mailing_batch.enqueue(
                mailing_id=mailing.pk, recipient_ids=ids[start : start + BATCH_SIZE]
            )
    return len(user_ids)


def send_batch(mailing_id: int, recipient_ids: list[int]) -> dict[str, int]:
    """Put each pending recipient's mail in the outbox (one transaction per recipient, so
    a batch stopped half-way resumes where it stopped); skip anyone who unsubscribed
    after the mailing was sent. Safe to run again."""
    mailing = Mailing.objects.get(pk=mailing_id)
    counts = {"queued": 0, "skipped": 0}
    for recipient in Recipient.objects.filter(
        pk__in=recipient_ids, mailing_id=mailing_id, status=Recipient.Status.PENDING
    ).select_related("user"):
        with transaction.atomic():
            # Each step a conditional update on the row: a second run of the batch (or a
            # worker that took it over) waits on the row and then finds it taken.
            mine = Recipient.objects.filter(pk=recipient.pk, status=Recipient.Status.PENDING)
            user = recipient.user
            if not user.is_active or not is_subscribed(user):
                counts["skipped"] += mine.update(status=Recipient.Status.SKIPPED)
                continue
            if not mine.update(status=Recipient.Status.QUEUED):
                continue
            mail = queue_email(
                MAILING_TEMPLATE,
                [user.email],
                mailing_context(mailing, user),
                headers=unsubscribe_headers(user),
            )
            Recipient.objects.filter(pk=recipient.pk).update(mail=mail)
            counts["queued"] += 1
    finish_if_done(mailing_id)
    return counts


def finish_if_done(mailing_id: int) -> None:
    if not Recipient.objects.filter(
        mailing_id=mailing_id, status=Recipient.Status.PENDING
    ).exists():
        Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.SENDING).update(
            status=Mailing.Status.SENT, finished_at=timezone.now()
        )


def tally(mailing: Mailing) -> dict[str, int]:
    """What happened to the mailing's mails: sent, failed (undelivered), waiting
    (in the outbox or not yet handed to it), skipped (unsubscribed meanwhile)."""
    skipped = Q(status=Recipient.Status.SKIPPED)
    sent = Q(mail__status=OutgoingMail.Status.SENT) & ~skipped
    failed = Q(mail__status=OutgoingMail.Status.UNDELIVERED) & ~skipped
    counts = mailing.recipients.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=sent),
        failed=Count("pk", filter=failed),
        skipped=Count("pk", filter=skipped),
    )
    counts["waiting"] = counts["total"] - counts["sent"] - counts["failed"] - counts["skipped"]
    return counts
