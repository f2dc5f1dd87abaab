"""Load the 2020 census population of the 33 municipalities and 28 wards (with its
source) and give each of the 33 municipalities its roll-out row, at the first stage."""

import csv
import datetime as dt
from pathlib import Path

from django.db import migrations

CSV_PATH = Path(__file__).resolve().parent.parent / "data" / "kanagawa_population.csv"
MUNICIPAL_KINDS = ("designated_city", "city", "town", "village")


def load(apps, schema_editor):
    Municipality = apps.get_model("geo", "Municipality")
    PopulationFigure = apps.get_model("rollout", "PopulationFigure")
    MunicipalityRollout = apps.get_model("rollout", "MunicipalityRollout")
    known = set(Municipality.objects.values_list("code", flat=True))
    with CSV_PATH.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["code"] not in known:
                raise ValueError(f"population for an unknown municipality {row['code']}")
            PopulationFigure.objects.update_or_create(
                municipality_id=row["code"],
                as_of=dt.date.fromisoformat(row["as_of"]),
                defaults={
                    "population": int(row["population"]),
                    "households": int(row["households"]) if row["households"] else None,
                    "source_name": row["source_name"],
                    "source_url": row["source_url"],
                },
            )
    for code in Municipality.objects.filter(kind__in=MUNICIPAL_KINDS).values_list(
        "code", flat=True
    ):
        MunicipalityRollout.objects.get_or_create(municipality_id=code)


class Migration(migrations.Migration):
    dependencies = [("rollout", "0001_initial"), ("geo", "0003_municipality_name_en")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
