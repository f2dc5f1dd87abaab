"""`manage.py prune_task_results`: delete finished task results, daily from a timer.

Every e-mail and every job leaves a row in the task queue's table; finished ones are
kept TASK_RESULT_KEEP_DAYS days (for looking into a failure), then deleted. The outbox
keeps its own record of each mail (core.OutgoingMail), so nothing the secretariat sees
goes with them. Queued and running tasks are never touched.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Delete finished task results older than TASK_RESULT_KEEP_DAYS (or --days)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=None, help="Keep this many days.")
        parser.add_argument("--dry-run", action="store_true", help="Only count them.")

    def handle(self, *, days: int | None, dry_run: bool, verbosity: int, **options: Any) -> None:
        keep = settings.TASK_RESULT_KEEP_DAYS if days is None else days
        if keep < 0:
            raise CommandError("--days must not be negative")
        # django-tasks-db's own command, over every queue.
        call_command(
            "prune_db_task_results",
            min_age_days=keep,
            queue_name="*",
            dry_run=dry_run,
            verbosity=verbosity,
            stdout=self.stdout,
        )
