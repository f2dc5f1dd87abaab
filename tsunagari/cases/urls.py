from __future__ import annotations

from django.urls import path

from tsunagari.cases import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
]

from tsunagari.cases import adoption_views  # noqa: E402

urlpatterns += [
    path("cases/<int:pk>/adopt/", adoption_views.adopt, name="adopt"),
    path("cases/adoptions/", adoption_views.adoption_list, name="adoption_list"),
    path("cases/<int:pk>/recipe.pdf", adoption_views.recipe_pdf, name="recipe_pdf"),
    path("cases/<int:pk>.json", adoption_views.case_json, name="case_json"),
    path("cases.json", adoption_views.cases_json, name="cases_json"),
]
