"""Sample introductions for `make demo`, every one marked 【サンプル】.

The 【サンプル】 organisations run sample resources in shared towns for shared target
groups, so the introductions page already suggests members to meet; this adds one
request from 【サンプル】子育てひろば ぽかぽか (whose staff account the demo prints) to its
best suggestion, waiting in the secretariat's list. No e-mail is queued for samples.
"""

from __future__ import annotations

from django.db import transaction

from tsunagari.accounts.models import User
from tsunagari.members.models import Organization
from tsunagari.network.introductions import suggestions_for
from tsunagari.network.models import IntroductionRequest

ASKER = "【サンプル】子育てひろば ぽかぽか"
LIST_PATH = "/secretariat/network/introductions/"


def load_sample_introductions() -> list[str]:
    """Create the samples unless they exist; return lines saying what was made."""
    if IntroductionRequest.objects.filter(is_sample=True).exists():
        return []
    asker = Organization.objects.filter(is_sample=True, name=ASKER).first()
    if asker is None:
        asker = Organization.objects.filter(is_sample=True).order_by("pk").first()
    if asker is None:
        return []
    found = [s for s in suggestions_for(asker.pk) if s.organization.name.startswith("【サンプル】")]
    if not found:
        return []
    best = found[0]
    with transaction.atomic():
        IntroductionRequest.objects.create(
            from_organization=asker,
            to_organization_id=best.organization.id,
            reason=best.reason[:300],
            note="【サンプル】一度お話ししてみたいです。",
            requested_by=User.objects.staff_of(asker.pk).order_by("pk").first(),
            is_sample=True,
        )
    other = best.organization.name
    return [
        f"紹介のおすすめ：{asker.name} に {len(found)} 件（例：{other}「{best.reason}」）",
        f"紹介の依頼：{asker.name} → {other}（事務局の一覧 {LIST_PATH}）",
    ]
