from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from tsunagari import api

urlpatterns = [
    path("", include("tsunagari.core.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/", include("tsunagari.accounts.urls")),
    path("accounts/2fa/", include("tsunagari.twofactor.urls")),
    path("", include("tsunagari.members.urls")),
    path("", include("tsunagari.audit.urls")),
    path("", include("tsunagari.directory.urls")),
    path("", include("tsunagari.matching.urls")),
    path("", include("tsunagari.collaborations.urls")),
    path("", include("tsunagari.surveys.urls")),
    path("", include("tsunagari.helplines.urls")),
    path("", include("tsunagari.supporters.urls")),
    path("", include("tsunagari.awareness.urls")),
    path("", include("tsunagari.news.urls")),
    path("", include("tsunagari.meetings.urls")),
    path("", include("tsunagari.groups.urls")),
    path("", include("tsunagari.councils.urls")),
    path("", include("tsunagari.network.urls")),
    path("", include("tsunagari.cases.urls")),
    path("", include("tsunagari.rollout.urls")),
    path("", include("tsunagari.insights.urls")),
    *api.urls(),
]
