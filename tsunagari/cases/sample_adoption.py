"""Sample adoptions for the demo: the first sample case taken up by two municipalities.

Only sample cases are used and every adoption is marked is_sample (【サンプル】): the demo
must not claim that a real municipality adopted anything.
"""

from __future__ import annotations

import datetime as dt

from tsunagari.cases import adoption as services
from tsunagari.cases.models import CaseAdoption, ModelCase
from tsunagari.geo.models import Municipality

STAGE = CaseAdoption.Stage
# (municipality code, [(stage, date, note), ...]) — the last step is where it stands.
PLAN: list[tuple[str, list[tuple[str, dt.date, str]]]] = [
    (
        "142051",  # 藤沢市
        [
            (STAGE.INTEREST, dt.date(2025, 6, 2), "【サンプル】庁内の連絡会で紹介した。"),
            (STAGE.CONSIDERING, dt.date(2025, 8, 20), "【サンプル】地区社協と進め方を相談。"),
            (STAGE.IMPLEMENTING, dt.date(2025, 11, 10), "【サンプル】1地区で始めた。"),
        ],
    ),
    (
        "142166",  # 座間市
        [(STAGE.INTEREST, dt.date(2025, 10, 1), "【サンプル】担当課で資料を回覧。")],
    ),
]


def load_sample_adoptions() -> list[str]:
    """Adopt the first published sample case; one line per adoption made."""
    case = ModelCase.objects.filter(is_sample=True, status="published").order_by("pk").first()
    if case is None:
        return []
    lines = []
    for code, steps in PLAN:
        municipality = Municipality.objects.filter(pk=code).first()
        if (
            municipality is None
            or CaseAdoption.objects.filter(case=case, municipality=municipality).exists()
        ):
            continue
        resource = (
            services.local_resources([municipality]).filter(is_sample=True).first()
            if steps[-1][0] == STAGE.IMPLEMENTING
            else None
        )
        for stage, on, note in steps:
            services.set_stage(
                case,
                municipality,
                stage=stage,
                on=on,
                note=note,
                resource=resource if stage == steps[-1][0] else None,
                is_sample=True,
            )
        lines.append(
            f"サンプルの事例「{case.title}」を{municipality.name}が取り入れた記録を作成しました。"
        )
    return lines
