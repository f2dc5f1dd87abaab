from __future__ import annotations

from django.urls import path

from tsunagari.members import views

app_name = "members"

urlpatterns = [
    path("roster/", views.roster, name="roster"),
    path("members/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("apply/", views.apply, name="apply"),
    path("apply/thanks/", views.apply_thanks, name="apply_thanks"),
    path("apply/<str:token>/edit/", views.application_edit, name="application_edit"),
    path("my/organization/", views.my_organization, name="my_organization"),
    path("secretariat/applications/", views.application_list, name="application_list"),
    path("secretariat/applications/<int:pk>/", views.application_detail, name="application_detail"),
    path(
        "secretariat/applications/<int:pk>/<str:action>/",
        views.application_action,
        name="application_action",
    ),
    path("secretariat/organizations/", views.organization_list, name="organization_list"),
    path(
        "secretariat/organizations/<int:pk>/",
        views.organization_admin_edit,
        name="organization_admin_edit",
    ),
    path("secretariat/roster.csv", views.roster_csv, name="roster_csv"),
    path("secretariat/roster.xlsx", views.roster_xlsx, name="roster_xlsx"),
]
