"""GET /api/v1/visible and /api/v1/visible/{chart}: the dashboard's charts as JSON, with
the same numbers as the page's tables (a hidden count is null) and the same filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from tsunagari.insights import builders, drawing
from tsunagari.insights.charts import CHARTS, Filters
from tsunagari.lib.apierrors import ApiProblem, ErrorOut, ProblemOut
from tsunagari.lib.disclosure import MIN_CELL

router = Router(tags=["visible"])


class ChartRef(Schema):
    slug: str
    title: str
    url: str = Field(description="this chart's API path")
    csv: str = Field(description="the same table as CSV (UTF-8 with BOM)")
    per_municipality: bool = Field(description="whether the municipality filter applies")


class SeriesOut(Schema):
    label: str
    values: list[float | int | None] = Field(
        description="one per category; null = a count from 1 to 9 (or one a total would "
        "reveal), or a rate or share made from one"
    )


class ChartOut(Schema):
    slug: str
    title: str
    kind: str = Field(description="bar | stacked | line | funnel | heatmap | tiles")
    unit: str
    axis: str = Field(description="what the categories are")
    categories: list[str]
    codes: list[str] | None = Field(description="municipality codes of the categories, if any")
    series: list[SeriesOut]
    reading: str = Field(description="a short plain-language reading of the numbers")
    source: str
    as_of: dt.date = Field(description="the date of the data")
    notes: list[str]
    target: float | None = Field(description="a KPI's reference value (line charts)")
    suppression_threshold: int = Field(description="counts below this are never shown")
    fiscal_year: int | None
    municipality: str | None


class VisibleQuery(Schema):
    fiscal_year: int | None = Field(
        None,
        ge=builders.FIRST_FISCAL_YEAR,
        le=2100,
        description="年度 (April–March, e.g. 2025 = 令和7年度); default: every year so far, "
        "or the current one for the self-check",
    )
    municipality: str | None = Field(
        None,
        pattern=r"^\d{6}$",
        description="one of the 33 municipalities' codes (a ward counts in its city); "
        "default: the whole prefecture",
    )


def visible_choices() -> dict[str, list[Any]]:
    """The values the OpenAPI document lists as enums (a fiscal year that has not begun is a
    422, so the years so far)."""
    return {
        "municipality": list(builders.municipalities()),
        "chart": list(CHARTS),
        "fiscal_year": list(range(builders.FIRST_FISCAL_YEAR, builders.current_fiscal_year() + 1)),
    }


@router.get("/visible", response=list[ChartRef], summary="可視化：グラフの一覧")
def list_charts(request: HttpRequest) -> list[dict[str, Any]]:
    """The charts of the public dashboard /visible/, in its order."""
    return [
        {
            "slug": slug,
            "title": str(chart.title),
            "url": f"/api/v1/visible/{slug}",
            "csv": f"/visible/{slug}.csv",
            "per_municipality": slug in builders.PER_MUNICIPALITY,
        }
        for slug, chart in CHARTS.items()
    ]


@router.get(
    "/visible/{chart}",
    response={200: ChartOut, 404: ErrorOut, 422: ProblemOut},
    summary="可視化：1つのグラフの数",
)
def visible_chart(request: HttpRequest, chart: str, query: Query[VisibleQuery]) -> dict[str, Any]:
    """One chart's numbers, as the dashboard's table shows them. Counts from 1 to
    `suppression_threshold` − 1 are null (shown as 「10未満」 on the page and in the CSV)."""
    found = CHARTS.get(chart)
    if found is None:
        raise HttpError(404, "Not Found")
    if query.municipality and query.municipality not in builders.municipalities():
        raise ApiProblem(
            "Some parameters name nothing known.",
            {"municipality": "該当するものがありません (unknown value)"},
        )
    if query.fiscal_year and query.fiscal_year > builders.current_fiscal_year():
        raise ApiProblem(
            "The fiscal year has not started.",
            {"fiscal_year": "まだ始まっていない年度です (a future fiscal year)"},
        )
    filters = Filters(query.fiscal_year, query.municipality or None)
    body = drawing.api_body(found.build(filters))
    body.update(
        suppression_threshold=MIN_CELL,
        fiscal_year=filters.fiscal_year,
        municipality=filters.municipality,
    )
    return body
