"""Rebuild the directory's search index from scratch (after a tokenizer change)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tsunagari.directory.search import reindex_all


class Command(BaseCommand):
    help = "検索索引を作り直す (rebuild the search index of the directory)"

    def handle(self, *args: Any, **options: Any) -> None:
        count = reindex_all()
        self.stdout.write(f"Indexed {count} resources.")
