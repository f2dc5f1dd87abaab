"""Sample social resources for the demo: realistic, clearly fictional, marked サンプル.

Every resource belongs to a sample organisation (【サンプル】…, `is_sample`: never on the
roster), never to a real member organisation, has no real phone number (045-000-xxxx
style numbers are not in service) and says in its description that it is sample data.
Coordinates are rough points near each municipality's centre, jittered; they are there
to show the map, not real places.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tsunagari.directory.models import (
    AccessibilityFeature,
    Concern,
    Kind,
    Language,
    Location,
    Resource,
    Schedule,
    TargetGroup,
)
from tsunagari.directory.search import reindex
from tsunagari.geo.models import Municipality
from tsunagari.members.models import Membership, Organization

SAMPLE_MARK = "【サンプル】"
SAMPLE_NOTE = "※これはデモ用のサンプルデータです。実在する活動ではありません。"

# Approximate centres (latitude, longitude) of the 33 municipalities, for sample pins only.
CENTRES: dict[str, tuple[float, float]] = {
    "141003": (35.444, 139.638),
    "141305": (35.531, 139.703),
    "141500": (35.571, 139.373),
    "142018": (35.281, 139.672),
    "142034": (35.335, 139.350),
    "142042": (35.319, 139.547),
    "142051": (35.339, 139.490),
    "142069": (35.264, 139.152),
    "142077": (35.334, 139.404),
    "142085": (35.296, 139.578),
    "142107": (35.144, 139.620),
    "142115": (35.375, 139.220),
    "142123": (35.443, 139.362),
    "142131": (35.487, 139.458),
    "142140": (35.396, 139.314),
    "142158": (35.447, 139.391),
    "142166": (35.489, 139.408),
    "142174": (35.319, 139.099),
    "142182": (35.437, 139.427),
    "143014": (35.272, 139.586),
    "143219": (35.373, 139.385),
    "143413": (35.307, 139.311),
    "143421": (35.299, 139.255),
    "143618": (35.330, 139.220),
    "143626": (35.327, 139.157),
    "143634": (35.345, 139.139),
    "143642": (35.361, 139.083),
    "143669": (35.330, 139.125),
    "143821": (35.232, 139.106),
    "143839": (35.158, 139.137),
    "143847": (35.147, 139.108),
    "144011": (35.528, 139.319),
    "144029": (35.482, 139.276),
}


@dataclass(frozen=True)
class Template:
    names: tuple[str, ...]
    description: str
    kinds: tuple[str, ...]
    targets: tuple[str, ...]
    concerns: tuple[str, ...] = ()
    free_ratio: float = 0.6
    online_ratio: float = 0.1
    fee: str = "1回300円（材料費）"


TEMPLATES = [
    Template(
        ("子ども食堂 {place}", "{place}こども食堂", "みんなの食堂 {place}"),
        "地域のこどもと大人が一緒に夕ごはんを食べる子ども食堂です。"
        "ひとりでも、親子でも、どなたでも来られます。宿題をしていく子もいます。",
        ("food", "ibasho"),
        ("kodomo", "kosodate", "everyone"),
        free_ratio=0.5,
        fee="こども無料・大人300円",
    ),
    Template(
        ("{place}ふれあいサロン", "おしゃべりカフェ {place}", "地域の茶の間 {place}"),
        "お茶を飲みながらおしゃべりする地域の居場所です。予約はいりません。"
        "ひとり暮らしの方、退職して地域に知り合いがいない方も気軽にどうぞ。",
        ("ibasho",),
        ("koreisha", "hitorigurashi", "everyone"),
        fee="お茶代100円",
    ),
    Template(
        ("{place}日本語教室", "にほんご広場 {place}"),
        "外国籍の方のための日本語教室です。ボランティアと1対1で、生活に必要な日本語を学びます。"
        "やさしい日本語で話します。",
        ("learning", "ibasho"),
        ("gaikoku",),
        free_ratio=0.9,
    ),
    Template(
        ("{place}学習支援教室", "まなびば {place}"),
        "小学生から高校生までの学習支援です。大学生ボランティアが宿題や受験勉強を手伝います。",
        ("study",),
        ("kodomo", "wakamono", "konkyu"),
        free_ratio=1.0,
    ),
    Template(
        ("ひきこもり家族会 {place}", "{place}ひきこもり当事者の集い"),
        "ひきこもりの本人やご家族が、安心して話せる場です。話さずに聞いているだけでもかまいません。",
        ("ibasho",),
        ("hikikomori", "wakamono"),
        free_ratio=0.9,
        online_ratio=0.3,
    ),
    Template(
        ("子育てひろば {place}", "{place}親子の居場所"),
        "0〜3歳の親子がゆったり過ごせるひろばです。子育ての相談もできます。",
        ("ibasho",),
        ("kosodate",),
        free_ratio=0.9,
    ),
    Template(
        ("{place}フードパントリー", "食品のおすそわけ会 {place}"),
        "家庭で余った食品や企業から寄付された食品を、必要な方にお渡しします。申込制です。",
        ("food",),
        ("konkyu", "kosodate"),
        free_ratio=1.0,
    ),
    Template(
        ("{place}ボランティアセンター 活動説明会", "地域ボランティア入門講座 {place}"),
        "地域でできるボランティアを紹介します。はじめての方、退職後の活動を探している方も歓迎です。",
        ("volunteer", "event"),
        ("everyone", "koreisha"),
        free_ratio=1.0,
    ),
    Template(
        ("{place}おしごと体験", "就労体験プログラム {place}"),
        "カフェや農園での短時間の仕事体験です。働くことに不安がある若者を応援します。",
        ("work",),
        ("wakamono", "hikikomori", "shogai"),
        free_ratio=1.0,
    ),
    Template(
        ("{place}うたごえ喫茶", "ちぎり絵サークル {place}", "{place}写真クラブ"),
        "趣味の仲間と楽しむ文化サークルです。見学だけでも歓迎します。",
        ("culture", "ibasho"),
        ("koreisha", "everyone"),
        free_ratio=0.3,
        fee="月500円",
    ),
    Template(
        ("{place}ウォーキングの会", "いきいき体操 {place}", "ボッチャ交流会 {place}"),
        "無理なく体を動かす集まりです。運動のあとはお茶を飲みながら交流します。",
        ("sport",),
        ("koreisha", "shogai", "everyone"),
        free_ratio=0.7,
    ),
    Template(
        ("オンライン雑談会「よるのへや」", "オンラインゲーム交流会", "オンライン読書会"),
        "自宅から参加できるオンラインの集まりです。カメラはオフでも参加できます。",
        ("online", "ibasho"),
        ("wakamono", "hikikomori", "everyone"),
        free_ratio=1.0,
        online_ratio=1.0,
    ),
    Template(
        ("{place}住まいの相談会", "居住支援相談 {place}"),
        "住まいを探すのが難しい方（高齢の方、外国籍の方、ひとり親家庭など）の相談を受けます。",
        ("housing", "consultation"),
        ("koreisha", "gaikoku", "konkyu", "kosodate"),
        ("seikatsu",),
        free_ratio=1.0,
    ),
    Template(
        ("{place}くらしの相談窓口", "生活なんでも相談 {place}"),
        "お金、仕事、家族のことなど、くらしの困りごとを一緒に考えます。秘密は守ります。",
        ("consultation",),
        ("everyone", "konkyu"),
        ("seikatsu", "shigoto"),
        free_ratio=1.0,
    ),
    Template(
        ("こころの電話相談 {place}", "{place}こころの相談室"),
        "気持ちがつらいとき、だれかに話を聞いてほしいときの相談です。匿名で相談できます。",
        ("consultation",),
        ("everyone",),
        ("kokoro",),
        free_ratio=1.0,
    ),
    Template(
        ("子育て相談 {place}", "{place}親子の相談室"),
        "子育ての悩みを保育士や相談員に相談できます。電話でも来所でも相談できます。",
        ("consultation",),
        ("kosodate",),
        ("kosodate",),
        free_ratio=1.0,
    ),
    Template(
        ("外国語相談 {place}", "Multilingual consultation {place}"),
        "外国籍の方が、くらし・仕事・学校のことを外国語で相談できます。",
        ("consultation",),
        ("gaikoku",),
        ("gaikokugo", "seikatsu"),
        free_ratio=1.0,
    ),
    Template(
        ("ひきこもり相談 {place}",),
        "ひきこもりの本人・ご家族からの相談を受けます。訪問での相談もできます。",
        ("consultation",),
        ("hikikomori",),
        ("hikikomori",),
        free_ratio=1.0,
    ),
    Template(
        ("女性の相談ダイヤル {place}",),
        "DVや性暴力、人間関係の悩みなど、女性相談員が話を聞きます。",
        ("consultation",),
        ("josei",),
        ("dv", "kokoro"),
        free_ratio=1.0,
    ),
]

# Who runs each template's activities, by template position (a food bank does not run
# the helpline).
PROVIDER_OF_TEMPLATE = [
    "地域食堂ひだまりの会",
    "一般社団法人まちのえんがわ",
    "多文化共生サロンにじ",
    "学び舎ともしび",
    "若者サポート ステップ",
    "子育てひろば ぽかぽか",
    "フードシェア湘南",
    "NPO法人みなとつながりネット",
    "若者サポート ステップ",
    "一般社団法人まちのえんがわ",
    "シニアの集い「ゆうやけ」",
    "オンラインつながり部",
    "住まいの相談室あんしん",
    "生活サポートセンターささえ",
    "こころの相談室ひとやすみ",
    "子育てひろば ぽかぽか",
    "多文化共生サロンにじ",
    "若者サポート ステップ",
    "生活サポートセンターささえ",
]

# The sample organisations' sectors (分野), mixed so that the demo shows work across sectors.
SECTOR_OF_PROVIDER = {
    "地域食堂ひだまりの会": "community",
    "一般社団法人まちのえんがわ": "community",
    "多文化共生サロンにじ": "community",
    "学び舎ともしび": "community",
    "若者サポート ステップ": "private",
    "子育てひろば ぽかぽか": "community",
    "フードシェア湘南": "private",
    "NPO法人みなとつながりネット": "private",
    "シニアの集い「ゆうやけ」": "community",
    "オンラインつながり部": "lived_experience",
    "住まいの相談室あんしん": "private",
    "生活サポートセンターささえ": "private",
    "こころの相談室ひとやすみ": "private",
}

LANGUAGE_SETS = [
    ("ja",),
    ("ja",),
    ("ja",),
    ("ja", "ja-x-easy"),
    ("ja", "en"),
    ("ja", "en", "zh", "vi", "tl"),
]


def _schedule(rng: random.Random, today: dt.date, kinds: tuple[str, ...]) -> dict[str, object]:
    start = rng.choice([dt.time(10), dt.time(13), dt.time(15), dt.time(17, 30), dt.time(19)])
    end = (dt.datetime.combine(today, start) + dt.timedelta(hours=2)).time()
    times = {"opens_at": start, "closes_at": end}
    pattern = rng.random()
    if "event" in kinds or pattern < 0.12:
        day = today + dt.timedelta(days=rng.randint(1, 60))
        return {"frequency": "once", "starts_on": day, **times}
    if pattern < 0.45:
        return {"frequency": "weekly", "weekdays": str(rng.randint(1, 7)), **times}
    if pattern < 0.75:
        weeks = rng.choice(["1", "2", "3", "2,4", "1,3", "-1"])
        return {
            "frequency": "monthly_nth",
            "weekdays": str(rng.randint(1, 7)),
            "weeks_of_month": weeks,
            **times,
        }
    if pattern < 0.9:
        return {
            "frequency": "monthly_day",
            "day_of_month": rng.choice([1, 10, 15, 20, 25]),
            **times,
        }
    return {"frequency": "irregular", "note": "日程はお問い合わせください"}


def load_sample_resources(count: int = 300, *, seed: int = 2026) -> int:
    """Create `count` sample resources unless sample resources already exist.

    Returns how many were created (0 when the demo data is already there).
    """
    if Resource.objects.filter(is_sample=True).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - reproducible sample data, not security
    today = timezone.localdate()
    kinds = {k.slug: k for k in Kind.objects.all()}
    targets = {t.slug: t for t in TargetGroup.objects.all()}
    concerns = {c.slug: c for c in Concern.objects.all()}
    languages = {lang.code: lang for lang in Language.objects.all()}
    features = list(AccessibilityFeature.objects.all())
    places = {m.code: m for m in Municipality.objects.all()}
    organizations = load_sample_organizations(today)
    area_codes = [m.code for m in places.values() if m.kind in ("ward", "city", "town", "village")]
    created = []
    with transaction.atomic():
        for i in range(count):
            template = TEMPLATES[i % len(TEMPLATES)]
            code = rng.choice(area_codes)
            place = places[code]
            centre_code = place.parent_id if place.kind == "ward" else code
            assert centre_code is not None
            lat, lon = CENTRES[centre_code]
            short = place.short_name
            name = rng.choice(template.names).format(place=short)
            online_only = template.online_ratio >= 1.0
            is_online = online_only or rng.random() < template.online_ratio
            is_free = rng.random() < template.free_ratio
            hidden = "dv" in template.concerns or (
                "consultation" in template.kinds and rng.random() < 0.2
            )
            resource = Resource.objects.create(
                organization=organizations[PROVIDER_OF_TEMPLATE[i % len(TEMPLATES)]],
                name=SAMPLE_MARK + name,
                description=f"{template.description}\n{SAMPLE_NOTE}",
                is_online=is_online,
                online_only=online_only,
                is_free=is_free,
                fee="" if is_free else template.fee,
                is_24h="consultation" in template.kinds and rng.random() < 0.1,
                how_to_join=rng.choice(
                    [
                        "申込不要です。直接お越しください。",
                        "前日までに電話でお申し込みください。",
                        "メールでお申し込みください。",
                    ]
                ),
                contact_name=SAMPLE_MARK + "担当",
                phone=f"0{rng.choice(['45', '44', '42', '466', '465', '46'])}-000-{i % 10000:04d}",
                email=f"info{i}@sample.tsunagari.example",
                is_sample=True,
                source="デモ用サンプルデータ",
                last_verified_on=today
                - dt.timedelta(days=rng.choice([3, 40, 120, 200, 300, 400, 500])),
            )
            resource.kinds.set([kinds[s] for s in template.kinds if s in kinds])
            resource.target_groups.set([targets[s] for s in template.targets if s in targets])
            resource.concerns.set([concerns[s] for s in template.concerns if s in concerns])
            language_set = (
                ("ja", "en", "zh", "vi", "tl", "es", "pt")
                if "gaikokugo" in template.concerns
                else rng.choice(LANGUAGE_SETS)
            )
            resource.languages.set([languages[c] for c in language_set if c in languages])
            resource.accessibility.set(rng.sample(features, k=rng.randint(0, 3)))
            location = None
            if not online_only:
                location = Location.objects.create(
                    resource=resource,
                    name=f"{short}地区センター（サンプル）"
                    if not hidden
                    else f"{short}の相談室（サンプル）",
                    municipality=place,
                    address=f"{place.name}サンプル町{rng.randint(1, 9)}-{rng.randint(1, 20)}",
                    latitude=Decimal(f"{lat + rng.uniform(-0.03, 0.03):.6f}"),
                    longitude=Decimal(f"{lon + rng.uniform(-0.03, 0.03):.6f}"),
                    hide_address=hidden,
                )
            else:
                resource.service_area.set([places["140007"]])
            for _ in range(rng.choice([1, 1, 1, 2])):
                Schedule.objects.create(
                    resource=resource, location=location, **_schedule(rng, today, template.kinds)
                )
            created.append(resource.pk)
    reindex(created)
    return len(created)


# The 【サンプル】 organisations whose staff `make demo` signs in as (load_demo): the other
# apps' samples put these first, so that a demo visitor finds something to act on.
DEMO_STAFF_ORGANISATIONS = ("子育てひろば ぽかぽか", "地域食堂ひだまりの会", "多文化共生サロンにじ")


def load_sample_organizations(today: dt.date | None = None) -> dict[str, Organization]:
    """The 【サンプル】 organisations that run the sample activities, by their name without
    the mark; created once, each a member since a year ago (so that one can propose to it),
    and never listed on the roster (`is_sample`)."""
    today = today or timezone.localdate()
    found = {
        o.name.removeprefix(SAMPLE_MARK): o for o in Organization.objects.filter(is_sample=True)
    }
    with transaction.atomic():
        for name, sector in SECTOR_OF_PROVIDER.items():
            if name in found:
                continue
            organization = Organization.objects.create(
                name=SAMPLE_MARK + name,
                sector=sector,
                is_sample=True,
                description=f"{SAMPLE_NOTE}\nデモで連携・協働を試すための架空の団体です。",
                source="デモ用サンプルデータ",
            )
            Membership.objects.create(
                organization=organization, started_on=today - dt.timedelta(days=365)
            )
            found[name] = organization
    return found


def attach_sample_organizations() -> int:
    """Give every sample resource without an organisation the sample organisation that
    runs it (also for a demo loaded before there were sample organisations)."""
    organizations = load_sample_organizations()
    changed: list[int] = []
    for name, organization in organizations.items():
        orphans = Resource.objects.filter(
            is_sample=True, organization__isnull=True, provider_name=SAMPLE_MARK + name
        )
        ids = list(orphans.values_list("pk", flat=True))
        orphans.update(organization=organization, provider_name="")
        changed += ids
    reindex(changed)
    return len(changed)
