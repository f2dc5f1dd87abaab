"""GET /api/v1/selfcheck/aggregates: the results page's aggregates as JSON.

The same filters and the same suppression as the page (aggregates.compute): counts under
`suppression_threshold` and shares that would give such a count back are null. Bad
parameters answer 422 with a JSON body naming each one.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tsunagari.surveys import aggregates

router = Router(tags=["selfcheck"])


AgeBandParam = Literal["16-19", "20s", "30s", "40s", "50s", "60s", "70s", "80+"]


class AggregateFilters(Schema):
    period: str | None = Field(
        None,
        pattern=aggregates.PERIOD_PATTERN,
        description="期間 (a period of the grid): FY2024 (年度 April 2024–March 2025), "
        "FY2024-Q1 (its quarter April–June; Q4 is January–March 2025) or 2024-04 (a month). "
        "Default: the current fiscal year. A municipality or an age band is published for "
        "fiscal years only.",
        examples=["FY2024", "FY2024-Q1", "2024-04"],
    )
    fiscal_year: int | None = Field(
        None, ge=2000, le=2100, description="年度 (April–March, e.g. 2024); same as period=FY2024"
    )
    start: str | None = Field(
        None,
        pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
        description="Deprecated. 最初の月 YYYY-MM: only with `end`, and only when start–end is "
        "exactly one period of the grid (a month, a fiscal quarter, a fiscal year); any other "
        "range answers 400 (arbitrary ranges would let small counts be worked out).",
        json_schema_extra={"deprecated": True},
    )
    end: str | None = Field(
        None,
        pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
        description="Deprecated. 最後の月 YYYY-MM (see `start`).",
        json_schema_extra={"deprecated": True},
    )
    city: str | None = Field(
        None,
        pattern=r"^\d{6}$",
        description="市町村コード (one of the 33 municipalities; wards are counted in their "
        "city). Fiscal years only; not with `age_band`.",
    )
    age_band: AgeBandParam | None = Field(
        None, description="年代. Fiscal years only; not with `city`."
    )
    by: Literal["month", "quarter", "fiscal_year"] = Field(
        "quarter",
        description="推移の区切り (time breakdown of the period, fiscal quarters). With "
        "`city` or `age_band` the trend is always by fiscal year (the last five).",
    )


class InvalidOut(Schema):
    detail: str | list[dict[str, Any]] = Field(
        description="What is wrong: a sentence, or the list of invalid parameters"
    )
    errors: dict[str, str] | None = Field(None, description="Each parameter at fault → why")


class ErrorOut(Schema):
    detail: str = Field(description="What is wrong, in Japanese")
    errors: dict[str, str] = Field(description="Each parameter at fault → why")
    nearest: dict[str, str] | None = Field(
        None, description="The nearest query the public aggregates answer (400 only)"
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
    period: str = Field(description="the grid period shown: FY2024, FY2024-Q1 or 2024-04")
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
    distributions_shown: bool = Field(
        description="false for a quarter or a month: the band and level distributions and "
        "what would help are published for fiscal years only (all null)"
    )
    national: list[NationalOut]


@router.get(
    "/selfcheck/aggregates",
    response={200: AggregatesOut, 400: ErrorOut, 422: InvalidOut},
    summary="Self-check aggregates",
)
def selfcheck_aggregates(
    request: HttpRequest, filters: Query[AggregateFilters]
) -> Status[dict[str, Any]]:
    """セルフチェックの集計（匿名・小さい数は秘匿）。Anonymous self-check aggregates:
    distribution by indirect band and direct level, shares feeling lonely with 95%
    Wilson intervals by municipality, age band and period, next to the national survey;
    and what would help, as shares of those who answered that optional question.

    Published on a fixed grid only: a fiscal year, a fiscal quarter or a month for the
    whole prefecture; a fiscal year for a municipality or an age band (never both).
    Counts under `suppression_threshold`, and any figure that together with others would
    reveal one, are null. A query off the grid (an arbitrary range, a municipality with
    a quarter, a municipality with an age band) answers 400 with the nearest query that
    is on it; a value that is not valid (an unknown municipality) answers 422."""
    cities = aggregates.city_codes()
    try:
        chosen = aggregates.make_filters(
            period=filters.period or "",
            start=filters.start or "",
            end=filters.end or "",
            fiscal_year=filters.fiscal_year,
            city=filters.city or "",
            age_band=filters.age_band or "",
            by=filters.by,
            cities=cities,
        )
    except aggregates.FilterError as error:
        body = {
            "detail": " ".join(error.problems.values()),
            "errors": error.problems,
            "nearest": error.fallback,
        }
        return Status(400 if error.fallback is not None else 422, body)
    return Status(200, aggregates.as_json(aggregates.compute(chosen, cities)))
