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


@pytest.fixture(autouse=True)
def _own_seed_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every test gets a seed store of its own (tsunagari/matching/store.py): the files
    outlive the test's rolled-back transaction, which could bring the corpus version back
    to a number the files already hold."""
    from django.conf import settings

    from tsunagari.matching import engine

    before = settings.MATCHING_STORE_DIR
    settings.MATCHING_STORE_DIR = tmp_path_factory.mktemp("seeds", numbered=True)
    engine.clear_cache()
    yield
    settings.MATCHING_STORE_DIR = before
    engine.clear_cache()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Remove the run's scratch folder of uploaded files (settings.MEDIA_ROOT under tests)."""
    import shutil

    from django.conf import settings

    media = str(getattr(settings, "MEDIA_ROOT", ""))
    if "tsunagari-test-media-" in media:
        shutil.rmtree(media, ignore_errors=True)
