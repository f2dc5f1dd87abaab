from __future__ import annotations

from django.urls import path

from tsunagari.network import views

app_name = "network"

urlpatterns = [
    path("secretariat/network/", views.network_graph, name="graph"),
    path(
        "secretariat/network/introductions/",
        views.secretariat_introductions,
        name="secretariat_introductions",
    ),
    path(
        "secretariat/network/introductions/<int:pk>/decide/",
        views.introduction_decide,
        name="introduction_decide",
    ),
    path("secretariat/network/introduce/", views.introduce, name="introduce"),
    path("network/introductions/", views.introductions, name="introductions"),
    path("network/introductions/ask/", views.introduction_ask, name="introduction_ask"),
]
