"""Sample needs and a published resident's voice, for the demo.

Everything belongs to the 【サンプル】 organisations of directory/sample.py (never to a
real member) and says it is sample data, so that `make demo` has needs whose suggestions
can be proposed to and a voice that members can answer (the sample collaborations are in
collaborations/sample.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from tsunagari.audit.models import record_created
from tsunagari.directory.models import Kind, TargetGroup
from tsunagari.directory.sample import SAMPLE_MARK, SAMPLE_NOTE, load_sample_organizations
from tsunagari.geo.models import Municipality
from tsunagari.matching.models import (
    Need,
    ResidentRequest,
)
from tsunagari.members.models import Organization


@dataclass(frozen=True)
class SampleNeed:
    owner: str  # a sample organisation's name without the mark; "" for the secretariat
    title: str
    description: str
    municipality: str
    targets: tuple[str, ...]
    kinds: tuple[str, ...]
    urgency: str = Need.Urgency.NORMAL


MEMBER_NEEDS = [
    SampleNeed(
        "子育てひろば ぽかぽか",
        "週末に親子で過ごせる居場所を一緒に開いてくれる団体を探しています",
        "平日のひろばには来られない、働いている親子から「土日に行ける場所がほしい」という声が"
        "増えています。会場や人手を出し合って、月1回から始められる団体を探しています。",
        "142051",
        ("kosodate", "kodomo"),
        ("ibasho", "event"),
    ),
    SampleNeed(
        "シニアの集い「ゆうやけ」",
        "ひとり暮らしの高齢者が気軽に立ち寄れる食事の場がほしい",
        "集いに来ていた方が、ひとりで食事をとる日が続いていると話しています。"
        "月に数回でも、みんなで食べられる場につなげたいと考えています。",
        "142077",
        ("koreisha", "hitorigurashi"),
        ("food", "ibasho"),
        Need.Urgency.HIGH,
    ),
    SampleNeed(
        "多文化共生サロンにじ",
        "外国にルーツのある中学生の学習を手伝ってくれる場所を探しています",
        "日本語の読み書きに苦労している中学生が、放課後に宿題をできる場所が足りません。"
        "学習支援をしている団体と一緒に取り組みたいと考えています。",
        "141003",
        ("gaikoku", "kodomo"),
        ("study", "learning"),
    ),
]

VOICE_TEXT = (
    "近所に、退職した夫が気軽に行ける集まりがあればと思います。"
    "家にこもりがちで、話し相手がいないようです。（サンプル）"
)
VOICE_NEED = SampleNeed(
    "",
    "退職後の男性が気軽に参加できる集まりがほしい",
    "住民の方から、退職して家にこもりがちな家族が、地域で話し相手を見つけられる場がほしい"
    "という声が届きました。趣味や手仕事など、参加しやすい集まりを探しています。",
    "142131",
    ("koreisha", "hitorigurashi"),
    ("ibasho", "culture"),
)


def _create_need(spec: SampleNeed, owner: Organization | None) -> Need:
    need = Need.objects.create(
        title=SAMPLE_MARK + spec.title,
        description=f"{spec.description}\n{SAMPLE_NOTE}",
        organization=owner,
        origin=Need.Origin.MEMBER if owner is not None else Need.Origin.RESIDENT,
        municipality=Municipality.objects.get(code=spec.municipality),
        urgency=spec.urgency,
    )
    need.target_groups.set(TargetGroup.objects.filter(slug__in=spec.targets))
    need.kinds_wanted.set(Kind.objects.filter(slug__in=spec.kinds))
    record_created(None, need, Need.AUDITED_FIELDS, note="デモ用サンプルデータ")
    return need


def load_sample_needs() -> int:
    """Create the sample needs and voice unless they exist; returns how
    many needs were created. Suggestions are computed afterwards (refresh_suggestions)."""
    if Need.objects.filter(title__startswith=SAMPLE_MARK).exists():
        return 0
    organizations = load_sample_organizations()
    with transaction.atomic():
        needs = [_create_need(spec, organizations[spec.owner]) for spec in MEMBER_NEEDS]
        # A resident's voice that the secretariat published, with consent to be contacted.
        voice = ResidentRequest.objects.create(
            text=VOICE_TEXT,
            municipality=Municipality.objects.get(code=VOICE_NEED.municipality),
            contact_consent=True,
            contact_name="【サンプル】見本 花子",
            contact_email="voice@sample.tsunagari.example",
        )
        voice_need = _create_need(VOICE_NEED, None)
        voice.need = voice_need
        voice.status = ResidentRequest.Status.PUBLISHED
        voice.save(update_fields=["need", "status"])
        needs.append(voice_need)
    return len(needs)
