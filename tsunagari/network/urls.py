from __future__ import annotations

app_name = "network"

urlpatterns: list = []
