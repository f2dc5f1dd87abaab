from __future__ import annotations

from django.urls import path

from tsunagari.rollout import views

app_name = "rollout"

urlpatterns = [
    path("rollout/", views.rollout, name="rollout"),
]
