"""GET /api/v1/selfcheck/aggregates: the results page's aggregates as JSON.

The same filters and the same suppression as the page (aggregates.compute): counts under
`suppression_threshold` and shares that would give such a count back are null. Bad
parameters answer 422 with a JSON body naming each one.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from tsunagari.surveys import aggregates

router = Router(tags=["selfcheck"])


class AggregateFilters(Schema):
    start: str | None = Field(
        None, pattern=r"^\d{4}-\d{2}$", description="最初の月 YYYY-MM (default: 11 months ago)"
    )
    end: str | None = Field(
        None, pattern=r"^\d{4}-\d{2}$", description="最後の月 YYYY-MM (default: this month)"
    )
    fiscal_year: int | None = Field(
        None, ge=2000, le=2100, description="年度 (April–March, e.g. 2024); overrides start/end"
    )
    city: str | None = Field(
        None,
        pattern=r"^\d{6}$",
        description="市町村コード (one of the 33 municipalities; wards are counted in their city)",
    )
    age_band: str | None = Field(None, description="年代: 16-19, 20s … 70s, 80+")
    by: Literal["month", "quarter", "fiscal_year"] = Field(
        "quarter", description="推移の区切り (time breakdown; quarters of the fiscal year)"
    )


class ShareOut(Schema):
    count: int | None
    total: int | None
    percent: float | None = Field(description="割合 (%), null when suppressed")
    ci95_low: float | None = Field(description="Wilson 95% CI lower bound (%)")
    ci95_high: float | None = Field(description="Wilson 95% CI upper bound (%)")


class NationalCellOut(Schema):
    survey: str
    percent: float | None = Field(description="全国調査の値 (%); null: not published")


class CellOut(Schema):
    key: str
    label: str
    n: int | None = Field(description="件数; null when suppressed")
    percent: float | None
    national: list[NationalCellOut]


class RowOut(Schema):
    key: str = Field(description="市町村コード, 年代 or period (2024-04, FY2024-Q1, FY2024)")
    label: str
    n: int | None
    indirect_lonely: ShareOut = Field(description="間接質問 7–12点")
    direct_lonely: ShareOut = Field(description="直接質問 3–5")


class HelpOut(Schema):
    key: str = Field(description="Help code: talk, hobby, place, work, housing, … learning")
    label: str
    n: int | None = Field(description="選んだ人の数; null when suppressed")
    percent: float | None = Field(
        description="回答した人のうち選んだ人の割合 (%) (share of `answered`); null when suppressed"
    )
    ci_low: float | None = Field(description="Wilson 95% CI lower bound (%)")
    ci_high: float | None = Field(description="Wilson 95% CI upper bound (%)")


class HelpsOut(Schema):
    answered: int | None = Field(
        description="あるとよいものを1つ以上選んだ人の数 (the denominator: the question is "
        "optional); null when suppressed"
    )
    items: list[HelpOut] = Field(
        description="Multiple choice: the counts do not add up to `answered`"
    )


class FiltersOut(Schema):
    start: str
    end: str
    fiscal_year: int | None
    city: str | None
    age_band: str | None
    by: str


class NationalOut(Schema):
    survey: str
    year: int
    n: int | None
    n_approximate: bool
    direct_lonely_percent: float | None
    indirect_lonely_percent: float | None
    indirect_always_percent: float | None
    direct_percent_by_level: dict[str, float | None]
    source: str


class AggregatesOut(Schema):
    scale_version: str
    suppression_threshold: int = Field(description="counts below this are never shown")
    filters: FiltersOut
    n: int | None
    indirect_lonely: ShareOut
    direct_lonely: ShareOut
    indirect_bands: list[CellOut]
    direct_levels: list[CellOut]
    by_city: list[RowOut]
    by_age_band: list[RowOut]
    over_time: list[RowOut]
    helps: HelpsOut = Field(description="あるとよいもの (what would help), same filters")
    national: list[NationalOut]


@router.get("/selfcheck/aggregates", response=AggregatesOut, summary="Self-check aggregates")
def selfcheck_aggregates(request: HttpRequest, filters: Query[AggregateFilters]) -> dict[str, Any]:
    """セルフチェックの集計（匿名・小さい数は秘匿）。Anonymous self-check aggregates:
    distribution by indirect band and direct level, shares feeling lonely with 95%
    Wilson intervals by municipality, age band and period, next to the national survey;
    and what would help, as shares of those who answered that optional question. Counts
    under `suppression_threshold` (and cells that would reveal one) are null."""
    cities = aggregates.city_codes()
    try:
        chosen = aggregates.make_filters(
            start=filters.start or "",
            end=filters.end or "",
            fiscal_year=filters.fiscal_year,
            city=filters.city or "",
            age_band=filters.age_band or "",
            by=filters.by,
            cities=cities,
        )
    except aggregates.FilterError as error:
        raise HttpError(
            422, "; ".join(f"{name}: {message}" for name, message in error.problems.items())
        ) from None
    return aggregates.as_json(aggregates.compute(chosen, cities))
