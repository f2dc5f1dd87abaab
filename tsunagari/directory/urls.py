"""URLs of the directory. Each part of the directory keeps its own block."""

from __future__ import annotations

from django.urls import path

from tsunagari.directory import manage_views, opendata_views, views

app_name = "directory"

urlpatterns = [
    # Public pages: search, detail, consultation, print (views.py)
    path("resources/", views.search, name="search"),
    # Staff and secretariat pages (manage_views.py)
    # Open data and imports (opendata_views.py)
]
