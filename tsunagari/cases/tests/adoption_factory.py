"""A published case with partners and steps, made directly (the authoring screens are
another part of the app)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tsunagari.cases.models import ModelCase
from tsunagari.geo.models import Municipality


def make_case(title: str = "【テスト】地域の居場所をつなぐ", **fields: Any) -> ModelCase:
    fields.setdefault("summary", "居場所の担い手が月に一度集まり、情報を交換する。")
    fields.setdefault("issue", "居場所どうしのつながりがなかった。")
    fields.setdefault("status", ModelCase.Status.PUBLISHED)
    if fields["status"] == ModelCase.Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now())
    fields.setdefault("started_on", dt.date(2024, 4, 1))
    fields.setdefault("cost_yen", 30000)
    fields.setdefault("outcomes", "参加した居場所が12か所に増えた。")
    case = ModelCase.objects.create(title=title, **fields)
    case.partners.create(
        name="【テスト】まちの社協", sector="community", role="事務局", sort_order=1
    )
    case.partners.create(name="【テスト】ひまわり商店会", sector="private", sort_order=2)
    case.steps.create(title="担い手に声をかける", body="電話と訪問で。", sort_order=1)
    case.steps.create(title="月例会を開く", sort_order=2)
    case.municipalities.set(Municipality.objects.filter(pk="142051"))
    return case
