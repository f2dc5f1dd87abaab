"""URLs of the directory. Each part of the directory keeps its own block."""

from __future__ import annotations

from django.urls import path

from tsunagari.directory import manage_views, opendata_views, views

app_name = "directory"

urlpatterns = [
    # Public pages: search, detail, consultation, print (views.py)
    path("resources/", views.search, name="search"),
    path("resources/print/", views.print_list, name="print"),
    path("resources/<int:pk>/", views.detail, name="detail"),
    path("consult/", views.consult, name="consult"),
    # Staff and secretariat pages (manage_views.py)
    # Open data and imports (opendata_views.py)
    path("manage/resources/import/", opendata_views.resource_import, name="resource_import"),
    path(
        "manage/resources/import/template.csv",
        opendata_views.resource_import_template,
        name="resource_import_template",
    ),
    path("opendata/", opendata_views.opendata_index, name="opendata"),
    path("opendata/events.csv", opendata_views.events_csv, name="events_csv"),
    path(
        "opendata/ical/organization/<int:pk>.ics",
        opendata_views.ical_organization,
        name="ical_organization",
    ),
    path(
        "opendata/ical/municipality/<str:code>.ics",
        opendata_views.ical_municipality,
        name="ical_municipality",
    ),
    path("opendata/ical/kind/<slug:slug>.ics", opendata_views.ical_kind, name="ical_kind"),
]
