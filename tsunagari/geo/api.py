"""Public JSON API of the reference data."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tsunagari.geo.models import Municipality

router = Router(tags=["geo"])


class MunicipalityOut(Schema):
    code: str = Field(description="全国地方公共団体コード (6 digits, with check digit)")
    name: str
    name_en: str = Field(description="English name (empty if none)")
    label: str = Field(description="The name in the language asked for by Accept-Language")
    kind: Municipality.Kind
    parent_code: str | None


class MunicipalityFilters(Schema):
    kind: Municipality.Kind | None = None
    parent_code: str | None = Field(None, pattern=r"^\d{6}$")


@router.get("/municipalities", response=list[MunicipalityOut], summary="市町村 (municipalities)")
def list_municipalities(
    request: HttpRequest, filters: Query[MunicipalityFilters]
) -> list[MunicipalityOut]:
    qs = Municipality.objects.all()
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.parent_code:
        qs = qs.filter(parent_id=filters.parent_code)
    return [
        MunicipalityOut(
            code=m.code,
            name=m.name,
            name_en=m.name_en,
            label=m.label,
            kind=Municipality.Kind(m.kind),
            parent_code=m.parent_id,
        )
        for m in qs
    ]
