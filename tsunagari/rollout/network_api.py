"""Public JSON API of the partner networks: GET /api/v1/networks and /api/v1/networks/{id}."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema

from tsunagari.rollout import networks
from tsunagari.rollout.models import PartnerNetwork

router = Router(tags=["networks"])


class MemberBody(Schema):
    name: str = Field(description="構成団体の名称")
    member_id: int | None = Field(description="ネットワークの構成員のID（構成員でなければ null）")
    municipality_code: str | None = Field(description="所在地の団体コード（6桁、不明なら null）")
    topic: str = Field(description="分野（なければ空）")


class Network(Schema):
    id: int
    name: str = Field(description="ネットワークの名称")
    name_en: str = Field(description="英語名（なければ空）")
    liaison_body: str = Field(description="事務局・連絡窓口")
    description: str = Field(description="概要")
    topics: list[str] = Field(description="分野・テーマ")
    municipality_codes: list[str] = Field(description="活動地域の団体コード")
    website: str = Field(description="ウェブサイト（なければ空）")
    source_name: str = Field(description="出典")
    source_url: str = Field(description="出典のURL（なければ空）")
    source_seen_on: dt.date | None = Field(description="出典を確認した日")
    is_sample: bool = Field(description="デモ用のサンプルデータなら true")
    member_count: int = Field(description="構成団体の数")
    resource_count: int = Field(description="このネットワークから取り込んだ社会資源の数")
    url: str = Field(description="公開ページのURL")


class NetworkDetail(Network):
    members: list[MemberBody] = Field(description="構成団体")


def _network(n: PartnerNetwork) -> dict[str, object]:
    return {
        "id": n.pk,
        "name": n.name,
        "name_en": n.name_en,
        "liaison_body": n.liaison_body,
        "description": n.description,
        "topics": [t.name for t in n.topics.all()],
        "municipality_codes": [m.code for m in n.municipalities.all()],
        "website": n.website,
        "source_name": n.source_name,
        "source_url": n.source_url,
        "source_seen_on": n.source_seen_on,
        "is_sample": n.is_sample,
        "member_count": n.member_count,  # type: ignore[attr-defined]
        "resource_count": n.resource_count,  # type: ignore[attr-defined]
        "url": settings.SITE_URL + reverse("rollout:network_detail", args=[n.pk]),
    }


@router.get("/networks", response=list[Network], summary="連携するネットワーク (partner networks)")
def list_networks(request: HttpRequest) -> list[Network]:
    """県内の他のネットワーク（第2ステージで連携するもの）：名称、事務局、分野、出典。
    The prefecture's other networks the network works with; no filters (a short list)."""
    return [Network(**_network(n)) for n in networks.listed()]  # type: ignore[arg-type]


@router.get(
    "/networks/{network_id}",
    response=NetworkDetail,
    summary="連携するネットワークと構成団体 (a partner network with its member bodies)",
)
def get_network(request: HttpRequest, network_id: int) -> NetworkDetail:
    """One partner network with its member bodies; 404 for an unknown id."""
    network = networks.listed().filter(pk=network_id).first()
    if network is None:
        raise Http404
    members = [
        MemberBody(
            name=m.name,
            member_id=m.organization_id,
            municipality_code=m.municipality_id,
            topic=m.topic,
        )
        for m in network.members.all()
    ]
    return NetworkDetail(**_network(network), members=members)  # type: ignore[arg-type]
