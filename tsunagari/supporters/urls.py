"""URLs of つながりサポーター. Each part keeps its own block."""

from __future__ import annotations

from django.urls import path

from tsunagari.supporters import (
    attendance_views,
    certificate_views,
    course_views,
    figures,
    registration_views,
)

app_name = "supporters"

urlpatterns = [
    # Courses and registrations: public pages (course_views.py, registration_views.py)
    path("supporters/", course_views.course_list, name="course_list"),
    path("supporters/courses/<int:pk>/", course_views.course_detail, name="course_detail"),
    path("supporters/r/<str:token>/", registration_views.registration, name="registration"),
    path(
        "supporters/r/<str:token>/thanks/",
        registration_views.registration_thanks,
        name="registration_thanks",
    ),
    path(
        "supporters/r/<str:token>/cancel/",
        registration_views.registration_cancel,
        name="registration_cancel",
    ),
    # Courses and registrations: the organiser's pages
    path("supporters/manage/courses/", course_views.manage_course_list, name="manage_course_list"),
    path(
        "supporters/manage/courses/new/",
        course_views.manage_course_new,
        name="manage_course_new",
    ),
    path(
        "supporters/manage/courses/<int:pk>/edit/",
        course_views.manage_course_edit,
        name="manage_course_edit",
    ),
    path(
        "supporters/manage/courses/<int:pk>/publish/",
        course_views.manage_course_publish,
        name="manage_course_publish",
    ),
    path(
        "supporters/manage/courses/<int:pk>/cancel/",
        course_views.manage_course_cancel,
        name="manage_course_cancel",
    ),
    path(
        "supporters/manage/courses/<int:pk>/participants/",
        registration_views.participants,
        name="participants",
    ),
    path(
        "supporters/manage/courses/<int:pk>/participants.csv",
        registration_views.participants_csv,
        name="participants_csv",
    ),
    path(
        "supporters/manage/courses/<int:pk>/participants/<int:registration_pk>/cancel/",
        registration_views.participant_cancel,
        name="participant_cancel",
    ),
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
