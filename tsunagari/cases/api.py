"""GET /api/v1/cases, /api/v1/cases/{id} and /api/v1/cases/adoptions.

The published model cases in the HSDS-like JSON of cases/exports.py (docs/cases-json.md),
and how many municipalities stand at each stage of adoption: public facts only (an
adoption's note and its local collaboration stay on the site).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from tsunagari.cases import adoption, exports
from tsunagari.cases.models import ModelCase
from tsunagari.directory.models import TargetGroup
from tsunagari.geo.models import Municipality
from tsunagari.lib.apierrors import ApiProblem
from tsunagari.members.models import Theme

router = Router(tags=["cases"])


class CaseFilters(Schema):
    municipality: str | None = Field(
        None,
        pattern=r"^\d{6}$",
        description="実施した市町村のコード（区はその市の事例も、市はその区の事例も含む）",
    )
    theme: int | None = Field(None, ge=1, le=2_147_483_647, description="テーマの id")
    target_group: str | None = Field(
        None, pattern=r"^[-a-z0-9_]{1,40}$", description="対象の識別子（slug）"
    )
    q: str = Field("", max_length=100, description="ことば（名前・概要・課題・成果）")


class StageCounts(Schema):
    interest: int = Field(description="関心")
    considering: int = Field(description="検討")
    implementing: int = Field(description="実施")
    established: int = Field(description="定着")


class MunicipalityAdoptions(Schema):
    code: str
    name: str
    stages: StageCounts


class AdoptionsOut(Schema):
    totals: StageCounts = Field(description="県全体の段階ごとの件数")
    municipalities: list[MunicipalityAdoptions] = Field(
        description="事例を取り入れた市町村ごとの段階別件数"
    )


def filter_values() -> dict[str, list[Any]]:
    """The municipality codes, theme ids and target groups the filters accept (an unknown
    one is a 422), listed in the OpenAPI document as enums."""
    return {
        "municipality": sorted(Municipality.objects.values_list("code", flat=True)),
        "theme": sorted(Theme.objects.values_list("pk", flat=True)),
        "target_group": sorted(TargetGroup.objects.values_list("slug", flat=True)),
    }


def filtered(filters: CaseFilters) -> Any:
    errors: dict[str, str] = {}
    place = None
    if filters.municipality:
        place = Municipality.objects.filter(pk=filters.municipality).first()
        if place is None:
            errors["municipality"] = "該当するものがありません (unknown value)"
    if filters.theme is not None and not Theme.objects.filter(pk=filters.theme).exists():
        errors["theme"] = "該当するものがありません (unknown value)"
    if filters.target_group and not TargetGroup.objects.filter(slug=filters.target_group).exists():
        errors["target_group"] = "該当するものがありません (unknown value)"
    if errors:
        raise ApiProblem("Some parameters name nothing known.", errors)
    if place is not None and place.kind == Municipality.Kind.PREFECTURE:
        place = None  # the whole prefecture: every case
    return exports.filter_cases(
        ModelCase.objects.published(),
        municipality=place,
        theme=filters.theme,
        target_group=filters.target_group,
        q=filters.q,
    )


@router.get(
    "/cases/adoptions",
    response=AdoptionsOut,
    summary="モデル事例の普及：市町村ごと・段階ごとの件数 (adoption counts)",
)
def case_adoptions(request: HttpRequest) -> AdoptionsOut:
    """Published cases taken up, per municipality and stage (関心・検討・実施・定着)."""
    counts = adoption.adoption_counts()
    names = dict(Municipality.objects.filter(pk__in=counts).values_list("code", "name"))
    return AdoptionsOut(
        totals=StageCounts(**adoption.stage_totals(counts)),
        municipalities=[
            MunicipalityAdoptions(code=code, name=names.get(code, ""), stages=StageCounts(**per))
            for code, per in sorted(counts.items())
        ],
    )


@router.get(
    "/cases",
    response=dict[str, Any],
    summary="モデル事例の一覧 (published model cases, HSDS-like)",
)
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> HttpResponse:
    """Every published case matching the filters, newest first, in the JSON of
    docs/cases-json.md: `{"schema_version", "total_items", "contents": [...]}`."""
    return _json(exports.cases_as_json(filtered(filters)))


@router.get(
    "/cases/{case_id}",
    response=dict[str, Any],
    summary="モデル事例 (one published model case, HSDS-like)",
)
def get_case(request: HttpRequest, case_id: int = Path(..., ge=1, le=2_147_483_647)) -> Any:
    """One published case by its number (`case_number`); 404 for a draft or unknown one."""
    case = exports.with_everything(ModelCase.objects.published().filter(pk=case_id)).first()
    if case is None:
        raise HttpError(404, "Not Found")
    return _json(exports.case_as_json(case))


def _json(body: dict[str, Any]) -> HttpResponse:
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
