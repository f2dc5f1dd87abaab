"""Figures of the つながりサポーター養成講座 (実績): per municipality and fiscal year
(年度, April–March), the courses held and how many people registered, attended and were
certified. Shown on /supporters/figures/, as CSV and at GET /api/v1/supporters/counts.

Counts of people follow the self-check's disclosure rules (lib/disclosure.py): a count
from 1 to MIN_CELL − 1 is hidden, and as the prefecture's totals are shown, a second
count of the same column is hidden with it (complementary suppression). The number of
courses is not a count of people and is always shown.

A course counts where it is held (Course.municipality; a ward counts in its city) in the
fiscal year of its start, once it has started and unless it was cancelled. The pages are
not cached (they are small and the figures move with every attendance).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.db.models.functions import Coalesce, TruncMonth
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from tsunagari.geo.models import Municipality
from tsunagari.lib.apierrors import ProblemOut
from tsunagari.lib.disclosure import MIN_CELL, SUPPRESSED_TEXT, protect
from tsunagari.lib.spreadsheet import csv_response
from tsunagari.lib.wareki import current_fiscal_year, fiscal_year_label, fiscal_year_of
from tsunagari.supporters.models import Course, Registration

MEASURES = ("registered", "attended", "certified")  # counts of people (suppressed)
FIRST_FISCAL_YEAR = 2019


def _bounds(year: int) -> tuple[Any, Any]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime(year, 4, 1), tz)
    end = timezone.make_aware(datetime(year + 1, 4, 1), tz)
    return start, end


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    courses_held: int
    registered: int | None
    attended: int | None
    certified: int | None


@dataclass(frozen=True)
class Figures:
    fiscal_year: int
    label: str
    rows: list[Row]
    total: Row


def compute(year: int) -> Figures:
    """Three queries: the courses, the people, the municipalities' names."""
    return compute_years([year])[year]


def compute_years(years: Sequence[int]) -> dict[int, Figures]:
    """The figures of several fiscal years in the same three queries (grouped by city and
    month of the course's start, each month then counted in its fiscal year); each year
    is suppressed on its own, exactly as if it were computed alone."""
    wanted = sorted(set(years))
    courses = Course.objects.filter(
        status=Course.Status.PUBLISHED,
        starts_at__gte=_bounds(wanted[0])[0],
        starts_at__lt=_bounds(wanted[-1])[1],
        starts_at__lte=timezone.now(),
    )
    held: dict[int, dict[str, int]] = {year: {} for year in wanted}
    for code, month, n in (
        courses.annotate(
            city=Coalesce("municipality__parent_id", "municipality_id"),
            month=TruncMonth("starts_at"),
        )
        .values("city", "month")
        .annotate(n=Count("id"))
        .values_list("city", "month", "n")
    ):
        counted = held.get(fiscal_year_of(timezone.localdate(month)))
        if counted is not None:
            counted[code] = counted.get(code, 0) + n
    people = (
        Registration.objects.filter(course__in=courses)
        .exclude(status=Registration.Status.CANCELLED, attended_at__isnull=True)
        .annotate(
            city=Coalesce("course__municipality__parent_id", "course__municipality_id"),
            month=TruncMonth("course__starts_at"),
        )
        .values("city", "month")
        .annotate(
            registered=Count(
                "id", filter=Q(status=Registration.Status.CONFIRMED) | Q(attended_at__isnull=False)
            ),
            attended=Count("id", filter=Q(attended_at__isnull=False)),
            certified=Count("certificate"),
        )
    )
    cells: dict[int, dict[tuple[str, str], int]] = {year: {} for year in wanted}
    for row in people:
        values: dict[str, Any] = dict(row)
        month = values["month"]
        year_cells = cells.get(fiscal_year_of(timezone.localdate(month)))
        if year_cells is None:
            continue
        for measure in MEASURES:
            key = (values["city"], measure)
            year_cells[key] = year_cells.get(key, 0) + values[measure]
    every_code = set().union(*held.values(), *({c for c, _m in y} for y in cells.values()))
    names = {m.code: m.label for m in Municipality.objects.filter(code__in=every_code)}
    return {year: _figures(year, held[year], cells[year], names) for year in wanted}


def _figures(
    year: int, held: dict[str, int], cells: dict[tuple[str, str], int], names: dict[str, str]
) -> Figures:
    codes = sorted(set(held) | {code for code, _m in cells})
    table = protect(cells, codes, MEASURES, column_totals=True)
    rows = [
        Row(
            code=code,
            label=names.get(code, code),
            courses_held=held.get(code, 0),
            registered=table.cell(code, "registered"),
            attended=table.cell(code, "attended"),
            certified=table.cell(code, "certified"),
        )
        for code in codes
    ]
    total = Row(
        code="",
        label=_("神奈川県全体"),
        courses_held=sum(held.values()),
        registered=table.column_total("registered"),
        attended=table.column_total("attended"),
        certified=table.column_total("certified"),
    )
    return Figures(fiscal_year=year, label=fiscal_year_label(year), rows=rows, total=total)


def shown(n: int | None) -> str:
    return SUPPRESSED_TEXT if n is None else f"{n:,}"


class FiscalYearError(ValueError):
    pass


def parse_fiscal_year(value: str | None) -> int:
    if value is None or value.strip() == "":
        return current_fiscal_year()
    text = value.strip()
    if not text.isascii() or not text.isdigit():
        raise FiscalYearError(_("年度は西暦の4桁の数字で指定してください（例：2025）。"))
    year = int(text)
    if not FIRST_FISCAL_YEAR <= year <= current_fiscal_year() + 1:
        raise FiscalYearError(
            _("年度は%(first)sから%(last)sまでで指定してください。")
            % {"first": FIRST_FISCAL_YEAR, "last": current_fiscal_year() + 1}
        )
    return year


# ------------------------------------------------------------------ pages


def _year_choices() -> list[tuple[int, str]]:
    return [
        (year, fiscal_year_label(year))
        for year in range(current_fiscal_year(), FIRST_FISCAL_YEAR - 1, -1)
    ]


@login_not_required
def figures_page(request: HttpRequest) -> HttpResponse:
    error = ""
    try:
        year = parse_fiscal_year(request.GET.get("fiscal_year"))
    except FiscalYearError as e:
        error, year = str(e), current_fiscal_year()
    return render(
        request,
        "supporters/figures.html",
        {
            "figures": compute(year),
            "error": error,
            "years": _year_choices(),
            "min_cell": MIN_CELL,
            "suppressed_text": SUPPRESSED_TEXT,
        },
        status=400 if error else 200,
    )


@login_not_required
def figures_csv(request: HttpRequest) -> HttpResponse:
    try:
        year = parse_fiscal_year(request.GET.get("fiscal_year"))
    except FiscalYearError as e:
        return HttpResponse(str(e), status=400, content_type="text/plain; charset=utf-8")
    figures = compute(year)
    header = [
        _("年度"),
        _("市町村コード"),
        _("市町村"),
        _("開催した講座"),
        _("申込者"),
        _("出席者"),
        _("修了証の発行"),
    ]
    rows = [
        [figures.fiscal_year, r.code, r.label, r.courses_held, *map(shown, _people(r))]
        for r in [*figures.rows, figures.total]
    ]
    return csv_response(f"supporters_FY{year}.csv", header, rows)


def _people(row: Row) -> list[int | None]:
    return [row.registered, row.attended, row.certified]


# ------------------------------------------------------------------ API

router = Router(tags=["supporters"])


class CountsQuery(Schema):
    by: Literal["municipality"] = Field(
        "municipality", description="内訳 (breakdown): municipality only (市町村別)"
    )
    fiscal_year: int | None = Field(
        None,
        ge=FIRST_FISCAL_YEAR,
        le=2100,
        description="年度 (April–March, named by the year it starts in, e.g. 2025 = "
        "令和7年度). Default: the current fiscal year.",
    )


class CountRowOut(Schema):
    municipality_code: str | None = Field(
        description="市町村コード (6 digits; a ward counts in its city); null for the total"
    )
    label: str
    courses_held: int = Field(description="開催した講座の数 (never suppressed)")
    registered: int | None = Field(description="申込者 (confirmed); null when suppressed")
    attended: int | None = Field(description="出席者; null when suppressed")
    certified: int | None = Field(description="修了証の発行数; null when suppressed")


class CountsOut(Schema):
    fiscal_year: int
    label: str = Field(description="年度 in 和暦, e.g. 令和7年度")
    by: str
    suppression_threshold: int = Field(description="counts of people below this are never shown")
    rows: list[CountRowOut]
    total: CountRowOut


def _row_out(row: Row) -> dict[str, Any]:
    return {
        "municipality_code": row.code or None,
        "label": row.label,
        "courses_held": row.courses_held,
        "registered": row.registered,
        "attended": row.attended,
        "certified": row.certified,
    }


@router.get(
    "/supporters/counts",
    response={200: CountsOut, 422: ProblemOut},
    summary="つながりサポーター養成講座の実績",
)
def supporter_counts(request: HttpRequest, query: Query[CountsQuery]) -> dict[str, Any]:
    """Courses held and people registered, attended and certified, by municipality, in
    one fiscal year. Counts of people from 1 to `suppression_threshold` − 1 are null, and
    so is a second count of the same column when one alone would be recoverable from the
    total (complementary suppression)."""
    figures = compute(query.fiscal_year or current_fiscal_year())
    return {
        "fiscal_year": figures.fiscal_year,
        "label": figures.label,
        "by": query.by,
        "suppression_threshold": MIN_CELL,
        "rows": [_row_out(r) for r in figures.rows],
        "total": _row_out(figures.total),
    }
