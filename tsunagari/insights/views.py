"""The public dashboard /visible/ (可視化): every chart as SVG with its table, reading, date
and source, and each chart's CSV, filtered by fiscal year and municipality (GET, no
JavaScript). Anonymous pages come from the page cache (lib/pagecache.py); the counts
behind them change slowly, and a page says the date of its data.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tsunagari.insights import builders, drawing
from tsunagari.insights.charts import CHARTS, ChartData, Filters, build_all
from tsunagari.lib import memo
from tsunagari.lib.pagecache import anonymous_page
from tsunagari.lib.spreadsheet import csv_response

FAMILIES = ("insights", "members", "directory", "geo", "surveys")


class FilterForm(forms.Form):
    """The dashboard's filters; the API checks the same values (api.py)."""

    fiscal_year = forms.TypedChoiceField(
        label=gettext_lazy("年度"), required=False, coerce=int, empty_value=None
    )
    municipality = forms.ChoiceField(label=gettext_lazy("市町村"), required=False)

    def __init__(self, *args: Any, names: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = [(str(y), builders.fiscal_year_label(y)) for y in reversed(builders.fiscal_years())]
        self.fields["fiscal_year"].choices = [("", _("すべての年度")), *years]  # type: ignore[attr-defined]
        names = names if names is not None else builders.municipalities()
        self.fields["municipality"].choices = [("", _("神奈川県全体")), *names.items()]  # type: ignore[attr-defined]


def filters_from(request: HttpRequest, *, internal: bool = False) -> tuple[Filters, FilterForm]:
    """The filters of the query string; bad values fall back to the default (with the
    form's errors to show)."""
    form = FilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return Filters(data["fiscal_year"], data["municipality"] or None, internal), form
    return Filters(internal=internal), form


def charts_for(filters: Filters) -> list[ChartData]:
    """Every chart, or a municipality's (the charts that make sense for one)."""
    return build_all(filters, builders.PER_MUNICIPALITY if filters.municipality else None)


@login_not_required
@anonymous_page(*FAMILIES)
def dashboard(request: HttpRequest) -> HttpResponse:
    filters, form = filters_from(request)
    with memo.scope():  # the filter form and the charts read the same names
        names = builders.municipalities()
        charts = charts_for(filters)
    return render(
        request,
        "insights/dashboard.html",
        {
            "charts": charts,
            "form": form,
            "filters": filters,
            "place": names.get(filters.municipality or ""),
            "year_label": builders.fiscal_year_label(filters.fiscal_year)
            if filters.fiscal_year
            else "",
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_not_required
@anonymous_page(*FAMILIES)
def chart_csv(request: HttpRequest, slug: str) -> HttpResponse:
    chart = CHARTS.get(slug)
    if chart is None:
        raise Http404
    filters, form = filters_from(request)
    if form.is_bound and form.errors:
        return HttpResponse(
            " ".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    data = chart.build(filters)
    name = slug
    if filters.fiscal_year:
        name += f"_FY{filters.fiscal_year}"
    if filters.municipality:
        name += f"_{filters.municipality}"
    return csv_response(f"visible_{name}.csv", drawing.header(data), drawing.csv_rows(data))
