"""Load the prefecture, its 33 municipalities and 28 wards from the reference CSV."""

import csv
from pathlib import Path

from django.db import migrations

CSV_PATH = Path(__file__).resolve().parent.parent / "data" / "kanagawa_municipalities.csv"


def check_digit_ok(code: str) -> bool:
    # 全国地方公共団体コード: the sixth digit is a check digit over the first five.
    digits = [int(c) for c in code[:5]]
    total = sum(d * w for d, w in zip(digits, (6, 5, 4, 3, 2), strict=True))
    remainder = total % 11
    expected = (11 - remainder) % 10 if remainder else 1
    return int(code[5]) == expected


def load(apps, schema_editor):
    Municipality = apps.get_model("geo", "Municipality")
    with CSV_PATH.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if not check_digit_ok(row["code"]):
            raise ValueError(f"bad check digit in municipality code {row['code']}")
        Municipality.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "kind": row["kind"], "parent_id": None},
        )
    for row in rows:
        if row["parent_code"]:
            Municipality.objects.filter(code=row["code"]).update(parent_id=row["parent_code"])


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
