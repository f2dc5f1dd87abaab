from __future__ import annotations

from django.urls import path

from tsunagari.twofactor import views

app_name = "twofactor"

urlpatterns = [
    path("", views.twofactor_settings, name="settings"),
    path("verify/", views.verify, name="verify"),
    path("setup/", views.setup, name="setup"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path(
        "recovery-codes/download/",
        views.recovery_codes_download,
        name="recovery_codes_download",
    ),
    path("recovery-codes/new/", views.recovery_codes_new, name="recovery_codes_new"),
    path("disable/", views.disable, name="disable"),
    path("reset/<int:pk>/", views.reset, name="reset"),
]
