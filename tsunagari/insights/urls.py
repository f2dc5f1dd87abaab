from __future__ import annotations

from django.urls import path

from tsunagari.insights import views

app_name = "insights"

urlpatterns = [
    path("visible/", views.dashboard, name="dashboard"),
    path("visible/<slug:slug>.csv", views.chart_csv, name="chart_csv"),
]
