"""Themes, and the 35 organisations of the official roster dated 令和7年7月30日.

Source: 「かながわつながりネットワークのご案内」(神奈川県 福祉子どもみらい局 福祉部
生活援護課, 令和7年8月28日), 名簿 令和7年7月30日時点. Only what the roster states is
recorded: number, sector and name. The legal form is set only where the name itself
states it; areas served only for the local governments (their own area). Join dates
are unknown, so each membership starts on 2025-07-30 marked "known member on this date".
"""

import datetime

from django.db import migrations

SOURCE = "構成員名簿 令和7年7月30日時点（かながわつながりネットワークのご案内 令和7年8月28日）"
BASELINE = datetime.date(2025, 7, 30)

THEMES = [
    "つながりへの普及啓発・機運醸成",
    "社会参加・地域参加の機会づくり",
    "居場所づくり",
    "相談支援",
    "就労・就労体験",
    "ボランティア",
    "文化・スポーツ・生涯学習",
    "食の支援（子ども食堂など）",
    "住まいの支援",
    "子ども・若者",
    "子育て",
    "高齢者",
    "障害のある人",
    "外国籍住民・多文化共生",
    "生活困窮",
    "ひきこもり",
    "オンラインコミュニティ",
    "調査・研究",
]

ROSTER = [
    (1, "private", "社会福祉法人神奈川県社会福祉協議会"),
    (2, "community", "神奈川県民生委員児童委員協議会"),
    (3, "private", "一般社団法人インクルージョンネットかながわ"),
    (4, "private", "認定特定非営利活動法人フリースペースたまりば"),
    (5, "private", "特定非営利活動法人子どもと生活文化協会 (CLCA)"),
    (6, "private", "寿支援者交流会"),
    (7, "private", "特定非営利活動法人かながわ外国人すまいサポートセンター"),
    (8, "private", "株式会社Lively"),
    (9, "private", "生活協同組合パルシステム神奈川"),
    (10, "private", "生活協同組合ユーコープ"),
    (11, "private", "公益社団法人かながわ福祉サービス振興会"),
    (12, "private", "公益財団法人神奈川県老人クラブ連合会"),
    (13, "private", "特定非営利活動法人ひまわり"),
    (14, "private", "認定特定非営利活動法人こまちぷらす"),
    (15, "private", "NPO法人 街カフェ 大倉山ミエル"),
    (16, "private", "神奈川子ども食堂・地域食堂ネットワーク"),
    (17, "private", "特定非営利活動法人かわさき子ども食堂ネットワーク"),
    (18, "private", "社会福祉法人大井町社会福祉協議会"),
    (19, "private", "社会福祉法人翔の会"),
    (20, "private", "ユニバーサル就労支援事務局"),
    (21, "private", "特定非営利活動法人Link・マネジメント"),
    (22, "private", "特定非営利活動法人ナレッジ・リンク"),
    (23, "private", "公益社団法人アマヤドリ"),
    (24, "private", "株式会社OTERA"),
    (25, "academic", "日本福祉大学"),
    (26, "government", "座間市"),
    (27, "government", "鎌倉市"),
    (28, "government", "横浜市"),
    (29, "government", "相模原市"),
    (30, "government", "横須賀市"),
    (31, "government", "藤沢市"),
    (32, "government", "小田原市"),
    (33, "government", "茅ヶ崎市"),
    (34, "government", "神奈川県"),
    (35, "lived_experience", "ブリュッケ利用者"),
]

# The text of the briefing spells three names differently from the organisations'
# own names (a handakuten lost in the document: パ→バ, ぷ→ぶ; ユー→ユウ). The roster
# keeps the organisations' names and says where the document's spelling differs.
SPELLING_IN_SOURCE = {
    9: "生活協同組合バルシステム神奈川",
    10: "生活協同組合ユウコープ",
    14: "認定特定非営利活動法人こまちぶらす",
}

# Checked in this order: the longer, more specific prefix first.
LEGAL_FORM_PREFIXES = [
    ("認定特定非営利活動法人", "certified_npo"),
    ("特定非営利活動法人", "npo"),
    ("NPO法人", "npo"),
    ("社会福祉法人", "social_welfare"),
    ("一般社団法人", "general_association"),
    ("公益社団法人", "public_association"),
    ("公益財団法人", "public_foundation"),
    ("株式会社", "company"),
    ("生活協同組合", "cooperative"),
]


def legal_form_from_name(name, sector):
    if sector == "government":
        return "local_government"
    for prefix, form in LEGAL_FORM_PREFIXES:
        if name.startswith(prefix):
            return form
    return ""


def load(apps, schema_editor):
    Theme = apps.get_model("members", "Theme")
    Organization = apps.get_model("members", "Organization")
    Membership = apps.get_model("members", "Membership")
    Municipality = apps.get_model("geo", "Municipality")
    for order, name in enumerate(THEMES, start=1):
        Theme.objects.update_or_create(name=name, defaults={"order": order})
    for no, sector, name in ROSTER:
        org, created = Organization.objects.get_or_create(
            roster_no=no,
            defaults={
                "name": name,
                "sector": sector,
                "legal_form": legal_form_from_name(name, sector),
                "source": (
                    f"{SOURCE}。資料の表記は「{SPELLING_IN_SOURCE[no]}」"
                    if no in SPELLING_IN_SOURCE
                    else SOURCE
                ),
            },
        )
        if created:
            Membership.objects.create(
                organization=org, started_on=BASELINE, start_basis="known_member"
            )
            if sector == "government":
                org.municipalities.set(Municipality.objects.filter(name=name))


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("geo", "0002_load_kanagawa"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
