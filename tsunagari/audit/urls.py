from __future__ import annotations

from django.urls import path

from tsunagari.audit import views

app_name = "audit"

urlpatterns = [path("secretariat/audit/", views.audit_log, name="audit_log")]
