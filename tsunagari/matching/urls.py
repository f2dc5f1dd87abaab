"""URLs of matching. Each part keeps its own block."""

from __future__ import annotations

from django.urls import path

from tsunagari.matching import gap_views, needs_views, requests_views

app_name = "matching"

urlpatterns: list = [
    # Needs and suggestions (needs_views.py)
    path("needs/", needs_views.need_list, name="need_list"),
    path("needs/new/", needs_views.need_new, name="need_new"),
    path("needs/waiting/", needs_views.needs_waiting, name="needs_waiting"),
    path("needs/<int:pk>/", needs_views.need_detail, name="need_detail"),
    path("needs/<int:pk>/edit/", needs_views.need_edit, name="need_edit"),
    path("needs/<int:pk>/refresh/", needs_views.need_refresh, name="need_refresh"),
    path("needs/<int:pk>/status/<slug:action>/", needs_views.need_status, name="need_status"),
    path(
        "needs/<int:pk>/suggestions/<int:suggestion_pk>/<slug:action>/",
        needs_views.suggestion_state,
        name="suggestion_state",
    ),
    # Resident requests and screening (requests_views.py)
    path("voice/", requests_views.voice, name="voice"),
    path("voice/thanks/", requests_views.voice_thanks, name="voice_thanks"),
    path("secretariat/voices/", requests_views.voice_list, name="voice_list"),
    path("secretariat/voices/<int:pk>/", requests_views.voice_detail, name="voice_detail"),
    path(
        "secretariat/voices/<int:pk>/publish/",
        requests_views.voice_publish,
        name="voice_publish",
    ),
    path("secretariat/voices/<int:pk>/reject/", requests_views.voice_reject, name="voice_reject"),
    path(
        "secretariat/voices/<int:pk>/forget-contact/",
        requests_views.voice_forget_contact,
        name="voice_forget_contact",
    ),
    # Gap view (gap_views.py)
    path("manage/area/voices/", requests_views.area_voice_list, name="area_voices"),
    path(
        "manage/area/voices/<int:pk>/",
        requests_views.area_voice_detail,
        name="area_voice_detail",
    ),
    path(
        "manage/area/voices/<int:pk>/publish/",
        requests_views.area_voice_publish,
        name="area_voice_publish",
    ),
    path(
        "manage/area/voices/<int:pk>/reject/",
        requests_views.area_voice_reject,
        name="area_voice_reject",
    ),
    path("gaps/", gap_views.gap_view, name="gap_view"),
    path("gaps.csv", gap_views.gap_csv, name="gap_csv"),
]
