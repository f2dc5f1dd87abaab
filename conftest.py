"""Shared pytest set-up."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Every test starts with an empty cache, so the rate limits of the public forms
    (lib/ratelimit.py) do not count what earlier tests sent from the same address."""
    cache.clear()
    yield
    cache.clear()
