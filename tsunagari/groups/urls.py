from __future__ import annotations

from django.urls import path

from tsunagari.groups import views

app_name = "groups"

urlpatterns = [
    path("groups/", views.group_list, name="group_list"),
    path("groups/new/", views.group_new, name="group_new"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:pk>/join/", views.group_join, name="group_join"),
    path(
        "groups/<int:pk>/members/<int:membership_pk>/leave/",
        views.membership_leave,
        name="membership_leave",
    ),
    path(
        "groups/<int:pk>/members/<int:membership_pk>/convener/",
        views.membership_convener,
        name="membership_convener",
    ),
    path("groups/<int:pk>/posts/", views.post_new, name="post_new"),
    path("groups/<int:pk>/posts/<int:post_pk>/edit/", views.post_edit, name="post_edit"),
    path("groups/<int:pk>/digest/", views.digest, name="digest"),
    path(
        "groups/digest/unsubscribe/<str:token>/",
        views.digest_unsubscribe,
        name="digest_unsubscribe",
    ),
]
