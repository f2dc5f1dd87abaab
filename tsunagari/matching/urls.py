"""URLs of matching. Each part keeps its own block."""

from __future__ import annotations

from django.urls import path  # noqa: F401

app_name = "matching"

urlpatterns: list = [
    # Needs and suggestions (needs_views.py)
    # Resident requests and screening (requests_views.py)
    # Collaborations (collaboration_views.py)
    # Gap view (gap_views.py)
]
