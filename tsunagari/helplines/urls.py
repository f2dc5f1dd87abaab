from __future__ import annotations

from django.urls import path

from tsunagari.helplines import views

app_name = "helplines"

urlpatterns = [
    path("help/", views.help_page, name="help"),
    path("secretariat/helplines/", views.line_list, name="line_list"),
    path("secretariat/helplines/<int:pk>/", views.line_detail, name="line_detail"),
    path("secretariat/helplines/<int:pk>/verify/", views.line_verify, name="line_verify"),
    path("secretariat/helplines/<int:pk>/retire/", views.line_retire, name="line_retire"),
    path("secretariat/helplines/<int:pk>/restore/", views.line_restore, name="line_restore"),
    path("secretariat/helplines/<int:pk>/period/", views.line_period, name="line_period"),
]
