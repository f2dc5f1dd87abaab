"""The public dashboard /visible/ (skeleton; the issue-16 work fills it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tsunagari.insights.charts import CHARTS, Filters


@login_not_required
def dashboard(request: HttpRequest) -> HttpResponse:
    filters = Filters()
    charts = [chart.build(filters) for chart in CHARTS.values()]
    return render(request, "insights/dashboard.html", {"charts": charts})
