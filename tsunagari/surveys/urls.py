"""URLs of the self-check and surveys. Each part keeps its own block."""

from __future__ import annotations

from django.urls import path

from tsunagari.surveys import campaign_views, paper_views, results_views, selfcheck_views

app_name = "surveys"

urlpatterns: list = [
    # The resident's self-check (selfcheck_views.py)
    path("selfcheck/", selfcheck_views.selfcheck, name="selfcheck"),
    # Aggregates, exports and codebook (results_views.py)
    path("selfcheck/results/", results_views.results, name="results"),
    path("selfcheck/results.csv", results_views.results_csv, name="results_csv"),
    path("selfcheck/codebook.csv", results_views.codebook_csv, name="codebook_csv"),
    path("surveys/export/responses.csv", results_views.responses_csv, name="responses_csv"),
    # Campaigns, the item bank and the before/after report (campaign_views.py)
    path("surveys/", campaign_views.campaign_list, name="campaign_list"),
    path("surveys/new/", campaign_views.campaign_new, name="campaign_new"),
    path("surveys/<int:pk>/", campaign_views.campaign_detail, name="campaign_detail"),
    path("surveys/<int:pk>/edit/", campaign_views.campaign_edit, name="campaign_edit"),
    path("surveys/<int:pk>/qr.svg", campaign_views.campaign_qr, name="campaign_qr"),
    path("surveys/<int:pk>/report/", campaign_views.campaign_report, name="campaign_report"),
    path("surveys/<int:pk>/results.csv", campaign_views.campaign_csv, name="campaign_csv"),
    path("surveys/items/", campaign_views.item_list, name="item_list"),
    path("surveys/items/new/", campaign_views.item_new, name="item_new"),
    path("s/<str:token>/", campaign_views.answer, name="answer"),
    path("s/<str:token>/thanks/", campaign_views.answer_thanks, name="answer_thanks"),
    # Paper: printable questionnaires and keyed entry (paper_views.py)
    path("selfcheck/paper.pdf", paper_views.selfcheck_pdf, name="selfcheck_pdf"),
    path("selfcheck/entry/", paper_views.selfcheck_entry, name="selfcheck_entry"),
    path("surveys/<int:pk>/paper.pdf", paper_views.campaign_pdf, name="campaign_pdf"),
    path("surveys/<int:pk>/entry/", paper_views.campaign_entry, name="campaign_entry"),
]
