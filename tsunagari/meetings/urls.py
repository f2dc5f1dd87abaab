from __future__ import annotations

from django.urls import path

from tsunagari.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/rsvp/", views.meeting_rsvp, name="rsvp"),
    path("<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("<int:pk>.ics", views.meeting_ics, name="ics"),
    path("feed/<str:token>.ics", views.member_feed, name="feed"),
    path("<int:pk>/close/", views.meeting_close, name="close"),
    path("<int:pk>/minutes/", views.minutes_page, name="minutes"),
    path("<int:pk>/minutes.pdf", views.minutes_pdf_view, name="minutes_pdf"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("actions/<int:pk>/need/", views.action_to_need, name="action_need"),
    path("actions/<int:pk>/case/", views.action_to_case, name="action_case"),
    path("case-candidates/", views.case_candidates, name="case_candidates"),
]
