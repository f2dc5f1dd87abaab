from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from tsunagari.lib.pagecache import anonymous_page
from tsunagari.news import views
from tsunagari.news.feeds import NewsFeed

app_name = "news"

urlpatterns = [
    path("news/", views.post_list, name="post_list"),
    path(
        "news/feed.atom",
        login_not_required(anonymous_page("news", "members")(NewsFeed())),
        name="feed",
    ),
    path("news/<int:pk>/", views.post_detail, name="post_detail"),
    path("news/manage/", views.manage_list, name="manage_list"),
    path("news/manage/new/", views.manage_new, name="manage_new"),
    path("news/manage/<int:pk>/", views.manage_detail, name="manage_detail"),
    path("news/manage/<int:pk>/edit/", views.manage_edit, name="manage_edit"),
    path("news/manage/<int:pk>/return/", views.manage_return, name="manage_return"),
    path("news/manage/<int:pk>/<slug:action>/", views.manage_action, name="manage_action"),
    path("news/mailings/", views.mailing_list, name="mailing_list"),
    path("news/mailings/new/", views.mailing_new, name="mailing_new"),
    path("news/mailings/subscription/", views.subscription, name="subscription"),
    path("news/mailings/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("news/mailings/<int:pk>/", views.mailing_detail, name="mailing_detail"),
    path("news/mailings/<int:pk>/edit/", views.mailing_edit, name="mailing_edit"),
    path("news/mailings/<int:pk>/send/", views.mailing_send, name="mailing_send"),
]
