"""Public JSON API of the local councils: GET /api/v1/councils (the public notice)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema

from tsunagari.councils.models import CouncilMember, LocalCouncil

router = Router(tags=["councils"])


class CouncilMemberBody(Schema):
    name: str = Field(description="構成機関の名称")
    member_id: int | None = Field(description="ネットワークの構成員のID（構成員でなければ null）")


class Council(Schema):
    id: int
    municipality_code: str = Field(description="市町村の団体コード（6桁）")
    municipality: str = Field(description="市町村名")
    name: str = Field(description="協議会の名称")
    coordinating_body: str = Field(description="調整機関")
    established_on: dt.date = Field(description="設置日")
    members: list[CouncilMemberBody] = Field(description="構成機関")
    notice: str = Field(description="公表事項（プレーンテキスト）")
    source_url: str = Field(description="市町村の公表ページ（なければ空）")
    url: str = Field(description="公開ページのURL")


@router.get(
    "/councils", response=list[Council], summary="孤独・孤立対策地域協議会 (local councils)"
)
def list_councils(request: HttpRequest) -> list[Council]:
    """孤独・孤立対策推進法第15条の公表事項（名称・調整機関・構成機関・設置日）。
    The public notice of every registered local council, by municipality."""
    councils = (
        LocalCouncil.objects.select_related("municipality")
        .prefetch_related(Prefetch("member_bodies", queryset=CouncilMember.objects.all()))
        .order_by("municipality__code", "name", "id")
    )
    return [
        Council(
            id=c.pk,
            municipality_code=c.municipality_id,
            municipality=c.municipality.label,
            name=c.name,
            coordinating_body=c.coordinating_body,
            established_on=c.established_on,
            members=[
                CouncilMemberBody(name=m.name, member_id=m.organization_id)
                for m in c.member_bodies.all()
            ],
            notice=c.notice,
            source_url=c.source_url,
            url=settings.SITE_URL + reverse("councils:council_detail", args=[c.pk]),
        )
        for c in councils
    ]
