"""Recount the self-check tallies from the stored responses (after a bulk load or a repair)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tsunagari.surveys.services import rebuild_tallies


class Command(BaseCommand):
    help = "Recount SelfCheckTally from every stored self-check response."

    def handle(self, *args: Any, **options: Any) -> None:
        counted = rebuild_tallies()
        self.stdout.write(f"{counted} self-check responses counted into the tallies.")
