"""Sample collaborations for the demo: a response to a sample need, in progress, and a
collaboration of three 【サンプル】 organisations (a lead, a partner and a venue), each of
which accepted. Everything belongs to the 【サンプル】 organisations of directory/sample.py
(never to a real member); a second run changes nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tsunagari.collaborations import services
from tsunagari.collaborations.models import Collaboration, CollaborationMessage, CollaborationParty
from tsunagari.directory.models import Resource
from tsunagari.directory.sample import SAMPLE_MARK, load_sample_organizations
from tsunagari.matching.models import Need
from tsunagari.members.models import Organization

Party = CollaborationParty
Status = Collaboration.Status

THREE_PARTY_TITLE = f"{SAMPLE_MARK}多世代の夏休み食堂（3団体の連携）"


def load_sample_collaborations() -> list[str]:
    """Create the sample collaborations unless they exist; returns the lines to print."""
    lines: list[str] = []
    organizations = load_sample_organizations()
    with transaction.atomic():
        need = (
            Need.objects.filter(title__startswith=SAMPLE_MARK, organization__isnull=False)
            .order_by("pk")
            .first()
        )
        if (
            need is not None
            and not Collaboration.objects.filter(need=need, title__startswith=SAMPLE_MARK).exists()
        ):
            _sample_response(need, organizations)
            lines.append("サンプルの連携（ニーズへの申し出、実施中）を作成しました。")
        if not Collaboration.objects.filter(title=THREE_PARTY_TITLE).exists():
            _three_parties(organizations)
            lines.append(
                "サンプルの3団体の連携（主体・連携先・会場提供、全団体が承諾）を作成しました。"
            )
    return lines


def _thread(collaboration: Collaboration, thread: list[tuple[Organization, str, str]]) -> None:
    now = timezone.now()
    for n, (organization, status, body) in enumerate(thread):
        CollaborationMessage.objects.create(
            collaboration=collaboration,
            organization=organization,
            status=status,
            body=f"{body}（サンプル）",
            created_at=now - dt.timedelta(days=len(thread) - n),
        )


def _parties(collaboration: Collaboration, parties: list[tuple[Organization, str]]) -> None:
    now = timezone.now()
    for organization, role in parties:
        CollaborationParty.objects.create(
            collaboration=collaboration,
            organization=organization,
            role=role,
            status=Party.Status.ACCEPTED,
            invited_at=now - dt.timedelta(days=7),
            responded_at=now - dt.timedelta(days=6),
        )
    services.update_sectors(collaboration)
    collaboration.save(update_fields=["sector_count", "cross_sector"])


def _sample_response(need: Need, organizations: dict[str, Organization]) -> None:
    """A response to the first need, accepted and in progress, with a short thread."""
    owner = need.organization
    responder = organizations["地域食堂ひだまりの会"]
    assert owner is not None
    resource = Resource.objects.published().filter(organization=responder).first()
    collaboration = Collaboration.objects.create(
        kind=Collaboration.Kind.RESPONSE,
        proposer=responder,
        partner=owner,
        need=need,
        resource=resource,
        title=f"{SAMPLE_MARK}土曜の親子食堂を一緒に開く",
        status=Status.IN_PROGRESS,
    )
    _parties(collaboration, [(responder, Party.Role.LEAD), (owner, Party.Role.PARTNER)])
    _thread(
        collaboration,
        [
            (responder, Status.PROPOSED, "土曜のお昼に食堂の会場と調理を出せます。"),
            (owner, Status.ACCEPTED, "ありがとうございます。ぜひ一緒に。"),
            (owner, "", "初回は来月第2土曜でいかがでしょう。チラシはこちらで作ります。"),
            (responder, Status.IN_PROGRESS, "第2土曜で準備を始めます。"),
        ],
    )


def _three_parties(organizations: dict[str, Organization]) -> None:
    """A lead (community), a partner (private) and a venue (community): accepted by each."""
    lead = organizations["シニアの集い「ゆうやけ」"]
    partner = organizations["フードシェア湘南"]
    venue = organizations["一般社団法人まちのえんがわ"]
    collaboration = Collaboration.objects.create(
        proposer=lead,
        partner=partner,
        title=THREE_PARTY_TITLE,
        status=Status.ACCEPTED,
    )
    _parties(
        collaboration,
        [(lead, Party.Role.LEAD), (partner, Party.Role.PARTNER), (venue, Party.Role.VENUE)],
    )
    _thread(
        collaboration,
        [
            (lead, Status.PROPOSED, "夏休みに子どもと高齢者が一緒に食べる食堂を開きませんか。"),
            (partner, "", "食材の提供で参加します。"),
            (venue, Status.ACCEPTED, "会場として縁側と台所をお貸しします。"),
        ],
    )
