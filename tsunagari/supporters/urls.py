from __future__ import annotations

app_name = "supporters"

urlpatterns: list = []
