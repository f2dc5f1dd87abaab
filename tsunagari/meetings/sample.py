"""Sample meetings for `make demo`, every one marked 【サンプル】: an upcoming network
meeting with RSVPs from 【サンプル】 organisations, a past one closed with minutes and
action items (one overdue), and one organised by a 【サンプル】 member. Created once: a
second run finds them by title and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tsunagari.directory.sample import DEMO_STAFF_ORGANISATIONS
from tsunagari.meetings.models import ActionItem, AgendaItem, Meeting, Rsvp
from tsunagari.members.models import Organization

MARK = "【サンプル】"
NOTE = "※これはデモ用のサンプルです。実際の会議ではありません。"
UPCOMING = MARK + "かながわつながりネットワーク 情報交換会（次回）"
CLOSED = MARK + "かながわつながりネットワーク 情報交換会（前回）"
MEMBER = MARK + "地域の居場所づくり 意見交換会"


def _at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def load_sample_meetings() -> list[str]:
    """Create the samples unless they exist; return lines saying what was made."""
    if Meeting.objects.filter(is_sample=True, title__in=[UPCOMING, CLOSED, MEMBER]).exists():
        return []
    # The organisations whose 【サンプル】 staff accounts load_demo makes come first, so that
    # a demo visitor signed in as their staff sees their replies and action items.
    demo = [MARK + name for name in DEMO_STAFF_ORGANISATIONS]
    candidates = Organization.objects.filter(is_sample=True, name__startswith=MARK)
    organizations = sorted(
        candidates.order_by("id")[:50],
        key=lambda o: (demo.index(o.name) if o.name in demo else len(demo), o.pk),
    )[:5]
    if len(organizations) < 3:
        return []
    with transaction.atomic():
        upcoming = Meeting.objects.create(
            kind=Meeting.Kind.NETWORK,
            title=UPCOMING,
            description="県内の構成員が、それぞれの取組と困りごとを持ち寄ります。\n" + NOTE,
            format=Meeting.Format.HYBRID,
            venue="【サンプル】県民センター 会議室（架空の会場）",
            online_url="https://meet.example.jp/sample-network-meeting",
            starts_at=_at(14, 14),
            ends_at=_at(14, 16),
            rsvp_deadline=_at(12, 23),
            capacity=40,
            status=Meeting.Status.PUBLISHED,
            is_sample=True,
        )
        for n, title in enumerate(["事務局からの報告", "構成員の取組紹介", "意見交換"]):
            AgendaItem.objects.create(
                meeting=upcoming,
                title=title,
                presenter="事務局" if n == 0 else "",
                organization=organizations[0] if n == 1 else None,
                sort_order=n,
            )
        for n, organization in enumerate(organizations[:3]):
            Rsvp.objects.create(
                meeting=upcoming,
                organization=organization,
                status=Rsvp.Status.ATTENDING,
                people=n + 1,
                names="\n".join(f"【サンプル】参加者{n + 1}-{k + 1}" for k in range(n + 1)),
            )
        closed = Meeting.objects.create(
            kind=Meeting.Kind.NETWORK,
            title=CLOSED,
            description=NOTE,
            format=Meeting.Format.IN_PERSON,
            venue="【サンプル】県民センター 会議室（架空の会場）",
            starts_at=_at(-30, 14),
            ends_at=_at(-30, 16),
            status=Meeting.Status.CLOSED,
            minutes=(
                "各構成員から取組の報告があった。週末の居場所が少ない地域があること、"
                "外国にルーツのある家庭への情報の届け方が課題として挙がった。\n" + NOTE
            ),
            decisions="週末の居場所の情報を持ち寄り、次回までに一覧にする。",
            attendee_count=9,
            closed_at=_at(-29, 10),
            is_sample=True,
        )
        closed.attending_organizations.set(organizations[:3])
        AgendaItem.objects.create(meeting=closed, title="取組の報告", sort_order=0)
        today = timezone.localdate()
        ActionItem.objects.create(
            meeting=closed,
            text="週末に開いている居場所の情報をまとめる",
            owner_organization=organizations[0],
            due_on=today - dt.timedelta(days=5),
            sort_order=0,
        )
        ActionItem.objects.create(
            meeting=closed,
            text="多言語のチラシの案を作る",
            owner_organization=organizations[1],
            due_on=today + dt.timedelta(days=4),
            sort_order=1,
        )
        ActionItem.objects.create(
            meeting=closed,
            text="次回の会場を押さえる",
            owner_organization=None,
            owner_name="事務局",
            due_on=today + dt.timedelta(days=10),
            sort_order=2,
        )
        Meeting.objects.create(
            kind=Meeting.Kind.MEMBER,
            title=MEMBER,
            description="近隣の団体と、居場所の運営の工夫を話し合います。\n" + NOTE,
            organization=organizations[0],
            format=Meeting.Format.ONLINE,
            online_url="https://meet.example.jp/sample-member-meeting",
            starts_at=_at(21, 19),
            ends_at=_at(21, 20),
            status=Meeting.Status.PUBLISHED,
            is_sample=True,
        )
    return ["【サンプル】会議を3件（終了・議事録とアクションアイテムつき1件を含む）作りました。"]
