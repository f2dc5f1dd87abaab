from __future__ import annotations

from django.urls import path

from tsunagari.supporters import attendance_views, certificate_views, figures

app_name = "supporters"

urlpatterns: list = [
    # completion: attendance, certificates, verify, the supporters' choices, figures
    path(
        "supporters/manage/courses/<int:pk>/attendance/",
        attendance_views.roster,
        name="attendance",
    ),
    path(
        "supporters/manage/courses/<int:pk>/attendance/<int:registration_pk>/certificate.pdf",
        certificate_views.organiser_certificate_pdf,
        name="organiser_certificate_pdf",
    ),
    path(
        "supporters/manage/registrations/<int:pk>/erase/",
        certificate_views.registration_erase,
        name="registration_erase",
    ),
    path("supporters/attend/", attendance_views.attend, name="attend"),
    path(
        "supporters/r/<str:token>/attend/", attendance_views.attend_by_link, name="attend_by_link"
    ),
    path(
        "supporters/r/<str:token>/certificate/",
        certificate_views.supporter_certificate,
        name="supporter_certificate",
    ),
    path(
        "supporters/r/<str:token>/certificate.pdf",
        certificate_views.certificate_pdf,
        name="certificate_pdf",
    ),
    path(
        "supporters/r/<str:token>/opportunities/",
        certificate_views.supporter_opportunities,
        name="opportunities",
    ),
    path(
        "supporters/r/<str:token>/opportunities/stop/",
        certificate_views.supporter_opportunities_stop,
        name="opportunities_stop",
    ),
    path("supporters/r/<str:token>/erase/", certificate_views.supporter_erase, name="erase"),
    path("supporters/verify/", certificate_views.verify_form, name="verify_form"),
    path("supporters/verify/<str:serial>/", certificate_views.verify, name="verify"),
    path("supporters/figures/", figures.figures_page, name="figures"),
    path("supporters/figures.csv", figures.figures_csv, name="figures_csv"),
]
