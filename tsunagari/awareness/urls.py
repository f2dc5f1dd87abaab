from __future__ import annotations

from django.urls import path

from tsunagari.awareness import views

app_name = "awareness"

urlpatterns = [
    path("awareness-month/", views.current, name="current"),
    path("awareness-month/<int:year>/", views.month_page, name="month"),
    path("awareness-month/<int:year>.ics", views.month_ics, name="ics"),
    path("awareness-month/<int:year>/flyer/", views.flyer_page, name="flyer"),
    path("awareness-month/<int:year>/flyer.pdf", views.flyer_pdf, name="flyer_pdf"),
    path("secretariat/awareness-month/", views.item_list, name="item_list"),
    path("secretariat/awareness-month/new/", views.item_new, name="item_new"),
    path("secretariat/awareness-month/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("secretariat/awareness-month/<int:pk>/delete/", views.item_delete, name="item_delete"),
]
