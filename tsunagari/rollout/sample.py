"""Sample roll-out data and a sample partner network, all marked 【サンプル】."""

from __future__ import annotations

from django.utils import timezone

SAMPLE_MARK = "【サンプル】"

# (code, stage, local platform or "" to leave it): a few municipalities moved on so that
# the roll-out table shows every stage. Not facts: each note says so.
SAMPLE_STAGES = [
    ("142051", "third", "preparing"),  # 藤沢市
    ("142034", "second", ""),  # 平塚市
    ("142123", "second", ""),  # 厚木市
    ("143219", "third", ""),  # 寒川町
]


def load_sample_rollout() -> list[str]:
    """Return one line per thing made, for load_demo to print."""
    from tsunagari.rollout.models import MunicipalityRollout, RolloutChange

    made = []
    for code, stage, platform in SAMPLE_STAGES:
        row = MunicipalityRollout.objects.filter(pk=code).select_related("municipality").first()
        if row is None or row.is_sample:
            continue
        changes = {"stage": [row.stage, stage]}
        row.stage = stage
        if platform:
            changes["local_platform"] = [row.local_platform, platform]
            row.local_platform = platform
        note = f"{SAMPLE_MARK}デモ用の値です。実際の状況ではありません。"
        changes["note"] = [row.note, note]
        row.note = note
        row.is_sample = True
        row.updated_at = timezone.now()
        row.save()
        RolloutChange.objects.create(rollout=row, changes=changes, note=note)
        made.append(f"{SAMPLE_MARK}{row.municipality.name}: {row.get_stage_display()}")
    return made
