from __future__ import annotations

from django.urls import path

from tsunagari.councils import views

app_name = "councils"

urlpatterns = [
    path("councils/", views.council_list, name="council_list"),
    path("councils/new/", views.council_new, name="council_new"),
    path("councils/<int:pk>/", views.council_detail, name="council_detail"),
    path("councils/<int:pk>/edit/", views.council_edit, name="council_edit"),
]
