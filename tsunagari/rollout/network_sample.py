"""The 【サンプル】 partner network of `make demo`, with a small imported directory.

Everything here is invented: the network, its liaison and its non-member bodies are
marked 【サンプル】, and the members of ours it lists are the demo's own sample
organisations; no real organisation is said to belong to anything.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.db import transaction

from tsunagari.geo.models import Municipality
from tsunagari.members.models import Organization, Theme
from tsunagari.rollout import networks
from tsunagari.rollout.models import PartnerNetwork

SAMPLE_FILE = Path(__file__).resolve().parent / "data" / "sample_network_hsds.json"
SAMPLE_NAME = "【サンプル】かながわくらし支えあいネットワーク"


# The two networks the issue names, as far as public pages say (seen on 2026-12-03).
# No member lists: none was taken from the pages, and none is invented.
SEEN_ON = dt.date(2026, 12, 3)
REAL_NETWORKS: list[dict[str, Any]] = [
    {
        "name": "かながわ生活困窮者自立支援ネットワーク",
        "liaison_body": "一般社団法人インクルージョンネットかながわ（事務局）",
        "liaison": "一般社団法人インクルージョンネットかながわ",
        "description": (
            "生活上の困難を抱える人を支援する県内の民間団体や個人でつくるネットワーク"
            "（2017年3月設立）。加盟団体と行政機関を中心とする約70の支援組織の情報を、"
            "分野と市町村で探せる「かながわ生活応援サイト」にまとめている"
            "（2018年6月の報道による）。"
        ),
        "topics": ["相談支援"],
        "source_name": "東京新聞「困り事 相談先一覧サイト 自立支援団体が今月中に開設」"
        "（2018年6月3日）",
        "source_url": "http://www.tokyo-np.co.jp/article/kanagawa/list/201806/"
        "CK2018060302000129.html",
    },
    {
        "name": "かながわ人生100歳時代ネットワーク",
        "liaison_body": "神奈川県",
        "liaison": "",
        "description": (
            "行政、大学、企業、NPO等が情報を共有し、協働して取組みを進めていくための"
            "ネットワーク。県が2017年6月に立ち上げた。"
        ),
        "topics": ["社会参加・地域参加の機会づくり"],
        "source_name": "神奈川県「かながわ人生100歳時代ネットワーク」",
        "source_url": "http://www.pref.kanagawa.jp/docs/k8d/100ylife/life_network.html",
    },
]


def load_partner_networks() -> list[str]:
    """The real networks of REAL_NETWORKS (not sample data: each with its public source
    and the day it was seen), created once each."""
    lines = []
    for item in REAL_NETWORKS:
        if PartnerNetwork.objects.filter(name=item["name"]).exists():
            continue
        network = PartnerNetwork.objects.create(
            name=item["name"],
            liaison_body=item["liaison_body"],
            liaison_organization=(
                Organization.objects.filter(name=item["liaison"], is_sample=False).first()
                if item["liaison"]
                else None
            ),
            description=item["description"],
            source_name=item["source_name"],
            source_url=item["source_url"],
            source_seen_on=SEEN_ON,
        )
        network.topics.set(Theme.objects.filter(name__in=item["topics"]))
        lines.append(f"連携するネットワーク: {network.name}（出典: {network.source_name}）")
    return lines


def load_sample_networks() -> list[str]:
    """Create the sample network once and import its sample directory, and the real
    networks with their sources; one line per thing made, for load_demo to print
    (nothing the second time)."""
    lines = load_partner_networks()
    if PartnerNetwork.objects.filter(name=SAMPLE_NAME).exists():
        return lines
    with transaction.atomic():
        network = PartnerNetwork.objects.create(
            name=SAMPLE_NAME,
            name_en="[Sample] Kanagawa Living Support Network",
            liaison_body="【サンプル】くらし支えあいネットワーク事務局",
            description=(
                "【サンプル】デモ用の架空のネットワークです。生活の困りごとを支える団体が、"
                "市町村をこえて情報を共有している、という想定です。"
            ),
            source_name="デモ用サンプルデータ（架空のネットワークです）",
            is_sample=True,
        )
        network.topics.set(Theme.objects.filter(name__in=["相談支援", "住まいの支援"]))
        network.municipalities.set(
            Municipality.objects.filter(name__in=["藤沢市", "平塚市", "小田原市"])
        )
        for order, organization in enumerate(
            Organization.objects.filter(is_sample=True).order_by("pk")[:2]
        ):
            network.members.create(
                organization=organization, name=organization.name[:150], sort_order=order
            )
        fujisawa = Municipality.objects.filter(name="藤沢市").first()
        for order, (name, topic) in enumerate(
            [
                ("【サンプル】くらし相談ネット藤沢", "相談支援"),
                ("【サンプル】しごと応援ひらつか", "就労支援"),
            ],
            start=10,
        ):
            network.members.create(name=name, topic=topic, municipality=fujisawa, sort_order=order)
        document = json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))
        done = networks.run_import(
            network, [(SAMPLE_FILE.name, document)], filename=SAMPLE_FILE.name
        )
    return [
        *lines,
        f"連携するネットワーク: {network.name}（構成団体{network.members.count()}、"
        f"取り込んだ社会資源{done.created_count + done.updated_count}件）",
    ]
