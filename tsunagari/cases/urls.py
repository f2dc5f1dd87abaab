from __future__ import annotations

from django.urls import path

from tsunagari.cases import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/photos/<int:pk>/", views.case_photo, name="case_photo"),
    path("cases/mine/", views.case_mine, name="case_mine"),
    path("cases/new/", views.case_new, name="case_new"),
    path(
        "cases/new/from-collaboration/<int:pk>/",
        views.from_collaboration,
        name="from_collaboration",
    ),
    path("cases/new/from-action/<int:pk>/", views.from_action, name="from_action"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/submit/", views.case_submit, name="case_submit"),
    path("secretariat/cases/", views.review_queue, name="review_queue"),
    path("secretariat/cases/<int:pk>/publish/", views.case_publish, name="case_publish"),
    path("secretariat/cases/<int:pk>/return/", views.case_return, name="case_return"),
]

from tsunagari.cases import adoption_views  # noqa: E402

urlpatterns += [
    path("cases/<int:pk>/adopt/", adoption_views.adopt, name="adopt"),
    path("cases/adoptions/", adoption_views.adoption_list, name="adoption_list"),
    path("cases/<int:pk>/recipe.pdf", adoption_views.recipe_pdf, name="recipe_pdf"),
    path("cases/<int:pk>.json", adoption_views.case_json, name="case_json"),
    path("cases.json", adoption_views.cases_json, name="cases_json"),
]
