"""The standard items of the item bank. Their wording lives in items.py; the rows let
campaigns refer to them like any other item."""

from django.db import migrations

STANDARD = [
    ("ucla_1", "ucla", "あなたは、自分には人とのつきあいが無いと感じることがありますか。"),
    ("ucla_2", "ucla", "あなたは、自分は取り残されていると感じることがありますか。"),
    ("ucla_3", "ucla", "あなたは、自分は他の人たちから孤立していると感じることがありますか。"),
    ("direct", "direct", "あなたはどの程度、孤独であると感じることがありますか。"),
    (
        "kanagawa_satisfaction",
        "satisfaction",
        "「誰もが地域で孤立することなく、困ったときに助け合えるつながりを持っていること」"
        "について、あなたはどの程度満たされていると思いますか。",
    ),
]


def load(apps, schema_editor):
    Item = apps.get_model("surveys", "Item")
    for code, kind, text in STANDARD:
        Item.objects.update_or_create(
            code=code, defaults={"kind": kind, "text": text, "higher_is_better": False}
        )


def unload(apps, schema_editor):
    apps.get_model("surveys", "Item").objects.filter(code__in=[c for c, _k, _t in STANDARD]).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
