"""URLs of collaborations: the same paths as when they lived in matching (/collaborations/…,
/needs/<pk>/respond/), so links in mails and bookmarks keep working."""

from __future__ import annotations

from django.urls import path

from tsunagari.collaborations import views

app_name = "collaborations"

urlpatterns: list = [
    path("collaborations/", views.collaboration_list, name="collaboration_list"),
    path("collaborations/new/", views.collaboration_new, name="collaboration_new"),
    path("collaborations/<int:pk>/", views.collaboration_detail, name="collaboration_detail"),
    path(
        "collaborations/<int:pk>/messages/",
        views.collaboration_message,
        name="collaboration_message",
    ),
    path("collaborations/<int:pk>/relay/", views.collaboration_relay, name="collaboration_relay"),
    path(
        "collaborations/<int:pk>/parties/",
        views.collaboration_invite,
        name="collaboration_invite",
    ),
    path(
        "collaborations/<int:pk>/parties/<int:party_pk>/<slug:action>/",
        views.party_answer,
        name="party_answer",
    ),
    path("needs/<int:pk>/respond/", views.need_respond, name="need_respond"),
    path(
        "collaborations/<int:pk>/<slug:action>/",
        views.collaboration_step,
        name="collaboration_step",
    ),
]
