from __future__ import annotations

from django.urls import path

from tsunagari.rollout import views

app_name = "rollout"

urlpatterns = [
    path("rollout/", views.rollout, name="rollout"),
    path("rollout.csv", views.rollout_csv, name="rollout_csv"),
    path("rollout/<str:code>/edit/", views.rollout_edit, name="edit"),
    path("rollout/<str:code>/history/", views.rollout_history, name="history"),
    path("municipalities/<str:code>/", views.municipality, name="municipality"),
    path("secretariat/population/", views.population, name="population"),
    path("about/", views.about, name="about"),
]
