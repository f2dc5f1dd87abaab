"""Rebuild the matching engine's seed store from the database (store.py)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from tsunagari.matching import engine, store


class Command(BaseCommand):
    help = (
        "マッチングのシーズ索引を作り直す (rebuild the matching engine's seed store under "
        "MATCHING_STORE_DIR from the database; running processes pick it up at their next "
        "ranking)"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        root = engine.store_root()
        header = store.rebuild(root)
        self.stdout.write(
            f"Stored {header['rows']} published resources in {root} "
            f"(generation {header['generation']}, corpus version {header['version']}) "
            f"in {time.perf_counter() - started:.1f} s."
        )
