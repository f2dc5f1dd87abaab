"""English names of the municipalities, from the reference CSV (data/kanagawa_municipalities_en.csv)."""

import csv
from pathlib import Path

from django.db import migrations, models

CSV_PATH = Path(__file__).resolve().parent.parent / "data" / "kanagawa_municipalities_en.csv"


def load(apps, schema_editor):
    Municipality = apps.get_model("geo", "Municipality")
    with CSV_PATH.open(encoding="utf-8") as f:
        names = {row["code"]: row["name_en"].strip() for row in csv.DictReader(f)}
    known = set(Municipality.objects.values_list("code", flat=True))
    if known - names.keys():
        raise ValueError(f"no English name for {sorted(known - names.keys())}")
    for code, name_en in names.items():
        Municipality.objects.filter(code=code).update(name_en=name_en)


class Migration(migrations.Migration):
    dependencies = [("geo", "0002_load_kanagawa")]

    operations = [
        migrations.AddField(
            model_name="municipality",
            name="name_en",
            field=models.CharField(blank=True, max_length=60, verbose_name="英語名"),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
