"""The self-check's scoring endpoint (selfcheck helper writes it)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["selfcheck"])
