"""URLs of the directory. Each part of the directory keeps its own block."""

from __future__ import annotations

from django.urls import path

from tsunagari.directory import area_views, manage_views, opendata_views, views

app_name = "directory"

urlpatterns = [
    # Public pages: search, detail, consultation, print (views.py)
    path("resources/", views.search, name="search"),
    path("resources/print/", views.print_list, name="print"),
    path("resources/<int:pk>/", views.detail, name="detail"),
    path("consult/", views.consult, name="consult"),
    # Staff and secretariat pages (manage_views.py)
    path("manage/resources/", manage_views.resource_list, name="manage_resource_list"),
    path("manage/resources/new/", manage_views.resource_new, name="manage_resource_new"),
    path(
        "manage/resources/<int:pk>/edit/",
        manage_views.resource_edit,
        name="manage_resource_edit",
    ),
    path(
        "manage/resources/<int:pk>/verify/",
        manage_views.resource_verify,
        name="manage_resource_verify",
    ),
    path(
        "manage/resources/<int:pk>/delete/",
        manage_views.resource_delete,
        name="manage_resource_delete",
    ),
    path(
        "manage/resources/<int:pk>/unpublish/",
        manage_views.resource_unpublish,
        name="manage_resource_unpublish",
    ),
    path(
        "manage/resources/<int:pk>/republish/",
        manage_views.resource_republish,
        name="manage_resource_republish",
    ),
    path(
        "manage/resources/<int:pk>/history/",
        manage_views.resource_history,
        name="manage_resource_history",
    ),
    path("manage/taxonomies/", manage_views.taxonomy_index, name="manage_taxonomy_index"),
    path("manage/taxonomies/<slug:taxonomy>/", manage_views.term_list, name="manage_term_list"),
    path(
        "manage/taxonomies/<slug:taxonomy>/new/",
        manage_views.term_edit,
        name="manage_term_new",
    ),
    path(
        "manage/taxonomies/<slug:taxonomy>/<int:pk>/edit/",
        manage_views.term_edit,
        name="manage_term_edit",
    ),
    path("manage/reports/", manage_views.report_list, name="manage_report_list"),
    path("manage/area/resources/", area_views.area_resource_list, name="area_resources"),
    path(
        "manage/area/resources/<int:pk>/verify/",
        area_views.area_resource_verify,
        name="area_resource_verify",
    ),
    path(
        "manage/area/resources/<int:pk>/flag/",
        area_views.area_resource_flag,
        name="area_resource_flag",
    ),
    path(
        "manage/reports/<int:pk>/<slug:action>/",
        manage_views.report_close,
        name="manage_report_close",
    ),
    path("resources/<int:pk>/report/", manage_views.report, name="report"),
    path("resources/<int:pk>/report/thanks/", manage_views.report_thanks, name="report_thanks"),
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
