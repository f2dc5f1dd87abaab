"""GET /api/v1/rollout and /api/v1/rollout/{code}: the roll-out table and one
municipality's figures, the same numbers as /rollout/ and /municipalities/<code>/.

Counts of people (supporters, self-check respondents) keep their source's disclosure
control: a count under the threshold is null.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from tsunagari.geo.models import Municipality
from tsunagari.rollout import services

router = Router(tags=["rollout"])


class RolloutPopulationOut(Schema):
    population: int
    households: int | None
    as_of: dt.date = Field(description="基準日")
    source_name: str = Field(description="出典")
    source_url: str


class RolloutCouncilOut(Schema):
    name: str
    established_on: dt.date
    url: str


class RolloutRowOut(Schema):
    code: str = Field(description="全国地方公共団体コード（6桁）")
    name: str
    name_en: str
    stage: str = Field(description="first（第1ステージ）, second（第2）, third（第3）")
    stage_number: int
    local_platform: str = Field(
        description="none（未設置）, preparing（準備中）, running（設置済み）"
    )
    local_platform_name: str
    local_platform_since: dt.date | None
    local_platform_url: str
    councils: int = Field(description="地域協議会の数")
    cases_active: int = Field(description="モデル事例: 実施・定着の数")
    cases_total: int = Field(description="モデル事例: 関心〜定着のすべて")
    members: int = Field(description="この市町村（区を含む）で活動する構成員団体")
    resources: int = Field(description="公開中の社会資源（区を含む）")
    resources_per_10k: float | None = Field(description="人口1万人あたりの社会資源")
    opportunities: int = Field(description="社会資源のうちイベント・ボランティア")
    opportunities_per_10k: float | None
    supporters: int | None = Field(
        description="今年度つながりサポーター講座を受講した人（10人未満は null）"
    )
    population: RolloutPopulationOut | None
    is_sample: bool = Field(description="【サンプル】の値（デモ用）")
    url: str


class RolloutSelfCheckOut(Schema):
    fiscal_year: str
    respondents: int | None = Field(description="回答数（10未満は null）")
    indirect_lonely_percent: float | None
    direct_lonely_percent: float | None


class RolloutMunicipalityOut(RolloutRowOut):
    open_needs: int
    unmet_needs: int = Field(description="よく合うシーズがまだないニーズ")
    cases_by_stage: dict[str, int] = Field(
        description=(
            "interest（関心）, considering（検討）, implementing（実施）, established（定着）"
        )
    )
    council_list: list[RolloutCouncilOut]
    selfcheck: RolloutSelfCheckOut | None


def _row(f: services.Figures) -> dict:
    r = f.rollout
    p = f.population
    return {
        "code": f.code,
        "name": f.municipality.name,
        "name_en": f.municipality.name_en,
        "stage": f.stage,
        "stage_number": f.stage_number,
        "local_platform": r.local_platform if r else "none",
        "local_platform_name": r.local_platform_name if r else "",
        "local_platform_since": r.local_platform_since if r else None,
        "local_platform_url": r.local_platform_url if r else "",
        "councils": len(f.councils),
        "cases_active": f.adoptions_active,
        "cases_total": f.adoptions_total,
        "members": f.members,
        "resources": f.resources,
        "resources_per_10k": f.resources_per_10k,
        "opportunities": f.opportunities,
        "opportunities_per_10k": f.opportunities_per_10k,
        "supporters": f.supporters,
        "population": None
        if p is None
        else {
            "population": p.population,
            "households": p.households,
            "as_of": p.as_of,
            "source_name": p.source_name,
            "source_url": p.source_url,
        },
        "is_sample": bool(r and r.is_sample),
        "url": f"/municipalities/{f.code}/",
    }


@router.get(
    "/rollout",
    response=list[RolloutRowOut],
    summary="33市町村の展開状況",
    url_name="rollout_list",
)
def rollout_list(request: HttpRequest) -> list[dict]:
    return [_row(f) for f in services.municipality_figures().values()]


@router.get(
    "/rollout/{code}",
    response=RolloutMunicipalityOut,
    summary="1つの市町村の展開状況と数値",
    url_name="rollout_detail",
)
def rollout_detail(request: HttpRequest, code: str) -> dict:
    """A ward's code or the prefecture's is a 404: use the city's code (the 33 codes)."""
    from tsunagari.matching import gap
    from tsunagari.rollout.views import selfcheck_summary

    place = Municipality.objects.municipalities().filter(code=code).first()
    if place is None:
        raise Http404
    f = services.municipality_figures([code])[code]
    result = gap.gaps(gap.area_scope(place))
    summary = selfcheck_summary(code)
    data = _row(f)
    data.update(
        open_needs=result.open_needs,
        unmet_needs=result.unmet_needs,
        cases_by_stage=f.adoptions_by_stage,
        council_list=[
            {"name": c.name, "established_on": c.established_on, "url": f"/councils/{c.pk}/"}
            for c in f.councils
        ],
        selfcheck=None
        if summary is None
        else {
            "fiscal_year": summary.filters.period_key,
            "respondents": summary.n,
            "indirect_lonely_percent": summary.indirect_lonely.percent,
            "direct_lonely_percent": summary.direct_lonely.percent,
        },
    )
    return data


def code_choices() -> dict[str, list[str]]:
    """The 33 codes the detail accepts (a ward's or the prefecture's is a 404)."""
    return {
        "code": list(
            Municipality.objects.municipalities().order_by("code").values_list("code", flat=True)
        )
    }
