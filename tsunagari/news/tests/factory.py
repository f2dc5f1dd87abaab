"""Plain makers of news posts, subscriptions and mailings for the tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tsunagari.news.models import Mailing, Post, Subscription


def make_post(title: str = "【テスト】お知らせ", **fields: Any) -> Post:
    """A published post of the secretariat unless told otherwise."""
    fields.setdefault("body", "本文です。")
    fields.setdefault("status", Post.Status.PUBLISHED)
    if fields["status"] == Post.Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now() - timedelta(minutes=1))
    return Post.objects.create(title=title, **fields)


def subscribe(*users: Any) -> None:
    for user in users:
        Subscription.objects.update_or_create(user=user, defaults={"subscribed": True})


def make_mailing(subject: str = "【テスト】会員向けメール", **fields: Any) -> Mailing:
    fields.setdefault("body", "構成員のみなさまへ。\n\n次回の会議のお知らせです。")
    return Mailing.objects.create(subject=subject, **fields)
