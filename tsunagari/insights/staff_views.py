"""The charts for the people who run the network.

- The secretariat (/visible/staff/): every chart with internal counts (no suppression:
  the secretariat may see them), plus the operational funnel (operations.py).
- Municipality officers (/visible/municipality/): their municipality's charts next to the
  prefecture's. They get the *public* (suppressed) figures: an officer may see a
  municipality's totals but not the personal-level counts the secretariat sees, and in a
  small town a count under 10 can point at one person or one family.
- The secretariat enters each new year of the 県民ニーズ調査 (/secretariat/visible/survey/).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from tsunagari.audit.models import AuditEvent, record
from tsunagari.core.access import secretariat_required
from tsunagari.geo.models import Municipality
from tsunagari.insights import operations
from tsunagari.insights.builders import fiscal_year_label, fiscal_years
from tsunagari.insights.charts import CHARTS, ChartData, Filters, build_all
from tsunagari.insights.models import SurveyFigure
from tsunagari.insights.report import cell_text
from tsunagari.insights.survey_forms import SHARES, SurveyFigureForm
from tsunagari.lib import memo


def _fiscal_year(request: HttpRequest) -> int | None:
    """?fiscal_year=2025 when it is one of the report's years; else every year so far."""
    try:
        year = int(request.GET.get("fiscal_year", ""))
    except ValueError:
        return None
    return year if year in fiscal_years() else None


def _year_choices() -> list[tuple[int, str]]:
    return [(year, fiscal_year_label(year)) for year in reversed(fiscal_years())]


@secretariat_required
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    year = _fiscal_year(request)
    filters = Filters(fiscal_year=year, internal=True)
    return render(
        request,
        "insights/staff_dashboard.html",
        {
            "charts": build_all(filters),
            "funnel": operations.funnel(),
            "fiscal_year": year,
            "years": _year_choices(),
        },
    )


@dataclass
class Comparison:
    """One chart for a municipality, with the prefecture's figure beside each of its
    values (matched by category and series label)."""

    chart: ChartData
    prefecture: ChartData
    rows: list[tuple[str, list[tuple[str, str]]]]  # category → (municipality, prefecture)


def compare(local: ChartData, prefecture: ChartData) -> Comparison:
    wider = {
        (category, series.label): series.values[i] if i < len(series.values) else None
        for series in prefecture.series
        for i, category in enumerate(prefecture.categories)
    }
    rows = []
    for i, category in enumerate(local.categories):
        cells = []
        for series in local.series:
            value = series.values[i] if i < len(series.values) else None
            key = (category, series.label)
            # "—": the prefecture's chart has no such cell (a category only a city has).
            other = cell_text(wider[key]) if key in wider else "—"
            cells.append((cell_text(value), other))
        rows.append((category, cells))
    return Comparison(chart=local, prefecture=prefecture, rows=rows)


def _officer_municipalities(request: HttpRequest) -> list[Municipality]:
    """The municipalities whose charts this viewer may see (a ward's officer sees the city)."""
    user = request.user
    if getattr(user, "is_secretariat", False):
        return list(Municipality.objects.municipalities().order_by("code"))
    if not getattr(user, "is_municipality_officer", False):
        raise PermissionDenied
    chosen: dict[str, Municipality] = {}
    for m in user.officer_municipalities.select_related("parent").order_by("code"):  # type: ignore[union-attr]
        city = m.parent if m.kind == Municipality.Kind.WARD and m.parent else m
        chosen[city.code] = city
    return list(chosen.values())


def municipality_dashboard(request: HttpRequest) -> HttpResponse:
    choices = _officer_municipalities(request)
    if not choices:
        raise PermissionDenied
    by_code = {m.code: m for m in choices}
    municipality = by_code.get(request.GET.get("municipality", ""), choices[0])
    year = _fiscal_year(request)
    local_filters = Filters(fiscal_year=year, municipality=municipality.code)
    wide_filters = Filters(fiscal_year=year)
    with memo.scope():
        comparisons = [
            compare(chart.build(local_filters), chart.build(wide_filters))
            for chart in CHARTS.values()
        ]
    return render(
        request,
        "insights/staff_municipality.html",
        {
            "municipality": municipality,
            "choices": choices,
            "comparisons": comparisons,
            "fiscal_year": year,
            "years": _year_choices(),
        },
    )


def _save_figure(request: HttpRequest, form: SurveyFigureForm) -> SurveyFigure:
    """Save and audit in one transaction: one row per fiscal year (the unique constraint
    decides between two people entering the same year at once)."""
    with transaction.atomic():
        figure = form.save(commit=False)
        figure.entered_by = request.user
        figure.save()
        fields = ["fiscal_year", *SHARES, "respondents", "source_name", "source_url"]
        values = {name: getattr(figure, name) for name in fields}
        record(  # the shares as text: the audit log stores its changes as JSON
            request.user,
            AuditEvent.Action.CREATE,
            figure,
            changes={k: [None, str(v)] for k, v in values.items() if v not in (None, "")},
        )
    return figure


@secretariat_required
def survey_figures(request: HttpRequest) -> HttpResponse:
    form = SurveyFigureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            figure = _save_figure(request, form)
        except IntegrityError:  # the same year entered at the same moment by someone else
            form.add_error("fiscal_year", _("この年度の結果はすでに登録されています。"))
        else:
            messages.success(
                request,
                _("%(year)sの県民ニーズ調査の結果を登録しました。")
                % {"year": fiscal_year_label(figure.fiscal_year)},
            )
            return HttpResponseRedirect(reverse("insights:survey_figures"))
    figures = list(SurveyFigure.objects.select_related("entered_by").order_by("-fiscal_year"))
    return render(
        request,
        "insights/survey_figures.html",
        {
            "figures": [(f, fiscal_year_label(f.fiscal_year)) for f in figures],
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )
