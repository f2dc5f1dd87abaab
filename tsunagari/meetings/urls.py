from __future__ import annotations

from django.urls import path

from tsunagari.meetings import views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/new/", views.meeting_new, name="new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("meetings/<int:pk>/rsvp/", views.meeting_rsvp, name="rsvp"),
    path("meetings/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("meetings/documents/<int:pk>/", views.document_download, name="document"),
    path("meetings/<int:pk>.ics", views.meeting_ics, name="ics"),
    path("meetings/feed/<str:token>.ics", views.member_feed, name="feed"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("meetings/<int:pk>/close/", views.meeting_close, name="close"),
    path("meetings/<int:pk>/minutes/", views.minutes_page, name="minutes"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_pdf_view, name="minutes_pdf"),
    path("meetings/actions/", views.action_list, name="action_list"),
    path("meetings/actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("meetings/actions/<int:pk>/need/", views.action_to_need, name="action_need"),
    path("meetings/actions/<int:pk>/case/", views.action_to_case, name="action_case"),
    path(
        "meetings/actions/<int:pk>/collaboration/",
        views.action_to_collaboration,
        name="action_collaboration",
    ),
    path("meetings/case-candidates/", views.case_candidates, name="case_candidates"),
]
