"""Sample working groups with posts, and a local council, for `make demo` (【サンプル】).

The group's members are the 【サンプル】 organisations of directory/sample.py (never a real
member); its board posts are written by their sample staff (if the demo has them) or
by no one in particular. The council is in 藤沢市 with 【サンプル】 member bodies and an
example.org link: no fact about a real council is stated.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from tsunagari.accounts.models import User
from tsunagari.councils.models import CouncilMember, LocalCouncil
from tsunagari.directory.sample import SAMPLE_MARK, SAMPLE_NOTE, load_sample_organizations
from tsunagari.geo.models import Municipality
from tsunagari.groups.models import GroupMembership, GroupPost, WorkingGroup

GROUP_NAME = SAMPLE_MARK + "居場所づくり分科会"
GROUP_MEMBERS = [
    ("地域食堂ひだまりの会", True),
    ("シニアの集い「ゆうやけ」", True),
    ("子育てひろば ぽかぽか", False),
    ("若者サポート ステップ", False),
]
# (author organisation, title, body, replies [(organisation, body)]), oldest first.
THREADS = [
    (
        "地域食堂ひだまりの会",
        "次回の分科会で話したいこと",
        "居場所に来なくなった方に、どう声をかけているか、それぞれの工夫を持ち寄りませんか。",
        [
            ("シニアの集い「ゆうやけ」", "賛成です。はがきで近況を伺う取組を紹介できます。"),
            ("子育てひろば ぽかぽか", "子育て中の方向けのLINEでの声かけについて話せます。"),
        ],
    ),
    (
        "シニアの集い「ゆうやけ」",
        "会場の情報交換",
        "平日の昼に使える会場を探しています。"
        "詳しくは https://example.org/sample/kaijo/ をご覧ください。",
        [("若者サポート ステップ", "夕方でよければ、私たちの事務所の一室をお貸しできます。")],
    ),
]
COUNCIL_NAME = SAMPLE_MARK + "藤沢市孤独・孤立対策地域協議会"
COUNCIL_MEMBERS = [
    "地域食堂ひだまりの会",
    "生活サポートセンターささえ",
    "こころの相談室ひとやすみ",
]


def _author(organization: Any) -> User | None:
    return (
        User.objects.filter(affiliations__organization=organization, is_active=True)
        .order_by("pk")
        .first()
    )


def _load_group(organizations: dict[str, Any]) -> list[str]:
    if WorkingGroup.objects.filter(name=GROUP_NAME, is_sample=True).exists():
        return []
    now = timezone.now()
    with transaction.atomic():
        group = WorkingGroup.objects.create(
            name=GROUP_NAME,
            theme="地域の居場所を続けるための工夫",
            description=f"居場所を運営する団体が、運営の悩みや工夫を持ち寄る分科会です。\n\n{SAMPLE_NOTE}",
            is_sample=True,
        )
        for name, convener in GROUP_MEMBERS:
            GroupMembership.objects.create(
                group=group,
                organization=organizations[name],
                is_convener=convener,
                joined_on=timezone.localdate() - dt.timedelta(days=90),
            )
        days = len(THREADS) * 3
        for owner, title, body, replies in THREADS:
            org = organizations[owner]
            post = GroupPost.objects.create(
                group=group,
                organization=org,
                author=_author(org),
                title=SAMPLE_MARK + title,
                body=body,
                created_at=now - dt.timedelta(days=days),
            )
            for hours, (reply_owner, reply_body) in enumerate(replies, start=1):
                reply_org = organizations[reply_owner]
                GroupPost.objects.create(
                    group=group,
                    parent=post,
                    organization=reply_org,
                    author=_author(reply_org),
                    body=reply_body,
                    created_at=post.created_at + dt.timedelta(hours=hours * 5),
                )
            days -= 3
    return ["サンプルの分科会を1件（参加4団体、世話人2団体、掲示板の投稿と返信）作成しました。"]


def _load_council(organizations: dict[str, Any]) -> list[str]:
    if LocalCouncil.objects.filter(name=COUNCIL_NAME, is_sample=True).exists():
        return []
    municipality = Municipality.objects.filter(code="142051").first()  # 藤沢市
    if municipality is None:
        return []
    with transaction.atomic():
        council = LocalCouncil.objects.create(
            municipality=municipality,
            name=COUNCIL_NAME,
            coordinating_body=SAMPLE_MARK + "福祉部 地域共生社会推進課",
            established_on=dt.date(2025, 4, 1),
            notice=f"構成機関は、協議会の事務について知り得た秘密を守ります。\n\n{SAMPLE_NOTE}",
            source_url="https://example.org/sample/council/",
            is_sample=True,
        )
        for order, name in enumerate(COUNCIL_MEMBERS):
            CouncilMember.objects.create(
                council=council,
                name=SAMPLE_MARK + name,
                organization=organizations.get(name),
                sort_order=order,
            )
        CouncilMember.objects.create(
            council=council,
            name=SAMPLE_MARK + "地域包括支援センター（架空）",
            sort_order=len(COUNCIL_MEMBERS),
        )
    return ["サンプルの地域協議会を1件（藤沢市、構成機関4）作成しました。"]


def load_sample_groups() -> list[str]:
    """Create the samples unless they exist; return lines saying what was made."""
    organizations = load_sample_organizations()
    return _load_group(organizations) + _load_council(organizations)
