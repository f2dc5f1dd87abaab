"""Self-check aggregates in the API (aggregates helper writes it)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["selfcheck"])
