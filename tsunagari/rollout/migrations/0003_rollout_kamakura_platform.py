"""鎌倉市's own local platform, running since 2024-04-01 (the day the law took effect).

Sources: 鎌倉市「人と地域がつながるプラットフォームかまくら(ここかま)」(page 36989,
updated 2025-06-11): the city, its 社会福祉協議会 and two other bodies created the
鎌倉市版孤独・孤立対策官民連携プラットフォーム together with the law's effective date;
タウンニュース鎌倉版 2024-04-12: 「4月1日から運営を開始した」. Only the platform is
loaded: the city's stage in the network's roll-out stays as it was.
"""

from __future__ import annotations

import datetime as dt

from django.db import migrations

CODE = "142042"
VALUES = {
    "local_platform": "running",
    "local_platform_name": "人と地域がつながるプラットフォームかまくら（ここかま）",
    "local_platform_since": dt.date(2024, 4, 1),
    "local_platform_url": (
        "https://www.city.kamakura.kanagawa.jp/kyosei/kodoku-koritsu-taisaku-kokokama.html"
    ),
    "source": (
        "鎌倉市「人と地域がつながるプラットフォームかまくら(ここかま)」ページ番号36989"
        "（2025年6月11日更新）; タウンニュース鎌倉版 2024年4月12日"
    ),
}


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    Rollout = apps.get_model("rollout", "MunicipalityRollout")
    Change = apps.get_model("rollout", "RolloutChange")
    row = Rollout.objects.filter(pk=CODE).first()
    if row is None:
        return
    changes = {}
    for name, value in VALUES.items():
        before = getattr(row, name)
        if before != value:
            changes[name] = [
                before.isoformat() if isinstance(before, dt.date) else before,
                value.isoformat() if isinstance(value, dt.date) else value,
            ]
            setattr(row, name, value)
    if changes:
        row.save()
        Change.objects.create(rollout=row, changes=changes, note="公開情報による初期値")


def unload(apps, schema_editor):  # type: ignore[no-untyped-def]
    Rollout = apps.get_model("rollout", "MunicipalityRollout")
    Rollout.objects.filter(pk=CODE).update(
        local_platform="none",
        local_platform_name="",
        local_platform_since=None,
        local_platform_url="",
        source="",
    )


class Migration(migrations.Migration):
    dependencies = [("rollout", "0002_load_population_and_rollout")]
    operations = [migrations.RunPython(load, unload)]
