"""Plain factories for the model-case tests and the access matrix."""

from __future__ import annotations

import io
from itertools import count
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from tsunagari.cases.models import CasePartner, CasePhoto, CaseStep, ModelCase
from tsunagari.cases.search import index_case
from tsunagari.geo.models import Municipality
from tsunagari.members.models import Organization

_serial = count(1)


def make_case(
    title: str = "",
    *,
    status: str = ModelCase.Status.PUBLISHED,
    organization: Organization | None = None,
    partners: tuple[tuple[str, str], ...] = (("地域の居場所の会", "community"),),
    municipalities: tuple[str, ...] = (),
    **fields: Any,
) -> ModelCase:
    values: dict[str, Any] = {
        "title": title or f"【テスト】親子の居場所づくり{next(_serial)}",
        "summary": "親子が気軽に立ち寄れる場をつくった。",
        "issue": "子育て中の親が孤立していた。",
        "status": status,
        "organization": organization,
    }
    if status == ModelCase.Status.PUBLISHED:
        values["published_at"] = timezone.now()
    if status == ModelCase.Status.REVIEW:
        values["submitted_at"] = timezone.now()
    values.update(fields)
    case = ModelCase.objects.create(**values)
    for n, (name, sector) in enumerate(partners):
        CasePartner.objects.create(case=case, name=name, sector=sector, sort_order=n)
    if municipalities:
        case.municipalities.set(Municipality.objects.filter(code__in=municipalities))
    CaseStep.objects.create(case=case, title="関係者で話し合う", sort_order=0)
    index_case(case)
    return case


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (4, 3)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, kind)
    return buffer.getvalue()


def upload(name: str = "photo.png", kind: str = "PNG", content: bytes | None = None) -> Any:
    data = image_bytes(kind) if content is None else content
    return SimpleUploadedFile(name, data, content_type="image/png")


def make_photo(case: ModelCase) -> CasePhoto:
    return CasePhoto.objects.create(
        case=case,
        image=upload(),
        alt_text="テーブルを囲む親子",
        content_type="image/png",
        size=10,
    )


def case_data(**overrides: Any) -> dict[str, Any]:
    """A valid new-case POST with one partner, one step and no photo."""
    data: dict[str, Any] = {
        "title": "【テスト】公民館の朝カフェ",
        "summary": "公民館で朝のカフェを開いた。",
        "issue": "退職した男性が地域に居場所を持てずにいた。",
        "outcomes": "常連が20人になった。",
        "cost_yen": "12000",
        "started_on": "2025-04-01",
        "ended_on": "2026-03-31",
    }
    for prefix, rows in (
        ("partners", [{"name": "朝カフェの会", "sector": "community", "role": "運営"}]),
        ("steps", [{"title": "公民館と相談する", "body": "月1回の枠を借りた。"}]),
        ("photos", []),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for n, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{n}-{key}"] = value
    data.update(overrides)
    return data
