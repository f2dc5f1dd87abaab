from __future__ import annotations

from django.urls import path

from tsunagari.core import health, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("my/", views.dashboard, name="dashboard"),
    path("secretariat/mail/", views.undelivered_mail, name="undelivered_mail"),
    path("secretariat/mail/<int:pk>/resend/", views.resend_mail, name="resend_mail"),
]
