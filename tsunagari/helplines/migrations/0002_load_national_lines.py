"""The national and Kanagawa-wide lines of the reference list, so that a fresh install
shows them (and /consult/ is never empty). Rows without a seen date wait as 確認待ち
until the secretariat re-verifies them; `load_national_lines` reloads a newer list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from tsunagari.helplines import loader

    # The shipped list was checked when it was added; no date in it is "in the future".
    parsed = loader.read(today=dt.date.max)
    if parsed.errors:
        raise RuntimeError("national_consultation_windows.csv: " + "; ".join(map(str, parsed.errors)))
    loader.apply(parsed.rows, model=apps.get_model("helplines", "NationalLine"))


def unload(apps: Any, schema_editor: Any) -> None:
    apps.get_model("helplines", "NationalLine").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("helplines", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
