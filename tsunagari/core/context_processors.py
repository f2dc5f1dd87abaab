"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    """DEMO: this site runs on sample data (make demo), said on every page."""
    return {"DEMO": settings.DEMO}
