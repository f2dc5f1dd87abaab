from __future__ import annotations

from django.urls import path

from tsunagari.insights import views

app_name = "insights"

urlpatterns = [
    path("visible/", views.dashboard, name="dashboard"),
    path("visible/<slug:slug>.csv", views.chart_csv, name="chart_csv"),
]

# The staff views, the annual report and the 県民ニーズ調査 figures (report helper).
from tsunagari.insights import report, staff_views  # noqa: E402

urlpatterns += [
    path("visible/staff/", staff_views.staff_dashboard, name="staff_dashboard"),
    path("visible/municipality/", staff_views.municipality_dashboard, name="municipality"),
    path("visible/report/<int:fiscal_year>.pdf", report.report_view, name="report"),
    path("secretariat/visible/survey/", staff_views.survey_figures, name="survey_figures"),
]
