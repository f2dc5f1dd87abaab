"""Remind owners of resources not verified for 12 months. Run daily by cron:

    python manage.py remind_unverified

Each resource is reminded of at most once in 30 days (recorded in the audit trail).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from tsunagari.directory.services import reminder_due
from tsunagari.directory.tasks import send_stale_reminders


class Command(BaseCommand):
    help = "1年以上確認されていない公開中の社会資源を、提供団体にメールで知らせます。"

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            resources = list(reminder_due())
            sent = send_stale_reminders(resources)
        self.stdout.write(f"{sent} reminder e-mail(s) queued for {len(resources)} resource(s).")
