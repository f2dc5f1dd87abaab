"""Rank seeds for needs from JSON lines: the engine's evaluation contract.

    python manage.py rank_seeds --needs N.jsonl --seeds S.jsonl --top 10

Prints one JSON line per need: {"need_id", "ranked": [{"seed_id", "score", "reasons"}]}.
Writes nothing to the database (it reads the taxonomy names when there is one).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from tsunagari.matching import engine
from tsunagari.matching.evaluation import Evaluation, need_from_json, read_jsonl, seed_from_json


class Command(BaseCommand):
    help = "Rank seeds for needs read from JSON lines; print one JSON line per need."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--needs", required=True, help="needs, one JSON object a line")
        parser.add_argument("--seeds", required=True, help="seeds, one JSON object a line")
        parser.add_argument("--top", type=int, default=10)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["top"] < 1:
            raise CommandError("--top must be 1 or more")
        try:
            needs = [need_from_json(row) for row in read_jsonl(options["needs"])]
            seeds = [seed_from_json(row) for row in read_jsonl(options["seeds"])]
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"cannot read the input: {error!r}") from error
        try:
            names = engine.taxonomy_names() or None
        except DatabaseError:
            names = None
        for line in Evaluation(needs, seeds, names).rank(top=options["top"]):
            self.stdout.write(json.dumps(line, ensure_ascii=False))
