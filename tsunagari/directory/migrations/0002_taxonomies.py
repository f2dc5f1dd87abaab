"""The directory's starting taxonomies. The secretariat edits them afterwards."""

from django.db import migrations

KINDS = [
    ("ibasho", "居場所", "Places to belong"),
    ("event", "イベント", "Events"),
    ("volunteer", "ボランティア", "Volunteering"),
    ("work", "仕事・就労体験", "Work and work trials"),
    ("culture", "文化・芸術", "Culture and arts"),
    ("sport", "スポーツ・運動", "Sport and exercise"),
    ("learning", "生涯学習", "Lifelong learning"),
    ("online", "オンラインのつながり", "Online communities"),
    ("food", "食の支援", "Food support"),
    ("housing", "住まいの支援", "Housing support"),
    ("study", "学習支援", "Learning support"),
    ("consultation", "相談窓口", "Consultation"),
]
TARGET_GROUPS = [
    ("everyone", "どなたでも", "Everyone"),
    ("kodomo", "こども", "Children"),
    ("wakamono", "若者", "Young people"),
    ("kosodate", "子育て世帯", "Families with children"),
    ("koreisha", "高齢者", "Older people"),
    ("shogai", "障害のある人", "People with disabilities"),
    ("gaikoku", "外国籍住民", "Foreign residents"),
    ("konkyu", "生活困窮", "People in financial hardship"),
    ("hikikomori", "ひきこもり", "Hikikomori (social withdrawal)"),
    ("carer", "ケアラー・介護者", "Carers"),
    ("hitorigurashi", "ひとり暮らし", "People living alone"),
    ("josei", "女性", "Women"),
    ("lgbtq", "性的マイノリティ", "LGBTQ+ people"),
]
CONCERNS = [
    ("seikatsu", "生活の困りごと", "Daily life and money"),
    ("kokoro", "こころ", "Mental health"),
    ("kosodate", "子育て", "Parenting"),
    ("hikikomori", "ひきこもり", "Hikikomori"),
    ("dv", "DV・性暴力", "Domestic and sexual violence"),
    ("gaikokugo", "外国語で相談", "In other languages"),
    ("shigoto", "仕事", "Work"),
    ("kodomo", "こども・若者", "Children and young people"),
    ("kaigo", "高齢・介護", "Old age and care"),
    ("shogai", "障害", "Disability"),
]
ACCESSIBILITY = [
    ("wheelchair", "車いすで利用できる", "Wheelchair accessible"),
    ("toilet", "多目的トイレ", "Accessible toilet"),
    ("hitsudan", "筆談で対応できる", "Written communication"),
    ("shuwa", "手話で対応できる", "Sign language"),
    ("parking", "駐車場あり", "Parking"),
    ("childcare", "託児あり", "Childcare available"),
    ("quiet", "静かに過ごせる場所", "Quiet space"),
]
LANGUAGES = [
    ("ja", "日本語"),
    ("ja-x-easy", "やさしい日本語"),
    ("en", "英語"),
    ("zh", "中国語"),
    ("tl", "タガログ語"),
    ("vi", "ベトナム語"),
    ("es", "スペイン語"),
    ("pt", "ポルトガル語"),
    ("ne", "ネパール語"),
    ("th", "タイ語"),
    ("ko", "韓国語"),
    ("id", "インドネシア語"),
    ("jsl", "日本手話"),
]


def load(apps, schema_editor):
    for model, rows in [
        ("Kind", KINDS),
        ("TargetGroup", TARGET_GROUPS),
        ("Concern", CONCERNS),
        ("AccessibilityFeature", ACCESSIBILITY),
    ]:
        Model = apps.get_model("directory", model)
        for order, (slug, name, name_en) in enumerate(rows, start=1):
            Model.objects.update_or_create(
                slug=slug, defaults={"name": name, "name_en": name_en, "sort_order": order * 10}
            )
    Language = apps.get_model("directory", "Language")
    for order, (code, name) in enumerate(LANGUAGES, start=1):
        Language.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
