"""Sample news posts and a mailing for `make demo`, every one marked 【サンプル】.

The posts are the secretariat's or the 【サンプル】 organisations' of directory/sample.py
(never a real member's): two published by the secretariat, one published by a sample
member, one waiting for the secretariat's review. The sample staff opt in to the member
mailings, and one sample mailing is sent to them (through the worker, as any mailing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tsunagari.accounts.models import User
from tsunagari.audit.models import record_created
from tsunagari.directory.sample import SAMPLE_MARK, SAMPLE_NOTE, load_sample_organizations
from tsunagari.news import services
from tsunagari.news.models import Mailing, Post

SAMPLE_DOMAIN = "sample.tsunagari.example"


@dataclass(frozen=True)
class SamplePost:
    owner: str  # a sample organisation's name without the mark; "" for the secretariat
    title: str
    body: str
    category: str
    status: str
    days_ago: int


POSTS = [
    SamplePost(
        "",
        "ホームページを公開しました",
        "かながわつながりネットワークのホームページを公開しました。\n\n"
        "地域の居場所や相談先をさがす、こころのセルフチェック、構成員名簿などをご利用いただけます。",
        Post.Category.NOTICE,
        Post.Status.PUBLISHED,
        20,
    ),
    SamplePost(
        "",
        "構成員の皆さまの5月の取組を集めています",
        "孤独・孤立対策強化月間（5月）に合わせて、構成員の皆さまが行う催しや取組を"
        "ネットワークでまとめて紹介します。\n\n"
        "社会資源の登録ページから、5月の日程を入れてご登録ください。",
        Post.Category.RECRUITING,
        Post.Status.PUBLISHED,
        10,
    ),
    SamplePost(
        "子育てひろば ぽかぽか",
        "親子で参加できる交流会を開きます",
        "小さなお子さんと保護者の方が気軽に集まれる交流会を開きます。\n\n"
        "申込は不要です。どなたでもお越しください。",
        Post.Category.EVENT,
        Post.Status.PUBLISHED,
        3,
    ),
    SamplePost(
        "地域食堂ひだまりの会",
        "食堂を手伝ってくださる方を募集しています",
        "月に2回の地域食堂で、調理や配膳を手伝ってくださる方を募集しています。\n\n"
        "1回だけの参加も歓迎です。",
        Post.Category.RECRUITING,
        Post.Status.REVIEW,
        1,
    ),
]

MAILING_SUBJECT = SAMPLE_MARK + "構成員連絡会のご案内"
MAILING_BODY = (
    "構成員の皆さま\n\n"
    "次回の構成員連絡会についてお知らせします。日時と会場は追ってご案内します。\n\n"
    f"{SAMPLE_NOTE}"
)


def _sample_staff() -> list[User]:
    return list(
        User.objects.filter(
            email__endswith=f"@{SAMPLE_DOMAIN}", affiliations__isnull=False, is_active=True
        )
        .distinct()
        .order_by("pk")
    )


def load_sample_news(today: dt.date | None = None) -> list[str]:
    """Create the samples unless they exist; return lines saying what was made."""
    lines: list[str] = []
    organizations = load_sample_organizations()
    secretariat = User.objects.filter(email=f"secretariat@{SAMPLE_DOMAIN}").first()
    staff = _sample_staff()
    now = timezone.now()
    made = 0
    with transaction.atomic():
        for sample in POSTS:
            title = SAMPLE_MARK + sample.title
            if Post.objects.filter(title=title, is_sample=True).exists():
                continue
            organization = organizations[sample.owner] if sample.owner else None
            author = secretariat
            if organization is not None:
                author = next((u for u in staff if u.may_act_for(organization)), None)
            when = now - dt.timedelta(days=sample.days_ago)
            post = Post.objects.create(
                title=title,
                body=f"{sample.body}\n\n{SAMPLE_NOTE}",
                category=sample.category,
                status=sample.status,
                organization=organization,
                author=author,
                published_at=when if sample.status == Post.Status.PUBLISHED else None,
                submitted_at=when if sample.status == Post.Status.REVIEW else None,
                is_sample=True,
                created_at=when,
            )
            record_created(None, post, Post.AUDITED_FIELDS, note="デモ用サンプルデータ")
            made += 1
    if made:
        lines.append(f"サンプルのお知らせを{made}件（審査待ち1件を含む）作成しました。")

    opted = sum(services.set_subscribed(user, True) for user in staff)
    if opted:
        lines.append(f"サンプルの職員{opted}人を会員向けメールの受け取りにしました。")

    if (
        secretariat is not None
        and not Mailing.objects.filter(subject=MAILING_SUBJECT, is_sample=True).exists()
    ):
        mailing = Mailing.objects.create(
            subject=MAILING_SUBJECT, body=MAILING_BODY, created_by=secretariat, is_sample=True
        )
        count = services.send(mailing, by=secretariat)
        lines.append(f"サンプルの会員向けメールを{count}人に送信しました（ワーカーが送ります）。")
    return lines
