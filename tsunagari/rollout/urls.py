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

from tsunagari.rollout import network_views  # noqa: E402

urlpatterns += [
    path("networks/", network_views.network_list, name="network_list"),
    path("networks/new/", network_views.network_new, name="network_new"),
    path("networks/<int:pk>/", network_views.network_detail, name="network_detail"),
    path("networks/<int:pk>/edit/", network_views.network_edit, name="network_edit"),
    path("networks/<int:pk>/import/", network_views.network_import, name="network_import"),
]
