"""`manage.py recover_tasks`: the workers' recovery, once, from a timer.

Every worker already does this every few minutes (db_worker.py). The timer covers the
time when no worker runs at all (all stopped for an upgrade, or crashed): the tasks
they left RUNNING are READY again for the first worker that starts, and mails that
lost their task get one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from tsunagari.core.management.commands.db_worker import recover


class Command(BaseCommand):
    help = "Put back tasks left RUNNING longer than TASK_LEASE_SECONDS; re-task orphaned mails."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--backend", default="default", help="The task backend (default).")

    def handle(self, *, backend: str, verbosity: int, **options: Any) -> None:
        tasks, mails = recover(backend, lease=timedelta(seconds=settings.TASK_LEASE_SECONDS))
        if verbosity:
            self.stdout.write(f"{tasks} task(s) put back, {mails} mail(s) given a new task.")
